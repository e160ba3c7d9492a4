// The playground's JSON API end to end on the real scheduler, delivery and chat code (the page and
// Chromium are in test/e2e/playground.test.ts): answer an øvebane, post the agenda, run a questionnaire
// to its summary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer as startPlayground } from '../support/playground-server.ts';

type Card = { body: Array<Record<string, unknown>>; actions?: Array<{ verb: string; data: unknown }> };
type Message = { id: string; card: Card };
type State = { now: string; chat: Message[]; channel: Message[]; mails: unknown[]; strings: Record<string, string> };

let playground: Awaited<ReturnType<typeof startPlayground>>;
beforeAll(async () => {
  playground = await startPlayground({ demoStart: '2026-08-10' });
});
afterAll(() => playground.close());

async function api<T>(path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(
    new URL(`playground/api/${path}`, playground.url),
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: response.status, json: (await response.json()) as T };
}
const state = async (as: string) => (await api<State>(`state?as=${as}`)).json;
const text = (card: Card) => JSON.stringify(card);
const cardOf = (messages: Message[], name: string) => messages.find((m) => m.card.actions?.some((a) => (a.data as { card?: string }).card === name));

describe('the playground API', () => {
  it('starts on the programme’s first day: everyone welcomed, the channel told, nothing skipped', async () => {
    const s1 = await state('s1');
    expect(s1.now.slice(0, 16)).toBe('2026-08-10T05:00'); // Monday 07:00 in Copenhagen, the run's first day
    expect(s1.chat.map((m) => text(m.card))).toEqual([expect.stringContaining('medarbejder')]);
    expect(text((await state('leder')).channel[0]!.card)).toContain('Forløbet er sat op');
    expect(s1.strings['whoAmI']).toBe('Hvem er du?');
    expect(s1.strings['firstStep']).toContain('Lene');
    expect(playground.logger.entries.filter((e) => e.message === 'stale occurrence skipped')).toEqual([]);
  });

  it('replaces the øvebane with the answered card; a second click changes nothing', async () => {
    let s = await state('s1');
    for (let i = 0; i < 200 && !cardOf(s.chat, 'practice-prompt'); i++) s = (await api<{ state: State }>('clock', { as: 's1', step: 'next' })).json.state;
    const prompt = cardOf(s.chat, 'practice-prompt')!;
    const done = prompt.card.actions!.find((a) => a.verb === 'done')!;
    const first = await api<{ card: Card; state: State }>('action', { as: 's1', messageId: prompt.id, verb: 'done', data: done.data, inputs: { note: 'En snegl!' } });
    expect(text(first.json.card)).toContain('Godt gået! Dagens øvebane er udført.');
    expect(first.json.state.chat.find((m) => m.id === prompt.id)?.card).toEqual(first.json.card);
    const again = await api<{ card: Card; state: State }>('action', { as: 's1', messageId: prompt.id, verb: 'done', data: done.data, inputs: { note: 'En snegl!' } });
    expect(text(again.json.card)).toContain('Godt gået!');
    expect(again.json.state.chat).toHaveLength(first.json.state.chat.length);
  });

  it('lets the leader post this month’s agenda to the team channel', async () => {
    const reply = await api<{ reply: { card: Card }; state: State }>('command', { as: 'leder', text: 'agenda' });
    expect(text(reply.json.reply.card)).toContain('Sendt til teamkanalen.');
    expect(text(reply.json.state.channel.at(-1)!.card)).toContain('30–40 minutter');
  });

  it('sends the leaders’ Bilag B plan to the guide as a mail with the visit as a calendar invitation', async () => {
    let s = await state('leder');
    for (let i = 0; i < 200 && !cardOf(s.chat, 'pre-visit-form'); i++) s = (await api<{ state: State }>('clock', { as: 'leder', step: 'next' })).json.state;
    const form = cardOf(s.chat, 'pre-visit-form')!;
    const send = form.card.actions!.find((a) => a.verb === 'sendToGuide')!;
    const inputs = { 'field:dato': '2026-10-06', 'field:deltagere': 'Lene og Søren', 'field:besoeg-timer': '2', 'field:oensker': 'Sparring på øvebanerne' };
    // The form says before it is filled in that the plan will reach the guide: the playground mails.
    expect(text(form.card)).not.toContain('kan ikke sende mail');
    const reply = await api<{ card: Card; state: State }>('action', { as: 'leder', messageId: form.id, verb: 'sendToGuide', data: send.data, inputs });
    expect(text(reply.json.card)).toContain('På vej til vejlederen');
    // A second submit (a double click, a platform's retry) queues no second mail.
    const again = await api<{ card: Card; state: State }>('action', { as: 'leder', messageId: form.id, verb: 'sendToGuide', data: send.data, inputs });
    expect(again.json.state.mails).toHaveLength(1);
    const [mail] = reply.json.state.mails as Array<{ to: string; subject: string; text: string; ics: string }>;
    expect(mail?.to).toBe('mette.vejleder@example.org');
    expect(mail?.text).toContain('Sparring på øvebanerne');
    expect(mail?.ics).toContain('BEGIN:VEVENT');
  });

  it('reminds the leaders of the second Bilag B the day before its deadline, and tells the guide by mail once it has passed', async () => {
    let s = await state('leder');
    const reminded = (chat: Message[]) => chat.some((m) => text(m.card).includes('mail-til-vejleder-2') && text(m.card).includes('Planen er ikke sendt endnu'));
    for (let i = 0; i < 400 && !reminded(s.chat); i++) s = (await api<{ state: State }>('clock', { as: 'leder', step: 'next' })).json.state;
    expect(reminded(s.chat)).toBe(true);
    // Not to the guide: the guide gets the mail, never the form.
    expect((await state('vejleder')).chat.some((m) => text(m.card).includes('mail-til-vejleder-2'))).toBe(false);
    // Word to the guide comes after the reminder (the first plan was sent in time: no word of it).
    const before = s.mails.length;
    const lateMail = (mails: unknown[]) => (mails.slice(before) as Array<{ to: string; subject: string }>).find((m) => m.subject.includes('er forsinket'));
    expect(lateMail(s.mails)).toBeUndefined();
    for (let i = 0; i < 50 && !lateMail(s.mails); i++) s = (await api<{ state: State }>('clock', { as: 'leder', step: 'next' })).json.state;
    expect(lateMail(s.mails)?.to).toBe('mette.vejleder@example.org');
    expect((s.mails as Array<{ subject: string }>).filter((m) => m.subject.includes('er forsinket'))).toHaveLength(1);
    expect(text((await api<{ reply: { card: Card } }>('command', { as: 'leder', text: 'status' })).json.reply.card)).toContain('ikke sendt til vejlederen');
  });

  it('runs questionnaire 2 to its summary in the channel with the right participation', async () => {
    let s = await state('s1');
    // Questionnaire 1 came first (the demo skips nothing); step on to the second.
    const second = (chat: Message[]) => chat.some((m) => cardOf([m], 'questionnaire') && text(m.card).includes('spoergeskema-2'));
    for (let i = 0; i < 400 && !second(s.chat); i++) {
      s = (await api<{ state: State }>('clock', { as: 's1', step: 'next' })).json.state;
    }
    for (const person of ['s1', 's2']) {
      const questionnaire = (await state(person)).chat.filter((m) => text(m.card).includes('spoergeskema-2')).at(-1)!;
      const answer = questionnaire.card.actions!.find((a) => a.verb === 'answer')!;
      const inputs = Object.fromEntries(
        JSON.stringify(questionnaire.card)
          .match(/answer:[a-z-]+/g)!
          .map((id) => [id, id.endsWith('brug') ? 'Mere tid' : '4']),
      );
      const result = await api<{ card: Card }>('action', { as: person, messageId: questionnaire.id, verb: 'answer', data: answer.data, inputs });
      expect(text(result.json.card)).toContain('Tak for dit svar!');
    }
    // The themes' close summaries come to the channel too: find the questionnaire's by its title.
    const summary = async () => (await state('leder')).channel.find((m) => text(m.card).includes('"fallbackText":"Teamets egen puls 2'));
    for (let i = 0; i < 50 && !(await summary()); i++) await api('clock', { as: 'leder', step: 'next' });
    expect(text((await summary())!.card)).toContain('2 af 4 har svaret');
  });

  it('has summed up each theme in the channel at its close, and given the leader a monthly overview; the staff none', async () => {
    // By now (January 2027, the second questionnaire summed up) the first themes and months are behind.
    const leader = await state('leder');
    const titles = leader.channel.map((m) => (m.card as Card & { fallbackText?: string }).fallbackText);
    for (const theme of ['Tema 1: Den undersøgende tilgang', 'Tema 2: Matematisk opmærksomhed'])
      expect(
        titles.filter((t) => t === theme),
        theme,
      ).toHaveLength(1);
    expect(titles.filter((t) => t?.startsWith('Øvebane'))).toEqual([]);
    const overviews = leader.chat.map((m) => text(m.card)).filter((t) => t.includes('Månedsoverblik for'));
    for (const month of ['august 2026', 'september 2026', 'oktober 2026', 'november 2026'])
      expect(
        overviews.filter((t) => t.includes(`Månedsoverblik for ${month}`)),
        month,
      ).toHaveLength(1);
    expect(overviews[0]).toContain('har svaret');
    expect((await state('s1')).chat.some((m) => text(m.card).includes('Månedsoverblik'))).toBe(false);
  });

  it('answers a request for someone who is not in the team with a Danish error, and changes nothing', async () => {
    const before = await state('s1');
    const { status, json } = await api<{ error: { message: string } }>('command', { as: 'ukendt', text: 'agenda' });
    expect(status).toBe(400);
    expect(json.error.message).toBe('Svaret kunne ikke læses. Prøv igen fra kortet.');
    expect((await state('s1')).chat).toEqual(before.chat);
  });
});

describe('a restart of the playground on its data file', () => {
  it('keeps the chat, goes on from the last message, and posts nothing twice', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'sparring-playground-')), 'data.json');
    const first = await startPlayground({ demoStart: '2026-08-10', dataFile });
    const before = (await (await fetch(new URL('playground/api/state?as=s1', first.url))).json()) as State;
    await first.close();
    const second = await startPlayground({ demoStart: '2026-08-10', dataFile });
    const after = (await (await fetch(new URL('playground/api/state?as=s1', second.url))).json()) as State;
    await second.close();
    expect(after.chat.map((m) => m.id)).toEqual(before.chat.map((m) => m.id));
    // The same moment of the first day, and one welcome, not two.
    expect(after.now.slice(0, 16)).toBe(before.now.slice(0, 16));
    expect(after.chat).toHaveLength(1);
  });
});

describe('the playground with another programme (DEMO_PROGRAMME)', () => {
  // SEVU's and Kolding's meetings, workshops and læringssamtaler are noticed ahead, with a calendar link to this server.
  it.each([
    ['sevu-kollegial-sparring', 'leder'],
    ['kolding-laeringssamtale', 'leder'],
  ])('%s: the first notice reaches its people before the meeting, with an “add to calendar” link', async (programmeId, person) => {
    const demo = await startPlayground({ demoStart: '2026-09-07', env: { DEMO_PROGRAMME: programmeId } });
    try {
      const at = async (path: string, body?: unknown) =>
        (await (
          await fetch(new URL(`playground/api/${path}`, demo.url), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        ).json()) as State;
      const isNotice = (m: Message) => text(m.card).includes('Hvornår') && text(m.card).includes('Varighed');
      let s = await at(`state?as=${person}`);
      for (let i = 0; i < 100 && !s.chat.some(isNotice); i++) s = ((await at('clock', { as: person, step: 'next' })) as unknown as { state: State }).state;
      const notice = s.chat.find(isNotice);
      expect(notice, `a notice in ${person}’s chat`).toBeDefined();
      const link = /"url":"([^"]+\.ics)"/.exec(text(notice!.card))?.[1];
      expect(link).toMatch(new RegExp(`^${demo.url.replace(/\/$/, '')}/calendar/`));
      const ics = await fetch(link!);
      expect(ics.status).toBe(200);
      expect(await ics.text()).toContain('BEGIN:VEVENT');
    } finally {
      await demo.close();
    }
  });
});

describe('the playground with Kolding', () => {
  it('shows the handleplan shared with the consultant, the shared I DO ART draft, its approval and the agenda reaching the participants', async () => {
    const demo = await startPlayground({ demoStart: '2026-09-07', env: { DEMO_PROGRAMME: 'kolding-laeringssamtale' } });
    try {
      const at = async <T>(path: string, body?: unknown) =>
        (await (
          await fetch(new URL(`playground/api/${path}`, demo.url), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        ).json()) as T;
      const stateOf = (as: string) => at<State>(`state?as=${as}`);
      const step = async () => (await at<{ state: State }>('clock', { as: 'leder', step: 'next' })).state;
      const until = async (as: string, found: (s: State) => boolean) => {
        let s = await stateOf(as);
        for (let i = 0; i < 300 && !found(s); i++) {
          await step();
          s = await stateOf(as);
        }
        expect(found(s), `found in ${as}’s chat by ${s.now}`).toBe(true);
        return s;
      };

      // The leader gets the handleplan before the first læringssamtale and saves it; the consultant gets it.
      const leader = await until('leder', (s) => Boolean(cardOf(s.chat, 'action-plan')));
      const planCard = cardOf(leader.chat, 'action-plan')!;
      const save = planCard.card.actions!.find((a) => a.verb === 'savePlan')!;
      const saved = await at<{ card: Card }>('action', {
        as: 'leder',
        messageId: planCard.id,
        verb: 'savePlan',
        data: save.data,
        inputs: { 'field:maal': 'Flere elever tager ordet i matematik.', 'field:hvad': 'Makkersnak i 5. klasse.' },
      });
      expect(text(saved.card)).toContain('Gemt og delt med konsulenten.');
      expect(text((await stateOf('konsulent')).chat.at(-1)!.card)).toContain('Makkersnak i 5. klasse.');
      expect(text((await at<{ reply: { card: Card } }>('command', { as: 's1', text: 'handleplan' })).reply.card)).toContain('Flere elever tager ordet i matematik.');

      // The I DO ART draft reaches the consultant prefilled from the handleplan; the consultant approves it.
      const consultant = await until('konsulent', (s) => Boolean(cardOf(s.chat, 'ido-art-draft')));
      const draft = cardOf(consultant.chat, 'ido-art-draft')!;
      expect(text(draft.card)).toContain('Tiltag: Makkersnak i 5. klasse.');
      expect(text(cardOf((await stateOf('leder')).chat, 'ido-art-draft')!.card)).toContain('Fælles udkast');
      const approve = draft.card.actions!.find((a) => a.verb === 'approve')!;
      const approved = await at<{ card: Card }>('action', { as: 'konsulent', messageId: draft.id, verb: 'approve', data: approve.data, inputs: { 'section:intention': 'At samle op på makkersnak.' } });
      expect(text(approved.card)).toContain('Godkendt. Dagsordenen sendes til deltagerne');

      // Days before the conversation the staff get the approved agenda.
      const staff = await until('s1', (s) => s.chat.some((m) => text(m.card).includes('Dagsorden (I DO ART)')));
      expect(text(staff.chat.find((m) => text(m.card).includes('Dagsorden (I DO ART)'))!.card)).toContain('At samle op på makkersnak.');
    } finally {
      await demo.close();
    }
  });
});
