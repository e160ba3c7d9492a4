import { createHmac } from 'node:crypto';
import type { LimitedSend, PlatformLimits, RateLimiter } from '../../app/ports.ts';
import { DEVELOPMENT_ANONYMITY_SECRET } from '../../config.ts';
import { type LimiterPlan, limiterPlan } from '../../delivery/limit-windows.ts';
import { limitKeys } from '../keys.ts';
import type { RedisClient } from './client.ts';
import { ACQUIRE, PACE, RELEASE, THROTTLE } from './limiter-scripts.ts';
import { type Script, script } from './redis-team.ts';

/**
 * The limiter on Redis: one script call a step, each on the keys of one tenant (one hash tag). See
 * MemoryRateLimiter for the same rules in memory. A send's id names its work item (occurrence and
 * recipient), and a reminder of an anonymous questionnaire must leave nothing that says whom it went to:
 * so Redis keeps a keyed hash of it, under the anonymity secret like the "has answered" markers.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly acquireScript: Script;
  private readonly releaseScript: Script;
  private readonly throttleScript: Script;
  private readonly paceScript: Script;
  /** Per platform: the plan and the script arguments that follow from it, worked out once. */
  private readonly plans = new Map<string, { plan: LimiterPlan; windows: number[] }>();
  private readonly limits: Record<string, PlatformLimits>;
  private readonly namespace: string | undefined;
  /** ANONYMITY_SECRET as `anonymitySecret(config)` gives it; left out, the playground's fixed key (tests, benchmarks). */
  private readonly secret: string;
  constructor(redis: RedisClient, limits: Record<string, PlatformLimits>, namespace?: string, secret: string = DEVELOPMENT_ANONYMITY_SECRET) {
    this.limits = limits;
    this.namespace = namespace;
    this.secret = secret;
    this.acquireScript = script(redis, 'sparringAcquire6', 6, ACQUIRE);
    this.releaseScript = script(redis, 'sparringRelease2', 4, RELEASE);
    this.throttleScript = script(redis, 'sparringThrottle4', 7, THROTTLE);
    this.paceScript = script(redis, 'sparringPace', 1, PACE);
  }

  private plan(platform: string) {
    const limits = this.limits[platform];
    if (!limits) return undefined;
    let entry = this.plans.get(platform);
    if (!entry) {
      const plan = limiterPlan(limits);
      const windows = [plan.tenant.length, ...plan.tenant.flatMap((w) => [w.limit, w.slowedLimit, w.spanMs]), plan.conversation.length, ...plan.conversation.flatMap((w) => [w.limit, w.spanMs])];
      this.plans.set(platform, (entry = { plan, windows }));
    }
    return entry;
  }

  /** What Redis keeps of a send's id. */
  private member(send: LimitedSend) {
    return createHmac('sha256', this.secret).update(send.send).digest('base64url').slice(0, 22);
  }

  async acquire(send: LimitedSend, nowMs: number) {
    const entry = this.plan(send.platform);
    if (!entry) return 0;
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    const keys = [k.sends, k.conversationSends(send.conversation), k.conversationUntil(send.conversation), k.slowedUntil, k.held, k.conversationHeld(send.conversation)];
    return Number(await this.acquireScript(...keys, nowMs, this.member(send), entry.plan.heldMs, entry.plan.holdWithinMs, ...entry.windows));
  }

  async release(send: LimitedSend) {
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    await this.releaseScript(k.sends, k.conversationSends(send.conversation), k.held, k.conversationHeld(send.conversation), this.member(send));
  }

  async throttle(send: LimitedSend, untilMs: number, nowMs: number) {
    const plan = this.plan(send.platform)?.plan;
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    const keys = [k.sends, k.conversationSends(send.conversation), k.conversationUntil(send.conversation), k.slowedUntil, k.throttles, k.held, k.conversationHeld(send.conversation)];
    // Without limits for the platform, its 429s never slow the tenant (there is no rate to slow).
    await this.throttleScript(...keys, this.member(send), untilMs, nowMs, plan?.throttleSpanMs ?? 0, plan?.throttlesToSlow ?? Number.MAX_SAFE_INTEGER);
  }

  async pace(platform: string, tenant: string, count: number, nowMs: number) {
    const plan = this.plan(platform)?.plan;
    if (!plan || plan.paceIntervalMs === 0) return { startMs: nowMs, intervalMs: 0 };
    const startMs = Number(await this.paceScript(limitKeys(platform, tenant, this.namespace).pace, nowMs, count, String(plan.paceIntervalMs)));
    return { startMs, intervalMs: plan.paceIntervalMs };
  }
}
