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
};

/** chat.postMessage: about one message per second per channel, a few hundred a minute per workspace. */
export const SLACK_LIMITS: PlatformLimits = {
  tenant: [{ limit: 300, windowMs: 60_000 }],
  conversation: [{ limit: 1, windowMs: 1_000 }],
};

export const PLATFORM_LIMITS: Record<string, PlatformLimits> = { teams: TEAMS_LIMITS, slack: SLACK_LIMITS };
