import type { PlatformLimits } from '../app/ports.ts';

/**
 * The platforms' published limits (DESIGN.md, "Platform facts"; Microsoft Learn "Optimize your bot
 * with rate limiting in Teams"; Slack "Rate limits"). Delivery keeps to them so that a 429 is the
 * exception, not the way to find the limit.
 */
export const TEAMS_LIMITS: PlatformLimits = {
  tenant: [{ limit: 50, windowMs: 1_000 }],
  conversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  // A send reaches the Bot Connector a little after it was counted here, and not always equally late:
  // without this margin, one that overtakes the send a full window before it makes the window's 51st.
  marginMs: 20,
};

/** chat.postMessage: about one message per second per channel, a few hundred a minute per workspace. */
export const SLACK_LIMITS: PlatformLimits = {
  tenant: [{ limit: 300, windowMs: 60_000 }],
  conversation: [{ limit: 1, windowMs: 1_000 }],
  marginMs: 20,
};

export const PLATFORM_LIMITS: Record<string, PlatformLimits> = { teams: TEAMS_LIMITS, slack: SLACK_LIMITS };

/**
 * How the limiter reacts to 429s, for both of its implementations (the Lua in
 * src/store/redis/limiter-scripts.ts and MemoryRateLimiter), which take these as arguments.
 */
export const LIMITER_RULES = {
  /** A slowed tenant gets this share of its limit. */
  slowedShare: 0.8,
  /**
   * A tenant is slowed once the 429s within its window reach this share of its limit. One 429 says little:
   * Teams also answers 429 when it is busy, whatever our rate; only when they repeat is the rate the cause.
   */
  repeatedThrottleShare: 0.25,
  /**
   * A fan-out is paced this much slower than the tenant's limit: the room left is for the retries of its
   * 429s and 5xx. Paced at the limit itself, every retry would push a paced send out of its slot, that one
   * the next, and so on: most sends refused once (a simulation of the benchmark: 0.8 refusals a send at the
   * limit, 0.2 at 5% below, for the same time to the last).
   */
  paceHeadroom: 0.05,
  /**
   * A refused send holds the first slot that fits within this many of the tenant's (shortest) windows; a
   * tenant booked further ahead sends it back to wait that long, holding nothing. Keeps what the limiter
   * counts (and each refusal's work) bounded when the senders fall behind.
   */
  holdWithinWindows: 5,
} as const;
