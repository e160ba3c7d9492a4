// Slack's App Home end to end: signed app_home_opened events and clicks POSTed to /slack/events of the
// server as `npm start` builds it (in-process, on Redis), real Bolt, views.publish and views.open at a fake Slack.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { HOME_LIMITS, NOT_IN_PROGRAMME } from '../../src/app/home.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { validateSlackMessage } from '../../src/cards/slack/block-kit.ts';
import { HOME_VIEW_BLOCKS, homeView } from '../../src/channels/slack/home.ts';
import { LOCALES } from '../../src/domain/programme/schema.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { extremeData } from '../support/card-data.ts';
import { eventCallback, buttonClick, interaction, JSON_BODY, useSlackServer, SLACK_TEAM, slackTeamRun, seedSlackRun } from '../support/slack-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM = SLACK_TEAM;

const reflection = (id: string, title: string, timing: string, audience = 'staff') => `
      - id: ${id}
        kind: reflectionPrompt
        title: { da: "${title}", sv: "${title}", en: "${title}" }
        audience: [${audience}]
        durationMinutes: 10
        windowDays: 30
        allowNonWorkingDays: true
        timing: ${timing}
        questions:
          - id: laert
            text: { da: Hvad har du lært?, sv: Vad har du lärt dig?, en: What have you learnt? }`;

/**
 * Started 20 days ago: ten øvebaner (never closing), a reflection already answered by name, one still open,
 * one for leaders only, an anonymous questionnaire; six reflections to come.
 */
const PROGRAMME = `
schemaVersion: 1
id: home-test
language: da
title: { da: Hjemme-prøve, sv: Hemma-prov, en: Home test }
summary: { da: Et forløb til test, sv: Ett testprogram, en: A test programme }
source: test
lengthMonths: 4
phases:
  - id: only
    title: { da: Eneste fase, sv: Enda fasen, en: Only phase }
    activities:
      - id: oevebane
        kind: practicePrompt
        title: { da: "Øvebane", sv: "Övningsbana", en: "Practice track" }
        text: { da: Brug 10 minutter i dag., sv: Ägna 10 minuter i dag., en: Spend 10 minutes today. }
        audience: [staff]
        durationMinutes: 10
        allowNonWorkingDays: true
        timing: { type: workingDays, forWeeks: 2, time: "00:00" }
${reflection('tidligere', 'Tidligere refleksion', '{ type: offset, days: 2, time: "08:00" }')}
${reflection('refleksion', 'Refleksion om legen', '{ type: offset, days: 10, time: "08:00" }')}
${reflection('lederting', 'Kun for ledere', '{ type: offset, days: 10, time: "09:00" }', 'leader')}
${[1, 2, 3, 4, 5, 6].map((n) => reflection(`fremtid-${n}`, `Fremtid ${n}`, `{ type: offset, weeks: ${4 + n}, time: "08:00" }`)).join('')}
      - id: anonymt
        kind: questionnaire
        title: { da: Anonymt spørgeskema, sv: Anonym enkät, en: Anonymous questionnaire }
        audience: [staff]
        durationMinutes: 10
        windowDays: 30
        anonymous: true
        allowNonWorkingDays: true
        timing: { type: offset, days: 12, time: "08:00" }
        questions:
          - id: fritekst
            text: { da: Hvad tænker du?, sv: Vad tänker du?, en: What do you think? }
`;
const programme = parseProgramme(PROGRAMME, 'home-test.yaml');

const RUN = slackTeamRun('home-test', 20);
const occurrences = planOf(RUN, programme).occurrences;
const only = (activityId: string) => occurrences.find((o) => o.activityId === activityId)!;
const refOf = (o: { activityId: string; id: string }) => ({ programmeId: 'home-test', activityId: o.activityId, occurrenceId: o.id });

type Block = { type: string; elements?: Array<{ type: string; action_id?: string; value?: string }> };
type View = { type: string; blocks: Block[] };

/** Every text a person reads in a view: the blocks' text objects and buttons, in order. */
function shown(view: View): string {
  const out: string[] = [];
  const walk = (value: unknown, key = '') => {
    if (typeof value === 'string' && key === 'text') out.push(value);
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'value') walk(v, k);
  };
  walk(view.blocks);
  return out.join('\n');
}
const buttons = (view: View) => view.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

describe('Slack: the App Home', () => {
  const slack = useSlackServer({
    name: 'slack-home',
    programmes: { 'home-test.yaml': PROGRAMME },
    seed: async (store) => {
      await seedSlackRun(store, RUN);
      // U2 answered the earlier reflection by name; U3 answered it too (never shown as U2's).
      for (const [userId, text] of [
        ['U2', 'Vi byggede en bro af klodser'],
        ['U3', 'Et svar fra en kollega'],
      ] as const) {
        await store.recordReply(TEAM, {
          occurrenceId: only('tidligere').id,
          respondent: { userId, platform: 'slack', platformUserId: userId },
          answers: { outcome: 'answered', values: { laert: text } },
          at: new Date().toISOString(),
          anonymous: false,
          day: DateTime.utc().toISODate()!,
        });
      }
    },
  });
  const send = async (body: string) => (await slack.post(body)).status;
  const homeOpened = async (user: string) => {
    const { body } = eventCallback({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
    return (await slack.post(body, { contentType: JSON_BODY })).status;
  };
  const published = (user: string) => slack.fake.callsTo('views.publish').filter((c) => c.body['user_id'] === user);
  const lastHome = (user: string) => published(user).at(-1)!.body['view'] as View;

  it('setup: U2 answers the anonymous questionnaire from its direct message', async () => {
    const questionnaire = only('anonymt');
    const value = JSON.stringify({ verb: 'answer', card: 'questionnaire', ref: refOf(questionnaire) });
    const click = buttonClick({ user: 'U2', in: { channel: 'DU2', ts: '1700000009.000100' }, trigger: 'trigger-dm', responseUrl: slack.fake.responseUrl('dm'), actionId: 'open:answer', value });
    expect(await send(click)).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the questionnaire’s modal' });
    const view = slack.fake.callsTo('views.open')[0]!.body['view'] as Record<string, unknown>;
    const submit = interaction({
      type: 'view_submission',
      team: { id: 'T1', domain: 'skole' },
      user: { id: 'U2', team_id: 'T1' },
      trigger_id: 'trigger-dm-2',
      view: { ...view, id: 'VDM', team_id: 'T1', app_id: 'A1', state: { values: { 'answer:fritekst': { 'answer:fritekst': { type: 'plain_text_input', value: 'HEMMELIGT anonymt svar' } } } } },
    });
    expect(await send(submit)).toBe(200);
    await waitFor(async () => (await slack.store.anonymousReplies(TEAM, questionnaire.id)).length === 1, { what: 'the anonymous reply stored' });
  });

  it('opening the Home tab publishes the person’s open prompts, next dates and last named answer', async () => {
    expect(await homeOpened('U2')).toBe(200);
    await waitFor(() => published('U2').length === 1, { what: 'the home published' });
    const call = published('U2')[0]!;
    expect(call.authorization).toBe(`Bearer ${slack.token}`);
    const view = lastHome('U2');
    expect(view.type).toBe('home');
    const text = shown(view);
    expect(text).toContain('Dine åbne opgaver');
    expect(text).toContain('Refleksion om legen');
    expect(text).not.toContain('Kun for ledere');
    // Ten øvebaner are open too: the reflection (it closes) comes first, then as many as fit, and how many more.
    const open = buttons(view).map((b) => ({ action_id: b.action_id, value: JSON.parse(b.value!) as Record<string, unknown> }));
    expect(open).toHaveLength(HOME_LIMITS.open);
    // The button of a prompt's own card, its value the same action data; `open:` as in a direct message, numbered to be unique in the view.
    expect(open[0]).toEqual({ action_id: 'open:answer:1', value: { verb: 'answer', card: 'reflection-prompt', ref: refOf(only('refleksion')) } });
    expect(open.slice(1).every((b) => b.action_id?.startsWith('open:done:') && b.value['card'] === 'practice-prompt' && b.value['verb'] === 'done')).toBe(true);
    expect(text).toMatch(/… og \d+ opgaver mere/);
    // Answered ones are not open: the named reflection, and the anonymous questionnaire (known by its marker only).
    expect(open.map((b) => (b.value['ref'] as { activityId: string }).activityId)).not.toContain('tidligere');
    expect(open.map((b) => (b.value['ref'] as { activityId: string }).activityId)).not.toContain('anonymt');
    expect(text).toContain('Det næste, der sker');
    for (const n of [1, 2, 3, 4, 5]) expect(text).toContain(`Fremtid ${n}`);
    expect(text).not.toContain('Fremtid 6');
    expect(text).toContain('Dine seneste svar');
    expect(text).toContain('Tidligere refleksion');
    expect(text).toContain('Vi byggede en bro af klodser');
    expect(text).not.toContain('Et svar fra en kollega');
    expect(text).not.toContain('HEMMELIGT');
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_VIEW_BLOCKS);
    expect(validateSlackMessage({ text: 'home', blocks: view.blocks })).toEqual([]);
  });

  it('the open prompt’s button in the home opens its modal; the submission stores one reply and publishes the home again without it', async () => {
    const home = lastHome('U2');
    const button = buttons(home).find((b) => b.action_id?.startsWith('open:answer:'))!;
    const opened = slack.fake.callsTo('views.open').length;
    const click = buttonClick({ user: 'U2', in: { home }, trigger: 'trigger-home', actionId: button.action_id, value: button.value, actionTs: '2' });
    expect(await send(click)).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length > opened, { what: 'the modal opened from the home' });
    const call = slack.fake.callsTo('views.open').at(-1)!.body;
    expect(call['trigger_id']).toBe('trigger-home');
    const view = call['view'] as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };
    expect(view.callback_id).toBe('answer');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['answer:laert']);
    expect(JSON.parse(view.private_metadata)).toEqual({ data: { card: 'reflection-prompt', ref: refOf(only('refleksion')) }, tenant: 'T1', home: true });

    const publishes = published('U2').length;
    const updates = slack.fake.callsTo('chat.update').length;
    const submit = interaction({
      type: 'view_submission',
      team: { id: 'T1', domain: 'skole' },
      user: { id: 'U2', team_id: 'T1' },
      trigger_id: 'trigger-home-2',
      view: { ...view, id: 'VMODAL', team_id: 'T1', app_id: 'A1', state: { values: { 'answer:laert': { 'answer:laert': { type: 'plain_text_input', value: 'Børnene ledte selv legen' } } } } },
    });
    expect(await send(submit)).toBe(200);
    await waitFor(() => published('U2').length > publishes, { what: 'the home published again' });
    expect(await slack.store.namedReplies(TEAM, only('refleksion').id)).toEqual([
      expect.objectContaining({ respondent: expect.objectContaining({ userId: 'U2' }), outcome: 'answered', values: { laert: 'Børnene ledte selv legen' } }),
    ]);
    expect(slack.fake.callsTo('chat.update')).toHaveLength(updates);
    const again = lastHome('U2');
    expect(buttons(again).some((b) => b.action_id?.startsWith('open:answer:'))).toBe(false);
    expect(shown(again)).toContain('Børnene ledte selv legen');
    expect(shown(again)).not.toContain('HEMMELIGT');
  });

  // A card action without a form, clicked in the home: as a plain button (`skip`), and as `open:` whose card has
  // no modal for the verb (a module part's "done" is such a button): the action runs, and the home is published again.
  it.each([
    ['a plain button', (_n: number) => 'skip'],
    ['an open: button whose card has no form for it', (n: number) => `open:skip:${n}`],
  ])('%s runs its action from the home and publishes the home again', async (_what, actionId) => {
    const home = lastHome('U2');
    const button = buttons(home).find((b) => b.action_id?.startsWith('open:done:'))!;
    const ref = (JSON.parse(button.value!) as { ref: { occurrenceId: string } }).ref;
    const click = buttonClick({
      user: 'U2',
      in: { home },
      trigger: 'trigger-home-3',
      actionId: actionId(3),
      value: JSON.stringify({ verb: 'skip', card: 'practice-prompt', ref }),
      actionTs: '3',
    });
    const publishes = published('U2').length;
    const opened = slack.fake.callsTo('views.open').length;
    expect(await send(click)).toBe(200);
    await waitFor(() => published('U2').length > publishes, { what: 'the home published after the click' });
    expect(await slack.store.namedReplies(TEAM, ref.occurrenceId)).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);
    expect(slack.fake.callsTo('response_url')).toHaveLength(0);
    const again = lastHome('U2');
    expect(buttons(again).some((b) => b.value?.includes(`"${ref.occurrenceId}"`))).toBe(false);
  });

  it('someone in no run of the workspace gets the “not in a programme yet” home', async () => {
    expect(await homeOpened('U9')).toBe(200);
    await waitFor(() => published('U9').length === 1, { what: 'the home of someone outside any run' });
    const view = lastHome('U9');
    expect(shown(view)).toContain('Du er ikke med i et forløb endnu');
    expect(buttons(view)).toEqual([]);
  });

  it('no token, secret or answer was logged', () => {
    const logged = JSON.stringify(slack.logger.entries);
    expect(logged).not.toContain(slack.secret);
    expect(logged).not.toContain(slack.token);
    expect(logged).not.toContain('HEMMELIGT');
    expect(logged).not.toContain('Vi byggede en bro');
  });
});

describe('the home view stays within Slack’s limits', () => {
  const noShowRest = (blocks: Block[]) => blocks.flatMap((b) => b.elements ?? []).every((e) => e.action_id !== 'showRest');

  it.each(LOCALES)('with 50 of everything and 5,000-character texts (%s), it has at most 100 valid blocks and nothing cut off behind a button', (locale) => {
    for (const mode of ['huge', 'empty'] as const) {
      const view = homeView({ data: extremeData('home', locale, mode) as never, locale, timeZone: 'Europe/Copenhagen' });
      expect(view.blocks.length).toBeLessThanOrEqual(HOME_VIEW_BLOCKS);
      expect(validateSlackMessage({ text: 'home', blocks: view.blocks })).toEqual([]);
      expect(noShowRest(view.blocks as Block[])).toBe(true);
    }
  });

  it('a home at the app’s limits, with answers Slack cannot show as mrkdwn, keeps every open prompt and lists fewer answers', () => {
    const ref = (n: number) => ({ programmeId: 'p', activityId: 'a', occurrenceId: `o${n}` });
    const at = '2026-10-26T08:00:00Z';
    const answer = (n: number) => ({ label: `Spørgsmål ${n} *med stjerne*`, value: `_${'Et langt svar med `kode` og *stjerner*. '.repeat(40)}_` });
    const data = {
      programmeTitle: 'Forløb',
      open: Array.from({ length: HOME_LIMITS.open }, (_, i) => ({ card: 'reflection-prompt', verb: 'answer', ref: ref(i), title: `Refleksion ${i + 1}`, sentAt: at, closesAt: at })),
      moreOpen: 4,
      next: Array.from({ length: HOME_LIMITS.next }, (_, i) => ({ title: `Næste ${i + 1}`, at })),
      answers: Array.from({ length: HOME_LIMITS.answers }, (_, i) => ({ title: `Svar ${i + 1}`, at, outcome: 'answered' as const, answers: [1, 2, 3, 4].map(answer) })),
    };
    const view = homeView({ data, locale: 'da', timeZone: 'Europe/Copenhagen' });
    expect(validateSlackMessage({ text: 'home', blocks: view.blocks })).toEqual([]);
    expect(noShowRest(view.blocks as Block[])).toBe(true);
    expect(buttons(view as View)).toHaveLength(HOME_LIMITS.open);
    expect(shown(view as View)).toContain('Svar 1');
    expect(shown(view as View)).toContain('… og 4 opgaver mere');
  });

  it('the “not in a programme” home is one short text', () => {
    const view = homeView(NOT_IN_PROGRAMME);
    expect(view.blocks.length).toBeLessThanOrEqual(4);
    expect(shown(view as View)).toContain('Du er ikke med i et forløb endnu');
  });
});
