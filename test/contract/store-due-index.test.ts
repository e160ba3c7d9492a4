// The contract of DueIndex, the scheduler's index of when each run is next due, on Redis and the embedded store:
// a change marks a run due at once, a time worked out from data that has changed since is never written, and a
// time only ever moves later through the tick's conditional write.
import { expect, it } from 'vitest';
import { eachStore, OTHER, run, TEAM } from './store-fixtures.ts';

const lene = { userId: 'leder', roles: ['leader' as const] };
const NOW = Date.parse('2026-09-14T08:00:00Z');
const HOUR = 3_600_000;

eachStore('DueIndex', (subject) => {
  it('has a saved run due at the next tick, whatever its clock, and only runs due by now', async () => {
    const { store } = subject();
    expect(await store.dueRuns(NOW)).toEqual([]);
    await store.saveRun(run([lene]));
    const [due] = await store.dueRuns(0);
    expect(due).toMatchObject({ team: TEAM, dueMs: 0 });
    expect(await store.reschedule(TEAM, due!.revision, NOW + HOUR)).toBe(true);
    expect(await store.dueAt(TEAM)).toBe(NOW + HOUR);
    expect(await store.dueRuns(NOW)).toEqual([]);
    expect((await store.dueRuns(NOW + HOUR)).map((d) => d.team)).toEqual([TEAM]);
  });

  it('lists the due runs earliest first', async () => {
    const { store } = subject();
    await store.saveRun(run([lene]));
    await store.saveRun(run([lene], { team: OTHER }));
    const [first, second] = await store.dueRuns(NOW);
    await store.reschedule(first!.team, first!.revision, NOW - 1_000);
    await store.reschedule(second!.team, second!.revision, NOW - 2_000);
    expect((await store.dueRuns(NOW)).map((d) => [d.team, d.dueMs])).toEqual([
      [second!.team, NOW - 2_000],
      [first!.team, NOW - 1_000],
    ]);
  });

  it('does not write a time worked out before a change: the run stays due for the next tick to work out again', async () => {
    const { store } = subject();
    await store.saveRun(run([lene]));
    const [read] = await store.dueRuns(NOW);
    // A tick has read the run; meanwhile the leader moves the start, a member joins, someone snoozes.
    for (const change of [
      () => store.saveRun(run([lene], { start: '2026-08-17' })),
      () => store.saveMember(TEAM, { userId: 'ny', roles: ['staff'] }),
      () => store.snoozeReminder(TEAM, { userId: 'leder', occurrenceId: 'tema-1-1', until: new Date(NOW + HOUR).toISOString() }),
    ]) {
      const [before] = await store.dueRuns(NOW);
      await change();
      expect(await store.reschedule(TEAM, before!.revision, NOW + 24 * HOUR)).toBe(false);
      expect((await store.dueRuns(NOW)).map((d) => d.team)).toEqual([TEAM]);
    }
    expect(await store.reschedule(TEAM, read!.revision, NOW + 24 * HOUR)).toBe(false);
    const [fresh] = await store.dueRuns(NOW);
    expect(await store.reschedule(TEAM, fresh!.revision, NOW + 24 * HOUR)).toBe(true);
  });

  it('brings a run forward to a snooze that comes before its time, and never moves a time later by marking', async () => {
    const { store } = subject();
    await store.saveRun(run([lene]));
    const [read] = await store.dueRuns(NOW);
    await store.reschedule(TEAM, read!.revision, NOW + 48 * HOUR);
    await store.snoozeReminder(TEAM, { userId: 'leder', occurrenceId: 'tema-1-1', until: new Date(NOW + 24 * HOUR).toISOString() });
    expect(await store.dueAt(TEAM)).toBe(NOW + 24 * HOUR);
    await store.snoozeReminder(TEAM, { userId: 'leder', occurrenceId: 'tema-1-2', until: new Date(NOW + 30 * HOUR).toISOString() });
    expect(await store.dueAt(TEAM)).toBe(NOW + 24 * HOUR);
    await store.markDue(TEAM, NOW + 72 * HOUR);
    expect(await store.dueAt(TEAM)).toBe(NOW + 24 * HOUR);
  });

  it('lets a finished run leave the index until a change or a start-up brings it back', async () => {
    const { store } = subject();
    await store.saveRun(run([lene]));
    await store.saveRun(run([lene], { team: OTHER }));
    for (const due of await store.dueRuns(NOW)) await store.reschedule(due.team, due.revision, undefined);
    expect(await store.dueAt(TEAM)).toBeUndefined();
    expect(await store.dueRuns(Number.MAX_SAFE_INTEGER)).toEqual([]);
    await store.removeMember(TEAM, 'leder');
    expect((await store.dueRuns(NOW)).map((d) => d.team)).toEqual([TEAM]);
    expect(await store.markAllDue()).toBe(2);
    expect((await store.dueRuns(0)).map((d) => d.team).sort((a, b) => a.team.localeCompare(b.team))).toEqual([TEAM, OTHER].sort((a, b) => a.team.localeCompare(b.team)));
  });

  it('keeps the times of the runs it has across a restart, or has every run due again (the embedded store keeps none)', async () => {
    const { store } = subject();
    await store.saveRun(run([lene]));
    const [read] = await store.dueRuns(NOW);
    await store.reschedule(TEAM, read!.revision, NOW + HOUR);
    const reopened = subject().reopen();
    expect([NOW + HOUR, 0]).toContain(await reopened.dueAt(TEAM));
    expect((await reopened.dueRuns(NOW + HOUR)).map((d) => d.team)).toEqual([TEAM]);
  });

  it('lets one of two replicas write a run’s time from one reading, and neither after a change', async () => {
    const { store } = subject();
    const other = subject().replica?.() ?? store;
    await store.saveRun(run([lene]));
    const [a] = await store.dueRuns(NOW);
    const [b] = await other.dueRuns(NOW);
    // Both worked the time out from the same run: either write is right, the later one stands.
    expect(await store.reschedule(TEAM, a!.revision, NOW + HOUR)).toBe(true);
    expect(await other.reschedule(TEAM, b!.revision, NOW + 2 * HOUR)).toBe(true);
    expect(await store.dueAt(TEAM)).toBe(NOW + 2 * HOUR);
    await other.saveRun(run([lene], { start: '2026-08-03' }));
    expect(await store.reschedule(TEAM, a!.revision, NOW + 3 * HOUR)).toBe(false);
    expect(await store.dueAt(TEAM)).toBe(0);
  });
});
