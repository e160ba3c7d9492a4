import type { TeamRef } from '../app/ports.ts';

/** The longest a run that keeps failing waits between tries. */
export const MAX_FAILED_RUN_WAIT_MS = 60 * 60 * 1000;
const FIRST_WAIT_MS = 2 * 60 * 1000;
/** Runs remembered (memory, not correctness: one forgotten starts again from the next tick). */
const KEPT = 10_000;

/**
 * The runs whose serving failed in this process, so one that fails again is tried less and less often: at the next
 * tick after a first failure (a moment of Redis trouble costs a minute), then after 2, 4, 8 … minutes, at most an
 * hour. A run that cannot be served at all (a value stored by another release, a planner bug) then costs an error
 * line an hour instead of one a minute, and its planning is not redone every tick. A change to the run (a save, a
 * member, a snooze) makes it due at once as ever, and a restart marks every run due.
 */
export class FailedRuns {
  private readonly failures = new Map<string, number>();

  /** A failure of the run's serving at `nowMs`: how many in a row, and when to try it again (undefined: next tick). */
  failed(team: TeamRef, nowMs: number): { inARow: number; retryAtMs?: number } {
    const key = keyOf(team);
    const inARow = (this.failures.get(key) ?? 0) + 1;
    if (!this.failures.has(key) && this.failures.size >= KEPT) this.failures.clear();
    this.failures.set(key, inARow);
    if (inARow === 1) return { inARow };
    return { inARow, retryAtMs: nowMs + Math.min(MAX_FAILED_RUN_WAIT_MS, FIRST_WAIT_MS * 2 ** (inARow - 2)) };
  }

  served(team: TeamRef): void {
    this.failures.delete(keyOf(team));
  }
}

const keyOf = (team: TeamRef) => `${team.tenant}\u0000${team.team}`;
