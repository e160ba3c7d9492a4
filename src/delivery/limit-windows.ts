import type { PlatformLimits } from '../app/ports.ts';
import { LIMITER_RULES } from './limits.ts';

/** One sliding window as the limiter counts it: `limit` sends within `spanMs` (the window plus the margin). */
export interface CountedWindow {
  limit: number;
  /** The limit while the tenant is slowed (the same for a conversation's windows). */
  slowedLimit: number;
  spanMs: number;
}

/**
 * A platform's limits turned into what both limiters (MemoryRateLimiter and the Lua of RedisRateLimiter)
 * count with, computed here once so that the two cannot differ in their numbers.
 */
export interface LimiterPlan {
  tenant: CountedWindow[];
  conversation: CountedWindow[];
  /**
   * How late a send may come for the slot held for it: the margin. A send later than that is counted
   * afresh (it would otherwise go out later than it was counted, and senders that fell behind would catch
   * up in a burst the platform counts as over its limit).
   */
  heldMs: number;
  /** How far ahead a refused send may be given a slot (LIMITER_RULES.holdWithinWindows). */
  holdWithinMs: number;
  /** 429s within the tenant's first window that slow it. */
  throttlesToSlow: number;
  /** The tenant's first window, over which its 429s are counted. */
  throttleSpanMs: number;
  /** The interval at which a fan-out is paced: the tenant's strictest rate, less the headroom. */
  paceIntervalMs: number;
}

export function limiterPlan(limits: PlatformLimits): LimiterPlan {
  const margin = limits.marginMs ?? 0;
  const tenant = limits.tenant.map((l) => ({ limit: l.limit, slowedLimit: Math.max(1, Math.floor(l.limit * LIMITER_RULES.slowedShare)), spanMs: l.windowMs + margin }));
  const conversation = limits.conversation.map((l) => ({ limit: l.limit, slowedLimit: l.limit, spanMs: l.windowMs + margin }));
  const first = tenant[0];
  return {
    tenant,
    conversation,
    heldMs: margin,
    holdWithinMs: LIMITER_RULES.holdWithinWindows * Math.min(...tenant.map((w) => w.spanMs)),
    throttlesToSlow: first ? Math.max(1, Math.ceil(first.limit * LIMITER_RULES.repeatedThrottleShare)) : Infinity,
    throttleSpanMs: first?.spanMs ?? 0,
    paceIntervalMs: Math.max(0, ...tenant.map((w) => (w.spanMs * (1 + LIMITER_RULES.paceHeadroom)) / w.limit)),
  };
}

/** A key's counted sends (their times, ascending) and the windows they count in. */
export interface CountedSends {
  times: number[];
  windows: Array<{ limit: number; spanMs: number }>;
}

/**
 * The earliest time from `now` to `now + withinMs` at which a send fits every window (fewer than `limit`
 * counted sends within one span before or after it, exclusive), or undefined. Only now and the moments a
 * counted send leaves one of its windows can be the first to fit. The candidates are walked in order with
 * two cursors per window over the sorted times, so a refusal costs a pass over the sends, not a pass per
 * candidate. (The Lua of ACQUIRE does the same, step for step.)
 */
export function earliestFit(groups: CountedSends[], now: number, withinMs: number): number | undefined {
  const candidates = [now];
  for (const { times, windows } of groups)
    for (const t of times)
      for (const w of windows) {
        const leaves = t + w.spanMs;
        if (leaves > now && leaves <= now + withinMs) candidates.push(leaves);
      }
  candidates.sort((a, b) => a - b);
  const cursors = groups.flatMap(({ times, windows }) => windows.map((w) => ({ times, limit: w.limit, span: w.spanMs, from: 0, to: 0 })));
  for (const at of candidates) {
    let fits = true;
    for (const c of cursors) {
      while (c.from < c.times.length && c.times[c.from]! <= at - c.span) c.from++;
      while (c.to < c.times.length && c.times[c.to]! < at + c.span) c.to++;
      if (c.to - c.from >= c.limit) {
        fits = false;
        break;
      }
    }
    if (fits) return at;
  }
  return undefined;
}
