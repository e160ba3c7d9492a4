import type { LimitedSend, PlatformLimits, RateLimiter } from '../../app/ports.ts';
import { earliestFit, type LimiterPlan, limiterPlan } from '../../delivery/limit-windows.ts';

/**
 * The limiter for one process (the playground, tests): the same rules as RedisRateLimiter, step for step
 * (see ACQUIRE in src/store/redis/delivery-scripts.ts), held to the same behaviour by the delivery contract.
 */
export class MemoryRateLimiter implements RateLimiter {
  /** Sends counted (granted, or a slot held), by key: send id → time. */
  private readonly sends = new Map<string, Map<string, number>>();
  /** A conversation's Retry-After, a tenant's slow-down, a tenant's pace: until when (ms). */
  private readonly until = new Map<string, number>();
  /** A tenant's recent 429s: `<send>@<ms>` → ms. */
  private readonly throttles = new Map<string, Map<string, number>>();
  private readonly plans = new Map<string, LimiterPlan>();

  private readonly limits: Record<string, PlatformLimits>;

  constructor(limits: Record<string, PlatformLimits>) {
    this.limits = limits;
  }

  private plan(platform: string): LimiterPlan | undefined {
    const limits = this.limits[platform];
    if (!limits) return undefined;
    let plan = this.plans.get(platform);
    if (!plan) this.plans.set(platform, (plan = limiterPlan(limits)));
    return plan;
  }

  private keys({ platform, tenant, conversation }: Omit<LimitedSend, 'send'>) {
    const t = `${platform}|${tenant}`;
    return { tenant: `${t}|sends`, conversation: `${t}|c|${conversation}|sends`, conversationUntil: `${t}|c|${conversation}|until`, slowedUntil: `${t}|slowed`, pace: `${t}|pace`, throttles: t };
  }

  /** The key's sends, without those that have left its longest window. */
  private trimmed(key: string, nowMs: number, longest: number): Map<string, number> {
    const sends = this.sends.get(key) ?? new Map<string, number>();
    for (const [id, at] of sends) if (at <= nowMs - longest) sends.delete(id);
    this.sends.set(key, sends);
    return sends;
  }

  async acquire(send: LimitedSend, nowMs: number) {
    const plan = this.plan(send.platform);
    if (!plan) return 0;
    const k = this.keys(send);
    const blocked = this.until.get(k.conversationUntil) ?? 0;
    if (blocked > nowMs) return blocked - nowMs;
    const slowed = (this.until.get(k.slowedUntil) ?? 0) > nowMs;
    const tenant = this.trimmed(k.tenant, nowMs, Math.max(0, ...plan.tenant.map((w) => w.spanMs)));
    const conversation = this.trimmed(k.conversation, nowMs, Math.max(0, ...plan.conversation.map((w) => w.spanMs)));
    const own = tenant.get(send.send);
    if (own !== undefined) {
      if (own > nowMs) return own - nowMs;
      if (own >= nowMs - plan.heldMs) return 0;
      tenant.delete(send.send);
      conversation.delete(send.send);
    }
    const times = (sends: Map<string, number>) => [...sends.values()].sort((a, b) => a - b);
    const at = earliestFit(
      [
        { times: times(tenant), windows: plan.tenant.map((w) => ({ limit: slowed ? w.slowedLimit : w.limit, spanMs: w.spanMs })) },
        { times: times(conversation), windows: plan.conversation },
      ],
      nowMs,
      plan.holdWithinMs,
    );
    // Booked further ahead than a slot may be held: come back then, holding nothing.
    if (at === undefined) return plan.holdWithinMs;
    tenant.set(send.send, at);
    conversation.set(send.send, at);
    return at - nowMs;
  }

  async release(send: LimitedSend) {
    const k = this.keys(send);
    this.sends.get(k.tenant)?.delete(send.send);
    this.sends.get(k.conversation)?.delete(send.send);
  }

  async throttle(send: LimitedSend, untilMs: number, nowMs: number) {
    await this.release(send);
    const plan = this.plan(send.platform);
    const k = this.keys(send);
    this.until.set(k.conversationUntil, Math.max(untilMs, this.until.get(k.conversationUntil) ?? 0));
    if (!plan) return;
    const recent = this.throttles.get(k.throttles) ?? new Map<string, number>();
    for (const [id, at] of recent) if (at <= nowMs - plan.throttleSpanMs) recent.delete(id);
    recent.set(`${send.send}@${nowMs}`, nowMs);
    this.throttles.set(k.throttles, recent);
    if (recent.size >= plan.throttlesToSlow) this.until.set(k.slowedUntil, Math.max(untilMs, this.until.get(k.slowedUntil) ?? 0));
  }

  async pace(platform: string, tenant: string, count: number, nowMs: number) {
    const plan = this.plan(platform);
    if (!plan || plan.paceIntervalMs === 0) return { startMs: nowMs, intervalMs: 0 };
    const key = this.keys({ platform, tenant, conversation: '' }).pace;
    const startMs = Math.max(nowMs, this.until.get(key) ?? 0);
    this.until.set(key, startMs + Math.ceil(count * plan.paceIntervalMs));
    return { startMs, intervalMs: plan.paceIntervalMs };
  }
}
