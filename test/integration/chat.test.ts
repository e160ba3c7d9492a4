// `/sparring` commands and card clicks, platform-neutral, on the embedded store at a fake time.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { handleInbound } from '../../src/app/inbound.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { plan, programme, aRun } from '../support/plans.ts';
import { countingRandom } from '../support/stores.ts';

const odense = programme('odense-science-boernehoejde');
const TEAM: TeamRef = { tenant: 'local', team: 'solsikken' };
const RUN: Run = aRun({
  team: TEAM,
  programmeId: odense.id,
  start: '2026-08-10',
  members: [
    { userId: 'leder', roles: ['leader'] },
    ...['s1', 's2', 's3', 's4'].map((userId) => ({ userId, roles: ['staff' as const] })),
    { userId: 'konsulent', roles: ['consultant'] },
    { userId: 'vejleder', roles: ['guide'] },
  ],
  channelKey: 'channel',
});
const occurrences = plan(odense, RUN.start, { country: 'DK' }).occurrences;
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'local', platformUserId: userId } });

let deps: AppDeps & { clock: ReturnType<typeof fakeClock>; logger: ReturnType<typeof memoryLogger>; outbox: MemoryOutbox };
beforeEach(async () => {
  deps = {
    store: new EmbeddedStore(undefined, countingRandom()),
    outbox: new MemoryOutbox(),
    programmes: new Map([[odense.id, odense]]),
    clock: fakeClock('2026-10-07T08:00:00Z'),
    random: countingRandom(),
    logger: memoryLogger(),
    canMail: true,
  };
  await deps.store.saveRun(RUN);
});

describe('/sparring', () => {
  it('answers an unknown command with the commands this person may use, and changes nothing', async () => {
    expect(await runCommand(deps, as('s1'), '/sparring hjælp')).toEqual({
      card: 'error',
      data: { code: 'unknownCommand', choices: ['help', 'plan', 'status', 'hours', 'calendar', 'role', 'handleplan', 'reminders'] },
    });
    expect(await deps.outbox.pending()).toBe(0);
    expect(deps.logger.entries).toEqual([expect.objectContaining({ level: 'warn', message: 'command refused' })]);
  });

  it('lets leaders post the agenda, not staff', async () => {
    expect(await runCommand(deps, as('s1'), 'agenda')).toEqual({
      card: 'error',
      data: { code: 'wrongRole', choices: ['help', 'plan', 'status', 'hours', 'calendar', 'role', 'handleplan', 'reminders'], who: ['leader', 'facilitator'] },
    });
    // The refusal says who may, in the team's words.
    const refused = await runCommand(deps, as('s1'), 'agenda');
    expect(JSON.stringify(renderAdaptiveCard(refused.card as 'error', refused.data, { locale: 'da' }))).toContain('Det kan kun disse roller: Leder, Facilitator.');
    expect(await runCommand(deps, as('leder'), 'agenda')).toMatchObject({ card: 'answered', data: { outcome: 'posted' } });
    const meeting = occurrences.find((o) => o.kind === 'sparringMeeting' && o.start.startsWith('2026-10'))!;
    const item = await deps.outbox.get(TEAM, `agenda:${meeting.id}`, 'channel');
    expect(item?.card).toMatchObject({ name: 'sparring-agenda', data: { questions: expect.any(Array), minutes: { min: 30, max: 40 } } });
    // Asking again in the same month posts nothing new.
    await runCommand(deps, as('leder'), 'agenda');
    expect(await deps.outbox.pending()).toBe(1);
  });

  it('refuses a summary of an occurrence that does not exist, naming recent ones', async () => {
    const reply = await runCommand(deps, as('leder'), 'summary nope');
    expect(reply).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect((reply.data as { choices: string[] }).choices).toContain('spoergeskema-1');
    expect(await runCommand(deps, as('leder'), 'summary spoergeskema-1')).toMatchObject({ card: 'answered', data: { outcome: 'posted' } });
    expect(await deps.outbox.pending()).toBe(1);
  });

  it('shows the coming weeks and a person’s own status', async () => {
    const planReply = await runCommand(deps, as('s2'), 'plan');
    expect(planReply).toMatchObject({ card: 'plan', data: { entries: expect.any(Array) } });
    expect((planReply.data as { entries: unknown[] }).entries).toHaveLength(8);
    const status = await runCommand(deps, as('s2'), 'status');
    expect(status).toMatchObject({ card: 'status', data: { rows: expect.arrayContaining([expect.objectContaining({ done: false })]) } });
    expect(status.data).not.toHaveProperty('deadLetters');
  });
});

describe('card clicks', () => {
  const prompt = occurrences.find((o) => o.kind === 'practicePrompt' && o.start.startsWith('2026-10-07'))!;
  const data = { card: 'practice-prompt', ref: { programmeId: odense.id, activityId: prompt.activityId, occurrenceId: prompt.id } };

  it('records a done øvebane with its note once, however often it is clicked', async () => {
    const first = await handleCardAction(deps, as('s1'), { verb: 'done', data, inputs: { note: 'Vi målte vandpytter' } });
    expect(first).toMatchObject({ card: 'answered', data: { outcome: 'done', answers: [{ label: 'Note (valgfri)', value: 'Vi målte vandpytter' }] } });
    await handleCardAction(deps, as('s1'), { verb: 'done', data, inputs: { note: 'Vi målte vandpytter' } });
    expect(await deps.store.namedReplies(TEAM, prompt.id)).toHaveLength(1);
    expect(await deps.store.respondents(TEAM, prompt.id)).toEqual(['s1']);
  });

  it('refuses a forged or broken payload and stores nothing', async () => {
    expect(await handleCardAction(deps, as('s1'), { verb: 'done', data: { card: 'practice-prompt' }, inputs: {} })).toEqual({ card: 'error', data: { code: 'badPayload', choices: [] } });
    expect(await handleCardAction(deps, as('s1'), { verb: 'done', data: { ...data, ref: { ...data.ref, occurrenceId: 'nope' } }, inputs: {} })).toMatchObject({ data: { code: 'badPayload' } });
    expect(await handleCardAction(deps, as('s1'), { verb: 'explode', data, inputs: {} })).toMatchObject({ data: { code: 'badPayload' } });
    expect(await deps.store.respondents(TEAM, prompt.id)).toEqual([]);
  });

  it('refuses a click by someone outside the audience', async () => {
    expect(await handleCardAction(deps, as('vejleder'), { verb: 'done', data, inputs: {} })).toMatchObject({ card: 'error', data: { code: 'wrongRole' } });
  });

  it('answers a questionnaire after its close with the expired card', async () => {
    const questionnaire = occurrences.find((o) => o.activityId === 'spoergeskema-1')!;
    const reply = await handleCardAction(deps, as('s1'), {
      verb: 'answer',
      data: { card: 'questionnaire', ref: { programmeId: odense.id, activityId: 'spoergeskema-1', occurrenceId: questionnaire.id } },
      inputs: { 'answer:faa-oeje-paa': '4' },
    });
    expect(reply).toEqual({ card: 'expired', data: expect.objectContaining({ closedAt: questionnaire.end }) });
    // The questionnaire is anonymous: the refusal is logged without the person.
    expect(deps.logger.entries.at(-1)).toMatchObject({ message: 'card action refused', fields: { reason: 'after the close' } });
    expect(deps.logger.entries.at(-1)!.fields['userId']).toBeUndefined();
  });

  it('shows every written answer of a summary when a leader asks for all of them', async () => {
    const questionnaire = occurrences.find((o) => o.activityId === 'spoergeskema-1')!;
    const textItem = odense.phases
      .flatMap((p) => p.activities)
      .find((a) => a.id === 'spoergeskema-1')!
      .questions.find((q) => q.answer === 'text')!;
    for (let n = 1; n <= 12; n++) {
      await deps.store.saveMember(TEAM, { userId: `p${n}`, roles: ['staff'] });
      await deps.store.recordReply(TEAM, {
        occurrenceId: questionnaire.id,
        respondent: { userId: `p${n}`, platform: 'local', platformUserId: `p${n}` },
        answers: { outcome: 'answered', values: { [textItem.id]: `Tanke ${n}` } },
        at: '2026-08-12T08:00:00.000Z',
        anonymous: true,
        day: '2026-08-12',
      });
    }
    const data = { card: 'summary', ref: { programmeId: odense.id, activityId: 'spoergeskema-1', occurrenceId: questionnaire.id } };
    const reply = await handleCardAction(deps, as('leder'), { verb: 'showAll', data, inputs: {} });
    expect(reply).toMatchObject({ card: 'summary', data: { expanded: true, answered: 12, invited: 16 } });
    const card = JSON.stringify(renderAdaptiveCard('summary', reply.data, { locale: 'da' }));
    for (let n = 1; n <= 12; n++) expect(card).toContain(`Tanke ${n}`);
    expect(card).not.toContain('svar mere');
    expect(await handleCardAction(deps, as('vejleder'), { verb: 'showAll', data, inputs: {} })).toMatchObject({ data: { code: 'wrongRole' } });
  });
});

describe('the one inbound path every receiver shares', () => {
  it('answers someone who is in no run with a card saying so, in the team’s language, and changes nothing', async () => {
    const swedish: TeamRef = { tenant: 'local', team: 'solrosen' };
    await deps.store.saveRun({ ...RUN, team: swedish, locale: 'sv', timeZone: 'Europe/Stockholm' });
    const stranger = (team: TeamRef) => handleInbound(deps, { platform: 'teams', team, platformUserId: '29:stranger', input: { kind: 'command', text: 'agenda' } });
    expect(await stranger(swedish)).toEqual({ card: 'error', data: { code: 'notMember', choices: [] }, locale: 'sv', timeZone: 'Europe/Stockholm' });
    expect(await stranger({ tenant: 'local', team: 'nowhere' })).toMatchObject({ card: 'error', data: { code: 'notMember' }, locale: 'da' });
    expect(await deps.outbox.pending()).toBe(0);
    expect(deps.logger.entries.filter((e) => e.message === 'inbound event from someone outside any run')).toHaveLength(2);
  });

  it('runs a member’s command and click as the app’s use cases, presented in the team’s language', async () => {
    const reply = await handleInbound(deps, { platform: 'teams', team: TEAM, platformUserId: 'leder', input: { kind: 'command', text: '/sparring agenda' } });
    expect(reply).toMatchObject({ card: 'answered', data: { outcome: 'posted' }, locale: 'da', timeZone: 'Europe/Copenhagen' });
    expect(await deps.outbox.pending()).toBe(1);
  });

  it('lets only leaders and facilitators post an agenda from the agenda card, as with /sparring agenda', async () => {
    const meeting = occurrences.find((o) => o.kind === 'sparringMeeting')!;
    deps.clock.set(meeting.start);
    const data = { card: 'sparring-agenda', ref: { programmeId: odense.id, activityId: meeting.activityId, occurrenceId: meeting.id } };
    expect(await handleCardAction(deps, as('s1'), { verb: 'postAgenda', data, inputs: {} })).toMatchObject({ card: 'error', data: { code: 'wrongRole', who: ['leader', 'facilitator'] } });
    expect(await deps.outbox.pending()).toBe(0);
    expect(await handleCardAction(deps, as('leder'), { verb: 'postAgenda', data, inputs: { leaderQuestions: 'Hvad lærte vi?' } })).toMatchObject({ card: 'answered', data: { outcome: 'posted' } });
    expect(await deps.outbox.pending()).toBe(1);
  });
});

describe('/sparring calendar', () => {
  // As the running bot plans it (the programme's own calendar kind).
  const meeting = () => planOf(RUN, odense).occurrences.find((o) => o.kind === 'sparringMeeting' && Date.parse(o.start) > Date.parse('2026-10-07T08:00:00Z'))!;
  const dayOf = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

  it('shows everyone the team’s calendar; only a leader changes it', async () => {
    expect(await runCommand(deps, as('s1'), 'calendar')).toMatchObject({ card: 'calendar', data: { kind: odense.calendar, closed: [], fixed: [], changed: false } });
    expect(await runCommand(deps, as('s1'), `calendar closed ${dayOf(meeting().start)}`)).toMatchObject({ card: 'error', data: { code: 'onlyLeaders' } });
    expect((await deps.store.getRun(TEAM))!.calendar).toBeUndefined();
  });

  it('takes a closed day: the meeting on it moves, the channel is told once, and the card says what moved', async () => {
    const day = dayOf(meeting().start);
    const reply = await runCommand(deps, as('leder'), `calendar closed ${day}`);
    expect(reply).toMatchObject({ card: 'calendar', data: { changed: true, closed: [day] } });
    const moved = (reply.data as { moved: Array<{ from: string; to: string }> }).moved;
    expect(moved).toContainEqual(expect.objectContaining({ from: meeting().start }));
    expect(moved.every((m) => dayOf(m.to) !== day)).toBe(true);
    expect((await deps.store.getRun(TEAM))!.calendar).toEqual({ closed: [day] });
    const [post] = (await deps.outbox.itemsFor(TEAM, ['channel'])).filter((i) => i.card?.name === 'plan-changed');
    expect(post?.card?.data).toMatchObject({ moved });
    // The same change again moves nothing and posts nothing.
    await runCommand(deps, as('leder'), `calendar closed ${day}`);
    expect((await deps.outbox.itemsFor(TEAM, ['channel'])).filter((i) => i.card?.name === 'plan-changed')).toHaveLength(1);
    // Opened again: the meeting is back on its day.
    const open = await runCommand(deps, as('leder'), `calendar open ${day}`);
    expect((open.data as { moved: Array<{ to: string }> }).moved).toContainEqual(expect.objectContaining({ to: meeting().start }));
  });

  it('fixes a date someone else set, and refuses what is not a date or not an occurrence, changing nothing', async () => {
    const id = meeting().id;
    const fixed = await runCommand(deps, as('leder'), `calendar fix ${id}=2026-12-15T14:00`);
    expect(fixed).toMatchObject({ card: 'calendar', data: { fixed: [{ id, at: '2026-12-15T14:00' }] } });
    expect((fixed.data as { moved: Array<{ to: string }> }).moved).toContainEqual(expect.objectContaining({ to: '2026-12-15T13:00:00Z' }));
    const before = (await deps.store.getRun(TEAM))!.calendar;
    expect(await runCommand(deps, as('leder'), 'calendar closed 2026-13-01')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect(await runCommand(deps, as('leder'), 'calendar fix nope=2026-12-15')).toMatchObject({ card: 'error', data: { code: 'notFound' } });
    expect(await runCommand(deps, as('leder'), 'calendar kind factory')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect((await deps.store.getRun(TEAM))!.calendar).toEqual(before);
  });
});

describe('/sparring role', () => {
  it('lists everyone’s role; a leader changes one by name, id or mention, a role by id or its name in any language', async () => {
    const listed = await runCommand(deps, as('s1'), 'role');
    expect(listed).toMatchObject({ card: 'roles', data: { members: expect.arrayContaining([{ name: 'leder', roles: ['leader'] }]) } });
    expect(await runCommand(deps, as('leder'), 'role s1 facilitator')).toMatchObject({ card: 'roles', data: { changed: { name: 's1', role: 'facilitator' } } });
    expect((await deps.store.members(TEAM)).find((m) => m.userId === 's1')?.roles).toEqual(['facilitator']);
    await runCommand(deps, as('leder'), 'role <@s2|s2> konsulent');
    await runCommand(deps, as('leder'), 'role S3 Medarbetare');
    expect(Object.fromEntries((await deps.store.members(TEAM)).map((m) => [m.userId, m.roles]))).toMatchObject({ s1: ['facilitator'], s2: ['consultant'], s3: ['staff'] });
  });

  it('refuses staff (saying who may), an unknown person or role, and leaving the team with no one to lead; nothing changes', async () => {
    const before = await deps.store.members(TEAM);
    expect(await runCommand(deps, as('s1'), 'role s2 leader')).toEqual({ card: 'error', data: { code: 'onlyLeaders', choices: ['/sparring role'] } });
    expect(await runCommand(deps, as('leder'), 'role nobody leader')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect(await runCommand(deps, as('leder'), 'role s1 boss')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect(await runCommand(deps, as('leder'), 'role leder staff')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
    expect(await deps.store.members(TEAM)).toEqual(before);
  });
});

describe('a click counts only while its card is out', () => {
  it('refuses an action on an occurrence that has not started: no document, no mail', async () => {
    // The second Bilag B form: it goes out 10 working days before its visit (January), long after 7 October.
    const form = occurrences.filter((o) => o.kind === 'preVisitMail').at(-1)!;
    const data = { card: 'pre-visit-form', ref: { programmeId: odense.id, activityId: form.activityId, occurrenceId: form.id } };
    const early = await handleCardAction(deps, as('leder'), { verb: 'sendToGuide', data, inputs: { 'field:dato': '2027-02-05' } });
    expect(early).toMatchObject({ card: 'error', data: { code: 'notYet' } });
    expect(await deps.outbox.pending()).toBe(0);
    expect(await deps.store.getDocument(TEAM, 'preVisitPlan', form.id)).toBeUndefined();
    expect(deps.logger.entries.at(-1)).toMatchObject({ level: 'warn', fields: { reason: 'occurrence has not started' } });
  });

  it('posts the leader’s agenda once however often the same click arrives, and again when the questions change', async () => {
    const meeting = occurrences.find((o) => o.kind === 'sparringMeeting')!;
    deps.clock.set(meeting.start);
    const data = { card: 'sparring-agenda', ref: { programmeId: odense.id, activityId: meeting.activityId, occurrenceId: meeting.id } };
    const click = (questions: string) => handleCardAction(deps, as('leder'), { verb: 'postAgenda', data, inputs: { leaderQuestions: questions } });
    await click('Hvad virkede?');
    deps.clock.advance(90_000); // a platform's resend, a minute later
    await click('Hvad virkede?');
    expect(await deps.outbox.pending()).toBe(1);
    await click('Hvad virkede?\nHvad prøver vi nu?');
    expect(await deps.outbox.pending()).toBe(2);
  });
});

describe('a summary asked for again', () => {
  it('posts nothing new until more have answered, however often it is asked', async () => {
    const prompt = occurrences.filter((o) => o.kind === 'practicePrompt' && Date.parse(o.start) <= Date.parse('2026-10-07T08:00:00Z')).at(-1)!;
    const ask = () => runCommand(deps, as('leder'), `summary ${prompt.id}`);
    await ask();
    deps.clock.advance(5 * 60_000);
    await ask();
    expect(await deps.outbox.pending()).toBe(1);
    const data = { card: 'practice-prompt', ref: { programmeId: odense.id, activityId: prompt.activityId, occurrenceId: prompt.id } };
    await handleCardAction(deps, as('s1'), { verb: 'done', data, inputs: {} });
    await ask();
    expect(await deps.outbox.pending()).toBe(2);
  });
});
