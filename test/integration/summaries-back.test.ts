// Summaries back to the team (issue 16): each reflection and questionnaire summed up in the team channel at its
// close, and each month's digest to the leaders. Answers through the app's own card path, the real scheduler on
// two replicas over a real Redis, and delivery through real botbuilder to the fake Bot Connector (Teams).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { renderAdaptiveCard, renderSlackCard } from '../../src/cards/render.ts';
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { buildPlan } from '../../src/domain/timeline/plan.ts';
import { calendarFor } from '../../src/domain/timeline/run-calendar.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { dropNamespace, newNamespace, replica } from '../support/delivery.ts';
import { type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { fakeClock } from '../support/fakes.ts';
import { tinyProgramme } from '../support/plans.ts';

const TEAM: TeamRef = { tenant: 'tenant-1', team: 'solsikken' };
const CHANNEL = '19:solsikken@thread.tacv2';
const t = (s: string) => ({ da: s, sv: s, en: s });

// From Monday 7 September 2026 (Copenhagen): an anonymous pulse open a week, reflection questions on Wednesday,
// a week of øvebaner, the leader's handleplan on 22 September for the meeting on Tuesday 6 October.
const programme = tinyProgramme([
  {
    id: 'puls',
    kind: 'questionnaire',
    title: t('Teamets puls'),
    anonymous: true,
    windowDays: 7,
    durationMinutes: 5,
    timing: { type: 'offset', days: 0, time: '09:00' },
    questions: [
      { id: 'trivsel', text: t('Trivsel i teamet'), answer: 'scale' },
      { id: 'tanke', text: t('Din tanke'), answer: 'text' },
    ],
  },
  {
    id: 'refleksion',
    kind: 'reflectionPrompt',
    title: t('Tema 1: refleksion'),
    audience: ['staff', 'leader'],
    timing: { type: 'offset', days: 2, time: '09:00' },
    questions: [{ id: 'laert', text: t('Hvad har du lært?'), answer: 'text' }],
  },
  { id: 'oevebane', kind: 'practicePrompt', title: t('Øvebane'), text: t('Øv dig'), durationMinutes: 10, timing: { type: 'workingDays', forWeeks: 1, time: '10:00' } },
  { id: 'moede', kind: 'meeting', title: t('Sparringsmøde'), audience: ['leader', 'staff', 'facilitator'], timing: { type: 'offset', weeks: 4, weekday: 'tue', time: '13:00' } },
  {
    id: 'handleplan',
    kind: 'actionPlan',
    title: t('Handleplan'),
    audience: ['leader'],
    timing: { type: 'before', activity: 'moede', days: 14, time: '09:00' },
    questions: [{ id: 'maal', text: t('Mål'), answer: 'text' }],
  },
]);
const k = programme.anonymityThreshold;

const STAFF = ['s1', 's2', 's3', 's4', 's5', 's6'];
const NAMES: Record<string, string> = { leder: 'Lene Bach', fac: 'Søren Holt', s1: 'Aisha Rahimi', s2: 'Mikkel Lund', s3: 'Freja Nielsen', s4: 'Jonas Berg', s5: 'Ida Krogh', s6: 'Omar Said' };
const RUN: Run = {
  team: TEAM,
  programmeId: programme.id,
  start: '2026-09-07',
  settings: {},
  timeZone: 'Europe/Copenhagen',
  country: 'DK',
  locale: 'da',
  active: true,
  members: [
    { userId: 'leder', roles: ['leader'], name: NAMES['leder']! },
    { userId: 'fac', roles: ['facilitator'], name: NAMES['fac']! },
    ...STAFF.map((userId) => ({ userId, roles: ['staff' as const], name: NAMES[userId]! })),
  ],
  channelKey: 'channel',
};
const plan = buildPlan(programme, { start: RUN.start }, calendarFor(programme, { country: 'DK', timezone: RUN.timeZone }));
const occurrenceOf = (activityId: string) => plan.occurrences.find((o) => o.activityId === activityId)!;

const clock = fakeClock('2026-09-07T06:00:00Z');
let namespace: string;
let replicas: Array<ReturnType<typeof replica>>;
let fake: FakeBotConnector;

beforeAll(async () => {
  fake = await startFakeBotConnector();
});
afterAll(() => fake.close());

/** A team in a namespace of its own: its run, and where Teams reaches the channel and each member. */
async function setUp() {
  namespace = newNamespace();
  replicas = [1, 2].map((n) => replica(namespace, `replica-${n}`, new Map([[programme.id, programme]]), clock));
  const store = replicas[0]!.store;
  await store.saveRun(RUN);
  const reference = (id: string, type: string) => ({
    serviceUrl: fake.url,
    channelId: 'msteams',
    conversation: { id, tenantId: TEAM.tenant, conversationType: type },
    bot: { id: '28:bot', name: 'Sparringsbot' },
  });
  await store.saveConversation(TEAM, { platform: 'teams', key: 'channel', reference: reference(CHANNEL, 'channel') });
  for (const m of RUN.members) await store.saveConversation(TEAM, { platform: 'teams', key: m.userId, reference: reference(`a:${m.userId}`, 'personal') });
}

async function tearDown() {
  await Promise.all(replicas.map((r) => r.close()));
  await dropNamespace(namespace);
}

/** The same team on a bot that was down: nothing fired yet, and the clock far past some sends. */
async function anotherTeamAfterDowntime(iso: string) {
  await tearDown();
  await setUp();
  clock.set(iso);
  return tick(replicas[0]!);
}

beforeEach(async () => {
  fake.reset();
  await setUp();
});
afterEach(tearDown);

/** Both replicas tick at the same moment, twice: the keys fired, in all. */
async function ticks(iso: string): Promise<string[]> {
  clock.set(iso);
  const fired: string[] = [];
  for (let round = 0; round < 2; round++) for (const result of await Promise.all(replicas.map((r) => tick(r)))) fired.push(...result.fired);
  return fired.sort();
}

/** A member answers an occurrence's card (the activity's first, or the n-th), as Teams' click would reach the app. */
async function answer(userId: string, activityId: string, verb: string, inputs: Record<string, string>, nth = 0) {
  const o = plan.occurrences.filter((x) => x.activityId === activityId)[nth]!;
  const card = { puls: 'questionnaire', refleksion: 'reflection-prompt', oevebane: 'practice-prompt' }[activityId]!;
  const deps = { ...replicas[0]!, canMail: false };
  const actor = { team: TEAM, user: { userId, platform: 'teams' as const, platformUserId: `29:${userId}` } };
  const reply = await handleCardAction(deps, actor, { verb, data: { card, ref: { programmeId: programme.id, activityId, occurrenceId: o.id } }, inputs });
  expect(reply.card, `${userId} ${activityId}`).toBe('answered');
}

const pulse = (userId: string, thought: string) => answer(userId, 'puls', 'answer', { 'answer:trivsel': String((Number(userId.slice(1)) % 5) + 1), 'answer:tanke': thought });

type SummaryData = { answered: number; invited: number; anonymous: boolean; items: Array<{ id: string; answers: string[]; tooFew: boolean }> };

/** What the scheduler queued for the channel under a send's key. */
async function channelItem(key: string) {
  const item = await replicas[0]!.outbox.get(TEAM, key, 'channel');
  expect(item, key).toMatchObject({ state: 'pending', card: { name: 'summary' } });
  return item!.card!.data as SummaryData;
}

/** Everything a reader of the card sees, in Teams and in Slack. */
const seen = (name: 'summary' | 'digest', data: unknown) => JSON.stringify([renderAdaptiveCard(name, data, { locale: 'da' }), renderSlackCard(name, data, { locale: 'da' })]);

function namesNoOne(text: string) {
  for (const [userId, name] of Object.entries(NAMES)) {
    expect(text).not.toContain(name);
    expect(text).not.toContain(`"${userId}"`);
    expect(text).not.toContain(`29:${userId}`);
  }
}

describe('close summaries in the team channel', () => {
  it(`an anonymous questionnaire ${k} or more answered: at its close, once across replicas, its answers shuffled and no one named`, async () => {
    clock.set('2026-09-07T08:00:00Z');
    const thoughts = STAFF.map((u) => `Tanke nummer ${u.slice(1)}`);
    for (const [i, userId] of STAFF.entries()) await pulse(userId, thoughts[i]!);
    const close = occurrenceOf('puls').end;
    expect(close).toBe('2026-09-14T07:00:00Z');

    expect(await ticks('2026-09-14T06:59:00Z')).not.toContain('puls#summary');
    expect(await ticks(close)).toEqual(['puls#summary']);
    expect(await ticks('2026-09-14T12:00:00Z')).toEqual([]);

    const data = await channelItem('puls#summary');
    expect(data).toMatchObject({ answered: 6, invited: 6, anonymous: true });
    const written = data.items.find((i) => i.id === 'tanke')!;
    expect([...written.answers].sort()).toEqual([...thoughts].sort());
    expect(written.answers).not.toEqual(thoughts);
    const card = seen('summary', data);
    for (const thought of thoughts) expect(card).toContain(thought);
    expect(card).toContain('Svarene er anonyme og vises i tilfældig rækkefølge.');
    namesNoOne(card);
    // The channel gets it only: no one's own chat.
    expect(await replicas[0]!.outbox.itemsFor(TEAM, [...STAFF, 'leder', 'fac'])).not.toContainEqual(expect.objectContaining({ occurrenceId: 'puls#summary' }));
  });

  it(`below ${k}: delivered to the Teams channel with the count only, no answer and no name`, async () => {
    clock.set('2026-09-07T08:00:00Z');
    for (const userId of STAFF.slice(0, k - 2)) await pulse(userId, `Hemmelig tanke fra ${userId}`);
    expect(await ticks('2026-09-14T07:00:00Z')).toContain('puls#summary');
    const data = await channelItem('puls#summary');
    expect(data).toMatchObject({ answered: k - 2, invited: 6 });

    // Through delivery and botbuilder to the channel's conversation: the card Teams shows.
    const counts = await deliverDue({ ...replicas[0]!, channels: { teams: new TeamsChannel({ appId: '' }) } });
    expect(counts.dead).toBe(0);
    const posted = fake.acceptedFor(CHANNEL);
    expect(posted).toHaveLength(1);
    const shown = JSON.stringify(posted[0]!.activity['attachments']);
    expect(shown).toContain(`${k - 2} af 6 har svaret`);
    expect(shown).toContain(`Svarene er anonyme og vises først, når mindst ${k} har svaret.`);
    expect(shown).not.toContain('Hemmelig tanke');
    expect(shown).not.toContain('Trivsel i teamet'); // not even the questions' counts
    namesNoOne(shown);
  });

  it('reflection questions: summed up the next working morning with their answers; a bot down for a day posts nothing old', async () => {
    clock.set('2026-09-09T08:00:00Z');
    await answer('s1', 'refleksion', 'answer', { 'answer:laert': 'At lytte før jeg svarer' });
    await answer('leder', 'refleksion', 'answer', { 'answer:laert': 'At give tid' });
    // Wednesday's questions, Thursday 10 September at 08:00.
    expect(await ticks('2026-09-10T05:59:00Z')).not.toContain('refleksion#summary');
    expect(await ticks('2026-09-10T06:00:00Z')).toContain('refleksion#summary');
    const data = await channelItem('refleksion#summary');
    expect(data).toMatchObject({ answered: 2, invited: 7, anonymous: false });
    expect(seen('summary', data)).toContain('At lytte før jeg svarer');

    // Another team whose bot was down from Wednesday until the Monday after: a summary of last week's
    // questions would be old news; it is logged as stale, never posted.
    const result = await anotherTeamAfterDowntime('2026-09-14T06:00:00Z');
    expect(result.stale).toContain('refleksion#summary');
    expect(result.fired).not.toContain('refleksion#summary');
    expect(await replicas[0]!.outbox.get(TEAM, 'refleksion#summary', 'channel')).toBeUndefined();
  });

  it('a bot down on the summary’s day (Thursday) posts it once when it is back on Friday, and no øvebane prompt of the days it missed', async () => {
    clock.set('2026-09-09T08:00:00Z');
    await answer('s1', 'refleksion', 'answer', { 'answer:laert': 'At lytte før jeg svarer' });
    // Nothing ran on Thursday 10 September; both replicas start on Friday at 10:30 and tick twice.
    const fired = await ticks('2026-09-11T08:30:00Z');
    expect(fired.filter((key) => key === 'refleksion#summary')).toEqual(['refleksion#summary']);
    const missed = plan.occurrences.filter((o) => o.activityId === 'oevebane' && o.start < '2026-09-11');
    expect(missed.length).toBeGreaterThan(0);
    for (const o of missed) expect(fired).not.toContain(o.id);
    // Friday's own øvebane is still sent on its day.
    const friday = plan.occurrences.find((o) => o.activityId === 'oevebane' && o.start.startsWith('2026-09-11'))!;
    expect(fired).toContain(friday.id);

    const counts = await deliverDue({ ...replicas[0]!, channels: { teams: new TeamsChannel({ appId: '' }) } });
    expect(counts.dead).toBe(0);
    const posted = fake.acceptedFor(CHANNEL).filter((m) => JSON.stringify(m.activity).includes('At lytte før jeg svarer'));
    expect(posted).toHaveLength(1);
    // Later ticks that day find nothing more to post.
    expect(await ticks('2026-09-11T12:00:00Z')).not.toContain('refleksion#summary');
  });

  it('no summary of the daily øvebane', async () => {
    const fired = await ticks('2026-09-30T12:00:00Z');
    expect(fired.filter((key) => key.startsWith('oevebane') && key.endsWith('#summary'))).toEqual([]);
  });
});

describe('the leaders’ monthly digest', () => {
  it('early the month after: once across replicas, to the leader and the facilitator only, counts and no names', async () => {
    clock.set('2026-09-07T08:00:00Z');
    for (const userId of STAFF.slice(0, 5)) await pulse(userId, `Tanke fra ${userId}`);
    clock.set('2026-09-09T08:00:00Z');
    for (const userId of ['s1', 's2', 'leder']) await answer(userId, 'refleksion', 'answer', { 'answer:laert': `Lært af ${userId}` });
    for (const [nth, day] of ['2026-09-07', '2026-09-08', '2026-09-09'].entries()) {
      clock.set(`${day}T09:00:00Z`);
      for (const userId of ['s1', 's2']) await answer(userId, 'oevebane', 'done', {}, nth);
    }
    const store = replicas[0]!.store;

    // Thursday 1 October, 08:00 in Copenhagen.
    expect((await ticks('2026-10-01T05:59:00Z')).filter((key) => key.startsWith('digest:'))).toEqual([]);
    expect((await ticks('2026-10-01T06:00:00Z')).filter((key) => key.startsWith('digest:'))).toEqual(['digest:2026-09']);
    expect((await ticks('2026-10-01T12:00:00Z')).filter((key) => key.startsWith('digest:'))).toEqual([]);

    const items = await replicas[0]!.outbox.itemsFor(TEAM, ['leder', 'fac', ...STAFF, 'channel']);
    const digests = items.filter((i) => i.occurrenceId === 'digest:2026-09');
    expect(digests.map((i) => i.recipient).sort()).toEqual(['fac', 'leder']);
    const data = digests[0]!.card!.data;
    // The hours the scheduler booked for September's ended occurrences, as the ledger has them.
    const booked = await store.hours(TEAM);
    const sum = (entries: typeof booked) => Math.round(entries.reduce((total, e) => total + e.hours, 0) * 100) / 100;
    const staffHours = sum(booked.filter((e) => e.role === 'staff'));
    const leaderHours = sum(booked.filter((e) => e.role === 'leader'));
    expect(staffHours).toBeGreaterThan(0);
    expect(data).toEqual({
      programmeTitle: 'Tiny',
      month: '2026-09-01',
      participation: [
        { title: 'Teamets puls', answered: 5, invited: 6, times: 1 },
        { title: 'Øvebane', answered: 6, invited: 30, times: 5 },
        { title: 'Tema 1: refleksion', answered: 3, invited: 7, times: 1 },
      ],
      openForms: [{ title: 'Handleplan', dueAt: occurrenceOf('moede').start }],
      hours: {
        total: sum(booked),
        byRole: [
          { role: 'staff', hours: staffHours },
          { role: 'leader', hours: leaderHours },
          ...(booked.some((e) => e.role === 'facilitator') ? [{ role: 'facilitator', hours: sum(booked.filter((e) => e.role === 'facilitator')) }] : []),
        ],
      },
      next: [{ title: 'Sparringsmøde', at: occurrenceOf('moede').start, times: 1 }],
      moreNext: 0,
    });
    const card = seen('digest', data);
    expect(card).toContain('Månedsoverblik for september 2026');
    expect(card).toContain('6 af 30 mulige svar (5 gange)');
    expect(card).toContain(`Brugt i alt indtil nu: ${String(sum(booked)).replace('.', ',')} t`);
    expect(card).toContain('Frist tirsdag den 6. oktober 2026');
    expect(card).toContain('Det sker i oktober 2026');
    namesNoOne(card);

    // Delivered as the leaders' own chat messages through Teams.
    await deliverDue({ ...replicas[0]!, channels: { teams: new TeamsChannel({ appId: '' }) } });
    for (const userId of ['leder', 'fac']) expect(JSON.stringify(fake.acceptedFor(`a:${userId}`).map((m) => m.activity))).toContain('Månedsoverblik for september 2026');
    expect(fake.acceptedFor('a:s1').some((m) => JSON.stringify(m.activity).includes('Månedsoverblik'))).toBe(false);
  });

  it('a form sent is no longer open; on a restart days later the old digest is skipped, not posted', async () => {
    clock.set('2026-09-22T08:00:00Z');
    const deps = { ...replicas[0]!, canMail: false };
    const plan = occurrenceOf('handleplan');
    const actor = { team: TEAM, user: { userId: 'leder', platform: 'teams' as const, platformUserId: '29:leder' } };
    const saved = await handleCardAction(deps, actor, {
      verb: 'savePlan',
      data: { card: 'action-plan', ref: { programmeId: programme.id, activityId: 'handleplan', occurrenceId: plan.id } },
      inputs: { 'field:maal': 'Mere tid' },
    });
    expect(saved.card).toBe('answered');
    expect(await ticks('2026-10-01T06:00:00Z')).toContain('digest:2026-09');
    expect((await replicas[0]!.outbox.get(TEAM, 'digest:2026-09', 'leder'))!.card!.data).toMatchObject({ openForms: [] });

    // Another team whose bot was down from September until Sunday 4 October at 08:00: three days on, skipped.
    const result = await anotherTeamAfterDowntime('2026-10-04T06:00:00Z');
    expect(result.stale).toContain('digest:2026-09');
    expect(await replicas[0]!.outbox.get(TEAM, 'digest:2026-09', 'leder')).toBeUndefined();
    expect(replicas[0]!.logger.entries.some((e) => e.message === 'stale digest skipped' && e.fields['send'] === 'digest:2026-09')).toBe(true);
  });
});
