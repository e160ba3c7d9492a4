// Hours through the scheduler and the app: what each activity books when it has ended (once, for everyone it
// was for), `/sparring hours` for a participant and for a leader, a person's own correction (never someone
// else's, never a bad figure), and the leaders' warning before a booking would pass a budget: a SEVU person's
// 13 hours, STUK's 10-hour punch card.
import { describe, expect, it } from 'vitest';
import { handleCardAction } from '../../src/app/actions/handle-card-action.ts';
import { runCommand } from '../../src/app/commands/run-command.ts';
import type { Actor, AppDeps } from '../../src/app/context.ts';
import type { Member, Run, TeamRef } from '../../src/app/ports.ts';
import { runSends } from '../../src/app/occurrence-card.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryClaims, MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { aRun, programme } from '../support/plans.ts';
import { countingRandom } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'sevu', team: 'vejledere' };
const sevu = programme('sevu-kollegial-sparring');
const stuk = programme('stuk-vejledningsforloeb');
const as = (userId: string): Actor => ({ team: TEAM, user: { userId, platform: 'teams', platformUserId: userId } });

const SEVU_TEAM: Member[] = [
  { userId: 'lene', name: 'Lene Bach', roles: ['leader'] },
  { userId: 'aisha', name: 'Aisha Rahimi', roles: ['staff'] },
  { userId: 'mikkel', name: 'Mikkel Lund', roles: ['staff'] },
  { userId: 'soeren', name: 'Søren Holt', roles: ['facilitator'] },
];
const STUK_TEAM: Member[] = [
  { userId: 'lene', name: 'Lene Bach', roles: ['leader'] },
  { userId: 'aisha', name: 'Aisha Rahimi', roles: ['staff'] },
  { userId: 'karin', name: 'Karin Dahl', roles: ['consultant'] },
];

function setUp(p: Programme, members: Member[], settings: Record<string, string> = {}) {
  const run: Run = aRun({ team: TEAM, programmeId: p.id, start: '2026-09-07', members, settings });
  const plan = planOf(run, p);
  const clock = fakeClock('2026-09-01T06:00:00Z');
  const outbox = new MemoryOutbox();
  const deps: AppDeps & { clock: typeof clock; outbox: MemoryOutbox; logger: ReturnType<typeof memoryLogger> } = {
    store: new EmbeddedStore(undefined, countingRandom()),
    outbox,
    programmes: new Map([[p.id, p]]),
    clock,
    random: countingRandom(),
    logger: memoryLogger(),
    canMail: false,
  };
  const claims = new MemoryClaims();
  const schedule = (owner = 'replica-1') => tick({ ...deps, claims, owner });
  /** Every moment something is due (a card, an occurrence's end), and a tick at each, up to `until`. */
  const moments = [...new Set([...runSends(run, p, plan).map((s) => s.at), ...plan.occurrences.map((o) => o.end)])].sort((a, b) => Date.parse(a) - Date.parse(b));
  const runUntil = async (until: string) => {
    const result = { hoursBooked: [] as string[], hoursWarned: [] as string[] };
    for (const at of moments.filter((m) => Date.parse(m) <= Date.parse(until))) {
      if (Date.parse(at) < clock.now().getTime()) continue;
      clock.set(at);
      const r = await schedule();
      result.hoursBooked.push(...r.hoursBooked);
      result.hoursWarned.push(...r.hoursWarned);
    }
    return result;
  };
  const warningsTo = async (userId: string) => (await outbox.itemsFor(TEAM, [userId])).filter((i) => i.card?.name === 'hours-warning');
  return { run, plan, deps, schedule, runUntil, warningsTo, save: () => deps.store.saveRun(run) };
}

const byPerson = (entries: Array<{ userId: string; hours: number }>) => {
  const sums: Record<string, number> = {};
  for (const e of entries) sums[e.userId] = Math.round(((sums[e.userId] ?? 0) + e.hours) * 100) / 100;
  return sums;
};
const cardText = (reply: { card: string; data: unknown }) => JSON.stringify(renderAdaptiveCard(reply.card as 'hours', reply.data as never, { locale: 'da' }));

describe('hours booked by the scheduler', () => {
  it('books every SEVU activity for everyone it was for once it has ended, once, also with two replicas', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    const opstart = t.plan.occurrences.find((o) => o.activityId === 'opstart')!;
    t.deps.clock.set(opstart.start);
    expect((await t.schedule()).hoursBooked).toEqual([]);
    t.deps.clock.set(opstart.end);
    const [one, two] = await Promise.all([t.schedule('replica-1'), t.schedule('replica-2')]);
    expect([...one!.hoursBooked, ...two!.hoursBooked]).toEqual(['opstart']);
    expect((await t.deps.store.hours(TEAM)).map((e) => [e.userId, e.role, e.hours])).toEqual([
      ['lene', 'leader', 1.5],
      ['aisha', 'staff', 1.5],
      ['mikkel', 'staff', 1.5],
      ['soeren', 'facilitator', 1.5],
    ]);
    expect((await t.schedule()).hoursBooked).toEqual([]);

    await t.runUntil(t.plan.occurrences.at(-1)!.end);
    // The seed's 13 hours for each participant; the facilitator's four meetings (11 of the 27 hours, the rest is preparation).
    expect(byPerson(await t.deps.store.hours(TEAM))).toEqual({ lene: 3, aisha: 13, mikkel: 13, soeren: 11 });
    // Exactly the budget is not past it: no warning.
    expect(await t.warningsTo('lene')).toEqual([]);
  });
});

describe('/sparring hours', () => {
  it('shows a participant their own hours against the budget, and a leader the whole team’s', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    await t.runUntil(t.plan.occurrences.find((o) => o.activityId === 'temamoede-1')!.end);
    const mine = await runCommand(t.deps, as('aisha'), '/sparring hours');
    expect(mine).toMatchObject({ card: 'hours', data: { used: 5.5, budget: 13, ref: { userId: 'aisha' } } });
    expect(mine.data).not.toHaveProperty('team');
    const text = cardText(mine);
    expect(text).toContain('Du har brugt 5,5 t af 13 t – 7,5 t tilbage.');
    expect(text).toContain('"id":"hours:temamoede-1"');
    expect(text).toContain('"value":"1,5"');

    const leader = await runCommand(t.deps, as('lene'), '/sparring hours');
    expect(leader.data).toMatchObject({
      used: 1.5,
      team: {
        total: 1.5 + 5.5 + 5.5 + 5.5,
        people: [
          { name: 'Lene Bach', used: 1.5 },
          { name: 'Aisha Rahimi', used: 5.5, budget: 13 },
          { name: 'Mikkel Lund', used: 5.5, budget: 13 },
          { name: 'Søren Holt', used: 5.5, budget: 27 },
        ],
      },
    });
    expect(cardText(leader)).toContain('5,5 af 27 t – 21,5 t tilbage');
    expect(await runCommand(t.deps, as('aisha'), '/sparring hours alle')).toMatchObject({ card: 'error', data: { code: 'badArgument' } });
  });

  it('shows STUK’s punch card to the leader: hours used of 10 and left', async () => {
    const t = setUp(stuk, STUK_TEAM, { klippekort: 'maanedlig' });
    await t.save();
    await t.runUntil(t.plan.occurrences.filter((o) => o.activityId === 'sparring')[2]!.end);
    const leader = await runCommand(t.deps, as('lene'), 'hours');
    expect(leader.data).toMatchObject({ team: { punchCard: { budget: 10, used: 3 } } });
    expect(cardText(leader)).toContain('Klippekortet: 3 t brugt af 10 t – 7 t tilbage.');
  });
});

describe('correcting one’s own hours', () => {
  const save = (userId: string, inputs: Record<string, string>) => ({ verb: 'correct', data: { card: 'hours', ref: { programmeId: sevu.id, userId } }, inputs });

  it('keeps the person’s figure with the planned one beside it, written with a decimal comma or point', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    await t.runUntil(t.plan.occurrences.find((o) => o.activityId === 'temamoede-1')!.end);
    t.deps.clock.set('2026-09-25T10:00:00Z');
    const reply = await handleCardAction(t.deps, as('aisha'), save('aisha', { 'hours:opstart': '2,5', 'hours:temamoede-1': '3.75' }));
    expect(reply).toMatchObject({ card: 'hours', data: { saved: true, used: 6.25 } });
    expect(cardText(reply)).toContain('(planlagt: 1,5 t)');
    const theirs = (await t.deps.store.hours(TEAM)).filter((e) => e.userId === 'aisha');
    expect(theirs).toEqual([
      expect.objectContaining({ occurrenceId: 'opstart', hours: 2.5, planned: 1.5, correctedAt: '2026-09-25T10:00:00.000Z' }),
      expect.objectContaining({ occurrenceId: 'temamoede-1', hours: 3.75, planned: 4, correctedAt: '2026-09-25T10:00:00.000Z' }),
    ]);
    // Booking again (another tick) leaves the correction alone.
    await t.schedule();
    expect(byPerson(await t.deps.store.hours(TEAM))['aisha']).toBe(6.25);
  });

  it('refuses a figure that is not hours, and changes nothing', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    await t.runUntil(t.plan.occurrences.find((o) => o.activityId === 'opstart')!.end);
    const before = await t.deps.store.hours(TEAM);
    for (const bad of ['to', '25', '-1', '1,5,0', '']) {
      expect(await handleCardAction(t.deps, as('aisha'), save('aisha', { 'hours:opstart': bad }))).toEqual({ card: 'error', data: { code: 'badHours', choices: [] } });
    }
    // One bad field refuses the whole save.
    await handleCardAction(t.deps, as('aisha'), save('aisha', { 'hours:opstart': '2', 'hours:x': 'mange' }));
    expect(await t.deps.store.hours(TEAM)).toEqual(before);
    expect(cardText({ card: 'error', data: { code: 'badHours', choices: [] } })).toContain('Timer skrives som et tal fra 0 til 24, fx 1,5.');
  });

  it('lets no one, not even a leader, change another person’s hours', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    await t.runUntil(t.plan.occurrences.find((o) => o.activityId === 'opstart')!.end);
    const before = await t.deps.store.hours(TEAM);
    const reply = await handleCardAction(t.deps, as('lene'), save('aisha', { 'hours:opstart': '0' }));
    expect(reply).toEqual({ card: 'error', data: { code: 'ownHoursOnly', choices: [] } });
    expect(cardText(reply)).toContain('Kun den, timerne er bogført på, kan rette dem.');
    // Naming her own card does not reach Aisha's booking either: only the clicking person's entries change.
    await handleCardAction(t.deps, as('lene'), { ...save('lene', { 'hours:opstart': '0' }) });
    expect((await t.deps.store.hours(TEAM)).find((e) => e.userId === 'aisha')).toEqual(before.find((e) => e.userId === 'aisha'));
    expect(t.deps.logger.entries.some((e) => e.message === 'card action refused' && e.fields['reason'] === "another person's card")).toBe(true);
  });
});

describe('the leaders’ warning before a booking would pass the budget', () => {
  it('names the SEVU participant whose corrections take the last meeting past 13 hours, once, ahead of it', async () => {
    const t = setUp(sevu, SEVU_TEAM);
    await t.save();
    await t.runUntil(t.plan.occurrences.find((o) => o.activityId === 'opstart')!.end);
    await handleCardAction(t.deps, as('aisha'), { verb: 'correct', data: { card: 'hours', ref: { programmeId: sevu.id, userId: 'aisha' } }, inputs: { 'hours:opstart': '3' } });
    const last = t.plan.occurrences.at(-1)!;
    const { hoursWarned } = await t.runUntil(last.end);
    expect(hoursWarned).toEqual([last.id]);
    const [warning] = await t.warningsTo('lene');
    expect(warning).toMatchObject({ occurrenceId: `${last.id}#hours-warning`, card: { name: 'hours-warning', data: { people: [{ name: 'Aisha Rahimi', budget: 13, projected: 14.5, over: 1.5 }] } } });
    // Sent with the meeting's notice, before the meeting.
    expect(Date.parse(warning!.updatedAt)).toBeLessThan(Date.parse(last.start));
    const text = cardText({ card: 'hours-warning', data: warning!.card!.data });
    expect(text).toContain('Aisha Rahimi: 14,5 t af 13 t – 1,5 t for meget.');
    expect(text).toContain('Møde om afslutning og forankring');
    // To the leader only, and never again.
    expect(await t.warningsTo('aisha')).toEqual([]);
    expect((await t.schedule()).hoursWarned).toEqual([]);
  });

  it('warns of STUK’s punch card before the session that would draw more than its 10 hours', async () => {
    const t = setUp(stuk, STUK_TEAM, { klippekort: 'maanedlig' });
    await t.save();
    const sessions = t.plan.occurrences.filter((o) => o.activityId === 'sparring');
    // Nine monthly hours fit the card.
    expect(sessions).toHaveLength(9);
    await t.runUntil(sessions[0]!.end);
    // The consultant stayed two and a half hours at the first session: the card pays for the longest booked.
    await handleCardAction(t.deps, as('karin'), { verb: 'correct', data: { card: 'hours', ref: { programmeId: stuk.id, userId: 'karin' } }, inputs: { [`hours:${sessions[0]!.id}`]: '2,5' } });
    const { hoursWarned } = await t.runUntil(t.plan.occurrences.at(-1)!.end);
    expect(hoursWarned).toEqual([sessions[8]!.id]);
    const [warning] = await t.warningsTo('lene');
    expect(warning!.card!.data).toMatchObject({ people: [], punchCard: { budget: 10, projected: 10.5, over: 0.5 } });
    expect(cardText({ card: 'hours-warning', data: warning!.card!.data })).toContain('Klippekortet: 10,5 t af 10 t – 0,5 t for meget.');
    const leader = await runCommand(t.deps, as('lene'), 'hours');
    expect(cardText(leader)).toContain('Klippekortet: 10,5 t brugt af 10 t – 0,5 t mere end kortet.');
  });
});
