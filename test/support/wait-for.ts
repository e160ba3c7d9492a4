import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is awaited, for the message should the outer limit be reached ("the outbox to drain"). */
  what: string;
  /**
   * A safeguard against a hang, not an expected duration: far above what the wait takes even on a
   * busy machine, so only a run that makes no progress ever meets it.
   */
  outerLimitMs?: number;
  /** Pause between two looks at the condition. */
  everyMs?: number;
}

/** Generous on purpose: a test on a busy 2-core machine can be many times slower than alone. */
export const OUTER_LIMIT_MS = 120_000;

/**
 * Waits for a condition, not for a time. `condition` returns `true` when it holds; anything else it
 * returns is what it saw, kept for the message if the outer limit is ever reached. An error it throws
 * (a process it waits on has died, say) fails the wait at once rather than at the limit.
 */
export async function waitFor(condition: () => unknown, { what, outerLimitMs = OUTER_LIMIT_MS, everyMs = 20 }: WaitForOptions): Promise<void> {
  const started = performance.now();
  for (;;) {
    const seen = await condition();
    if (seen === true) return;
    if (performance.now() - started >= outerLimitMs) {
      throw new Error(`gave up waiting for ${what} after ${outerLimitMs} ms (a safeguard against a hang, not an expected duration); last saw: ${describe(seen)}`);
    }
    await sleep(everyMs);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
