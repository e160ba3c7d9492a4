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
  /** How long a slot held for a send stays its own after its time: one (shortest) tenant window. */
  heldMs: number;
  /** 429s within the tenant's first window that slow it. */
  throttlesToSlow: number;
  /** The tenant's first window, over which its 429s are counted. */
  throttleSpanMs: number;
  /** The interval at which a fan-out is paced: the tenant's strictest rate. */
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
    heldMs: Math.min(...tenant.map((w) => w.spanMs)),
    throttlesToSlow: first ? Math.max(1, Math.ceil(first.limit * LIMITER_RULES.repeatedThrottleShare)) : Infinity,
    throttleSpanMs: first?.spanMs ?? 0,
    paceIntervalMs: Math.max(0, ...tenant.map((w) => w.spanMs / w.limit)),
  };
}

/** Sends (their times, ascending) counted within one window before or after `at`, exclusive. */
function around(times: number[], at: number, span: number): number {
  let count = 0;
  for (const t of times) if (t > at - span && t < at + span) count++;
  return count;
}

/** Whether a send at `at` fits every window over these sends. */
export function fits(groups: Array<{ times: number[]; windows: Array<{ limit: number; spanMs: number }> }>, at: number): boolean {
  return groups.every(({ times, windows }) => windows.every((w) => around(times, at, w.spanMs) < w.limit));
}

/**
 * The earliest time from `now` at which a send fits: now, or the moment one of the counted sends leaves
 * one of its windows (only then can a window get room). The latest such moment always fits.
 */
export function earliestFit(groups: Array<{ times: number[]; windows: Array<{ limit: number; spanMs: number }> }>, now: number): number {
  const candidates = new Set<number>([now]);
  for (const { times, windows } of groups) for (const t of times) for (const w of windows) if (t + w.spanMs > now) candidates.add(t + w.spanMs);
  for (const at of [...candidates].sort((a, b) => a - b)) if (fits(groups, at)) return at;
  return now;
}
