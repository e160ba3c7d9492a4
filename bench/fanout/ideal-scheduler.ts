// The best `ratio` any scheduler can reach under the benchmark's faults, by simulation: an upper bound to read the
// measured ratio against, and to check a target against before chasing it.
//
// The ideal scheduler knows the fake's tenant window exactly and pays nothing for a request: no latency, no
// Redis, no CPU. It sends whenever the tenant's window has room, retries first. The fake draws its faults
// as in fake-bot-connector.ts: a 429 (Retry-After) or a 5xx before the request counts, so neither takes a
// slot; a 5xx is retried at once, a 429 when its Retry-After ends. What it cannot escape is the last
// second: a send the fake answers 429 near the end of the schedule is accepted a Retry-After later at the
// soonest, and another 429 then adds another.
import { seeded } from '../../test/support/seeded.ts';

export interface IdealShape {
  /** Items per tenant, each to a conversation of its own (the per-conversation limits never bind). */
  itemsPerTenant: number;
  tenants: number;
  /** The tenant's sliding window: this many accepted requests within windowMs. */
  limit: number;
  windowMs: number;
  throttleRate: number;
  serverErrorRate: number;
  retryAfterMs: number;
  /** First tries come due this far apart (a paced fan-out); left out, all at once. */
  paceIntervalMs?: number;
}

/** When one tenant's last item is accepted, all due at 0. */
function tenantDoneMs(shape: IdealShape, random: () => number): number {
  const accepted: number[] = [];
  let fresh = shape.itemsPerTenant;
  /** Retries by the time their Retry-After ends, in order: each ends a Retry-After after a moment that only grows. */
  const retries: number[] = [];
  let nextRetry = 0;
  let now = 0;
  let last = 0;
  while (fresh > 0 || nextRetry < retries.length) {
    const inWindow = accepted.length >= shape.limit ? accepted[accepted.length - shape.limit]! : undefined;
    if (inWindow !== undefined && inWindow > now - shape.windowMs) {
      now = inWindow + shape.windowMs; // the window is full: the next room comes when its oldest leaves
      continue;
    }
    const retryReady = nextRetry < retries.length && retries[nextRetry]! <= now;
    // Whole ms, as pacedDueTimes rounds them (and so the window arithmetic stays exact).
    const freshDue = Math.round((shape.itemsPerTenant - fresh) * (shape.paceIntervalMs ?? 0));
    const freshReady = fresh > 0 && freshDue <= now;
    if (!retryReady && !freshReady) {
      now = Math.min(fresh > 0 ? freshDue : Number.POSITIVE_INFINITY, retries[nextRetry] ?? Number.POSITIVE_INFINITY);
      continue;
    }
    if (retryReady) nextRetry++;
    else fresh--;
    // One item, tried until the fake takes it or answers 429 (a 5xx is tried again at once).
    for (;;) {
      if (random() < shape.throttleRate) {
        retries.push(now + shape.retryAfterMs);
        break;
      }
      if (random() < shape.serverErrorRate) continue;
      accepted.push(now);
      last = now;
      break;
    }
  }
  return last;
}

export interface IdealFigures {
  median: number;
  /** The ratio that a tenth of the runs stay under, and the one that a tenth of them pass: how much luck moves it. */
  p10: number;
  p90: number;
  /** The share of the runs whose ratio reaches the target. */
  reachingTarget: number;
}

/**
 * The ideal scheduler's ratio (accepted over due → last accepted, against the allowed rate) in `runs` seeded runs:
 * the median, and the share of runs that reach `target`.
 */
export function idealRatios(shape: IdealShape, runs: number, seed: number, target: number): IdealFigures {
  // Every try of an item refused, it would never be accepted: the simulation would not end.
  if (!(shape.throttleRate < 1 && shape.serverErrorRate < 1)) throw new RangeError('fault rates must be below 1');
  const random = seeded(seed);
  const allowedPerMs = (shape.tenants * shape.limit) / shape.windowMs;
  const items = shape.tenants * shape.itemsPerTenant;
  const ratios: number[] = [];
  for (let run = 0; run < runs; run++) {
    let wall = 0;
    for (let t = 0; t < shape.tenants; t++) wall = Math.max(wall, tenantDoneMs(shape, random));
    // A run done at 0 (everything in the first window) is limited by nothing but the window: count it as one.
    ratios.push(items / Math.max(wall, shape.windowMs) / allowedPerMs);
  }
  ratios.sort((a, b) => a - b);
  const at = (share: number) => ratios[Math.min(runs - 1, Math.floor(runs * share))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), reachingTarget: ratios.filter((r) => r >= target).length / runs };
}
