// The scheduler with its due-time index, on real Redis at a fake time: it fires at every tick exactly what a pass
// over every run fires, on one replica or two ticking at once; a tick with nothing due reads no run; a run saved
// with a new start or calendar fires at its new times; a stopped run leaves the index, and a start-up brings every
// run back (a deploy may have changed a programme).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member, Run, TeamRef } from '../../src/app/ports.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { FailedRuns } from '../../src/scheduler/failed-runs.ts';
import { startScheduler } from '../../src/scheduler/loop.ts';
import { type TickResult, tick } from '../../src/scheduler/tick.ts';
import { dropNamespace, newNamespace, replica } from '../support/delivery.ts';
import { fakeClock } from '../support/fakes.ts';
import { programme, tinyProgramme } from '../support/plans.ts';
import { seeded } from '../support/seeded.ts';

const PROGRAMMES = ['odense-science-boernehoejde', 'sevu-kollegial-sparring', 'skolverket-kollegialt-larande', 'stuk-vejledningsforloeb', 'kolding-laeringssamtale'].map(programme);
const MEMBERS: Member[] = [
  { userId: 'leder', roles: ['leader'] },
  { userId: 's1', roles: ['staff'] },
  { userId: 's2', roles: ['staff'] },
  { userId: 's3', roles: ['staff', 'facilitator'] },
  { userId: 'konsulent', roles: ['consultant'] },
  { userId: 'vejleder', roles: ['guide'] },
  { userId: 'chef', roles: ['chief'] },
];
const clock = fakeClock('2026-08-10T04:00:00Z');

function runOf(p: Programme, team: TeamRef, start: string, extra: Partial<Run> = {}): Run {
  const sweden = p.country === 'SE';
  return {
    team,
    programmeId: p.id,
    start,
    settings: {},
    timeZone: sweden ? 'Europe/Stockholm' : 'Europe/Copenhagen',
    country: sweden ? 'SE' : 'DK',
    locale: sweden ? 'sv' : 'da',
    active: true,
    members: MEMBERS,
    channelKey: 'channel',
    ...extra,
  };
}

/** Two teams of each programme, their starts spread over the autumn. */
const RUNS: Run[] = PROGRAMMES.flatMap((p, i) => [
  runOf(p, { tenant: 'kommune', team: `${p.id}-a` }, ['2026-08-10', '2026-08-17', '2026-08-24', '2026-08-31', '2026-09-07'][i]!),
  runOf(p, { tenant: 'kommune', team: `${p.id}-b` }, ['2026-09-21', '2026-10-05', '2026-10-26', '2026-11-02', '2026-11-09'][i]!),
]);
const ALL = new Map(PROGRAMMES.map((p) => [p.id, p]));

let namespaces: string[];
let replicas: Array<ReturnType<typeof replica>>;

/** Replicas over a fresh namespace (each its own connections), with the runs saved. */
async function deployment(count: number, runs: readonly Run[] = RUNS, programmes = ALL) {
  const namespace = newNamespace();
  namespaces.push(namespace);
  const made = Array.from({ length: count }, (_, i) => replica(namespace, `replica-${i + 1}`, programmes, clock));
  replicas.push(...made);
  for (const run of runs) await made[0]!.store.saveRun(run);
  return made;
}

beforeEach(() => {
  namespaces = [];
  replicas = [];
  clock.set('2026-08-10T04:00:00Z');
});
afterEach(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await Promise.all(namespaces.map((namespace) => dropNamespace(namespace)));
});

/** What a tick did that anyone would notice, per team: the sends fired, with how many each reached, and the rest. */
function noticed(logs: ReadonlyArray<ReturnType<typeof replica>>, from: number[]): string[] {
  return logs
    .flatMap((r, i) => r.logger.entries.slice(from[i]))
    .filter((e) => e.level !== 'error' && e.message !== 'every run marked due for the first tick')
    .map((e) => `${String(e.fields['team'])} ${e.message} ${String(e.fields['send'] ?? e.fields['occurrenceId'] ?? '')} ${String(e.fields['recipients'] ?? e.fields['queued'] ?? '')}`)
    .sort();
}

/** Instants from August to Christmas, 20 minutes to 40 hours apart, the same every run. */
function instants(): string[] {
  const next = seeded(17);
  const out: string[] = [];
  for (let t = Date.parse('2026-08-10T05:00:00Z'); t < Date.parse('2026-12-20T00:00:00Z'); t += 20 * 60_000 + Math.floor(next() * 40 * 3_600_000)) out.push(new Date(t).toISOString());
  return out;
}

/** Every run's snooze for a person on its first questionnaire, as a click on "remind me tomorrow" would leave it. */
async function snoozeSomeone(r: ReturnType<typeof replica>, at: string) {
  for (const run of RUNS) {
    const p = ALL.get(run.programmeId)!;
    const questionnaire = p.phases.flatMap((phase) => phase.activities).find((a) => a.kind === 'questionnaire');
    if (questionnaire) await r.store.snoozeReminder(run.team, { userId: 's1', occurrenceId: questionnaire.id, until: at });
  }
}

/**
 * The reference: before each tick every run is marked due, so the tick plans and serves every run, as every tick
 * did before the index. The others tick with what the index says. Both see the same instants and the same clicks.
 */
async function walkBeside(reference: ReturnType<typeof replica>, indexed: Array<ReturnType<typeof replica>>) {
  const seen = { served: 0, ticks: 0 };
  for (const [n, iso] of instants().entries()) {
    clock.set(iso);
    if (n === 40) for (const r of [reference, indexed[0]!]) await snoozeSomeone(r, new Date(Date.parse(iso) + 3 * 3_600_000).toISOString());
    const marks = [reference, ...indexed].map((r) => r.logger.entries.length);
    await reference.store.markAllDue();
    const expected = await tick(reference);
    const results: TickResult[] = await Promise.all(indexed.map((r) => tick(r)));
    expect(noticed(indexed, marks.slice(1)), iso).toEqual(noticed([reference], marks.slice(0, 1)));
    const union = (key: keyof Omit<TickResult, 'runs' | 'lagMs' | 'failed'>) => results.flatMap((r) => r[key]).sort();
    for (const key of ['fired', 'stale', 'answered', 'hoursBooked', 'hoursWarned'] as const) expect(union(key), `${key} at ${iso}`).toEqual([...expected[key]].sort());
    seen.served += Math.max(...results.map((r) => r.runs));
    seen.ticks++;
  }
  return seen;
}

describe('the scheduler with its due-time index', () => {
  it('fires at every tick exactly what a pass over every run fires, reading only the runs that are due', async () => {
    const [reference] = await deployment(1);
    const [indexed] = await deployment(1);
    const { served, ticks } = await walkBeside(reference!, [indexed!]);
    expect(reference!.logger.entries.filter((e) => e.message === 'occurrence fired').length).toBeGreaterThan(100);
    // Most ticks find nothing to do for most runs: far fewer runs read than a pass over every run reads.
    expect(served).toBeLessThan((ticks * RUNS.length) / 2);
    // After a tick on one replica, every run's time is ahead of the clock (or it has nothing left).
    for (const run of RUNS) expect((await indexed!.store.dueAt(run.team)) ?? Infinity).toBeGreaterThan(clock.now().getTime());
  });

  it('with two replicas ticking at once, fires each send once, as a pass over every run would', async () => {
    const [reference] = await deployment(1);
    const pair = await deployment(2);
    await walkBeside(reference!, pair);
    const fired = pair.flatMap((r) => r.logger.entries.filter((e) => e.message === 'occurrence fired').map((e) => `${String(e.fields['team'])} ${String(e.fields['send'])}`));
    expect(fired.length).toBeGreaterThan(100);
    expect(new Set(fired).size).toBe(fired.length);
  });

  it('reads no run at a tick with nothing due, and not the list of runs at all', async () => {
    const [r] = await deployment(1);
    clock.set('2026-08-10T05:00:00Z');
    expect((await tick(r!)).runs).toBe(RUNS.length);
    const reads = { getRun: 0, listRuns: 0, listTeams: 0 };
    const counted = new Proxy(r!.store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property in reads) reads[property as keyof typeof reads]++;
        return value.bind(target);
      },
    });
    const due = Math.min(...(await Promise.all(RUNS.map(async (run) => (await r!.store.dueAt(run.team)) ?? Infinity))));
    clock.set(new Date(due - 1).toISOString());
    expect(await tick({ ...r!, store: counted })).toEqual({ fired: [], stale: [], answered: [], hoursBooked: [], hoursWarned: [], lagMs: [], runs: 0, failed: 0 });
    expect(reads).toEqual({ getRun: 0, listRuns: 0, listTeams: 0 });
    clock.set(new Date(due).toISOString());
    const result = await tick({ ...r!, store: counted });
    expect(result.runs).toBeGreaterThan(0);
    expect(result.runs).toBeLessThan(RUNS.length);
    expect(reads.getRun).toBe(result.runs);
    expect(reads.listRuns).toBe(0);
  });

  it('fires a run saved with a new start or calendar at its new times, even before the time it had', async () => {
    // A reflection a week after the start at 09:00, and one two weeks after.
    const p = tinyProgramme([
      { id: 'foer', kind: 'reflectionPrompt', timing: { type: 'offset', days: 7, time: '09:00' } },
      { id: 'efter', kind: 'reflectionPrompt', timing: { type: 'offset', days: 14, time: '09:00' } },
    ]);
    const team = { tenant: 'odense', team: 'solsikken' };
    const run = { ...runOf(p, team, '2026-09-21'), members: MEMBERS.slice(0, 3) };
    const [r] = await deployment(1, [run], new Map([[p.id, p]]));
    // The reflections' own cards (each also has a summary, later).
    const at = async (iso: string) => {
      clock.set(iso);
      return (await tick(r!)).fired.filter((key) => !key.includes('#'));
    };
    expect(await at('2026-09-14T08:00:00Z')).toEqual([]);
    expect(await r!.store.dueAt(team)).toBe(Date.parse('2026-09-28T07:00:00Z'));
    // The start moves a week earlier: 'foer' is due on the 21st, a week before the time the index had.
    await r!.store.saveRun({ ...run, start: '2026-09-14' });
    expect(await at('2026-09-21T06:59:00Z')).toEqual([]);
    expect(await at('2026-09-21T07:00:00Z')).toEqual(['foer']);
    // A date someone fixed for 'efter': Tuesday the 22nd at 10:00 instead of the 28th.
    await r!.store.saveRun({ ...run, start: '2026-09-14', calendar: { fixed: { efter: '2026-09-22T10:00' } } });
    expect(await at('2026-09-22T07:59:00Z')).toEqual([]);
    expect(await at('2026-09-22T08:00:00Z')).toEqual(['efter']);
    // Next: booking its hours when it ends.
    expect(await r!.store.dueAt(team)).toBe(Date.parse('2026-09-22T09:00:00Z'));
  });

  it('tries a run it cannot serve at the next tick, then less and less often up to once an hour, serving the others; a save brings it back at once', async () => {
    // A time zone no calendar knows (a value another release may have stored): planning the run throws.
    const broken = runOf(PROGRAMMES[0]!, { tenant: 'kommune', team: 'broken' }, '2026-08-10', { timeZone: 'Mars/Olympus' });
    const [r] = await deployment(1, [RUNS[0]!, broken]);
    const deps = { ...r!, failedRuns: new FailedRuns() };
    await r!.store.markAllDue();
    const start = Date.parse('2026-08-10T04:00:00Z');
    const failedAt: number[] = [];
    let fired = 0;
    for (let minute = 0; minute < 3 * 60; minute++) {
      clock.set(new Date(start + minute * 60_000).toISOString());
      const result = await tick(deps);
      if (result.failed > 0) failedAt.push(minute);
      fired += result.fired.length;
    }
    // The next tick, then 2, 4, 8, 16, 32 minutes later, then every hour.
    expect(failedAt).toEqual([0, 1, 3, 7, 15, 31, 63, 123]);
    expect(fired).toBeGreaterThan(0);
    const lines = r!.logger.entries.filter((e) => e.message.startsWith('scheduler failed for a run'));
    expect(lines.map((e) => [e.fields['team'], e.fields['failuresInARow'], e.fields['retryAt']]).slice(0, 3)).toEqual([
      ['broken', 1, 'next tick'],
      ['broken', 2, new Date(start + 3 * 60_000).toISOString()],
      ['broken', 3, new Date(start + 7 * 60_000).toISOString()],
    ]);
    // Mended, it is served at the next tick, not at its hour.
    await r!.store.saveRun({ ...broken, timeZone: 'Europe/Copenhagen' });
    clock.set(new Date(start + 3 * 60 * 60_000).toISOString());
    const before = r!.logger.entries.length;
    expect((await tick(deps)).failed).toBe(0);
    expect(r!.logger.entries.slice(before).filter((e) => e.message === 'occurrence fired' && e.fields['team'] === 'broken').length).toBeGreaterThan(0);
  });

  it('lets a stopped run leave the index, and brings every run back at a start-up with a changed programme', async () => {
    const p = tinyProgramme([{ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', days: 7, time: '09:00' } }]);
    const team = { tenant: 'odense', team: 'solsikken' };
    const run = { ...runOf(p, team, '2026-09-14'), members: MEMBERS.slice(0, 3) };
    const [r] = await deployment(1, [run], new Map([[p.id, p]]));
    clock.set('2026-09-15T08:00:00Z');
    await tick(r!);
    expect(await r!.store.dueAt(team)).toBe(Date.parse('2026-09-21T07:00:00Z'));
    await r!.store.saveRun({ ...run, active: false });
    await tick(r!);
    expect(await r!.store.dueAt(team)).toBeUndefined();
    await r!.store.saveRun(run);
    await tick(r!);
    expect(await r!.store.dueAt(team)).toBe(Date.parse('2026-09-21T07:00:00Z'));

    // A deploy moves the reflection to two days after the start: the new release's first tick fires it now.
    const moved = tinyProgramme([{ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', days: 1, time: '09:00' } }]);
    const scheduler = startScheduler({ ...r!, programmes: new Map([[moved.id, moved]]) });
    await scheduler.stop();
    expect(r!.logger.entries.filter((e) => e.message === 'occurrence fired').map((e) => e.fields['send'])).toEqual(['refleksion']);
    // Next: its summary, the following morning.
    expect(await r!.store.dueAt(team)).toBe(Date.parse('2026-09-16T06:00:00Z'));
  });
});
