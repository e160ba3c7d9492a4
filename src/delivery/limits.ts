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
 * src/store/redis/delivery-scripts.ts and MemoryRateLimiter), which take these as arguments.
 */
export const LIMITER_RULES = {
  /** A slowed tenant gets this share of its limit. */
  slowedShare: 0.8,
  /**
   * A tenant is slowed once the 429s within its window reach this share of its limit. One 429 says little:
   * Teams also answers 429 when it is busy, whatever our rate; only when they repeat is the rate the cause.
   */
  repeatedThrottleShare: 0.25,
} as const;
