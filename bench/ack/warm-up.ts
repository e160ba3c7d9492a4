// Before anything is measured: the start-up tick's posts settled, then both apps warmed up.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONCURRENCY, OUTER_LIMIT_MS, TEAM } from './config.ts';
import { closedLoop } from './load.ts';
import type { Answers } from './measure.ts';
import type { Bench, Children } from './setup.ts';

export async function settle({ delivery }: Bench) {
  // The start-up tick catches up on today's occurrences and delivery posts them: let that settle first.
  let stableSince = performance.now();
  let last = '';
  for (const started = performance.now(); performance.now() - stableSince < 1000 && performance.now() - started < OUTER_LIMIT_MS; ) {
    const now = JSON.stringify([(await delivery.claims.fired(TEAM)).size, await delivery.outbox.pending()]);
    if (now !== last || !now.endsWith(',0]')) stableSince = performance.now();
    last = now;
    await sleep(50);
  }
}

/** The fake's counts once the warm-up's answers are all in: (a) counts from there. */
export async function warmUp({ ours, bare }: Children, answers: Answers, roundMs: number) {
  // Warm-up, not counted: both apps at full load for a moment, our answers all in.
  const warmUpMs = Math.min(1000, roundMs);
  for (const target of [ours, bare]) {
    const warm = await closedLoop(target, CONCURRENCY, warmUpMs);
    if (target === ours) answers.expected += warm.acked;
  }
  return (await answers.allAnswered('the warm-up’s answers')).seen;
}
