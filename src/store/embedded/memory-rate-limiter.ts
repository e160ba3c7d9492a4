import type { LimitedSend, PlatformLimits, RateLimiter } from '../../app/ports.ts';
import { earliestFit, type LimiterPlan, limiterPlan } from '../../delivery/limit-windows.ts';

/**
 * The limiter for one process (the playground, tests): the same rules as RedisRateLimiter, step for step
 * (see ACQUIRE in src/store/redis/limiter-scripts.ts), held to the same behaviour by the delivery contract.
 */
export class MemoryRateLimiter implements RateLimiter {
  /** Sends granted, by key: send id → time. */
  private readonly sends = new Map<string, Map<string, number>>();
  /**
   * Slots held for refused sends, by key: send id → the slot's time. Apart from the granted sends because a
   * slot whose holder is late no longer counts (it lapses), where a granted send counts for its whole window.
   */
  private readonly held = new Map<string, Map<string, number>>();
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

  /** The key's sends (or held slots), without those before `from` (exclusive: those at `from` stay when `inclusive`). */
  private trimmed(counted: Map<string, Map<string, number>>, key: string, from: number, inclusive: boolean): Map<string, number> {
    const sends = counted.get(key) ?? new Map<string, number>();
    for (const [id, at] of sends) if (inclusive ? at < from : at <= from) sends.delete(id);
    counted.set(key, sends);
    return sends;
  }

  async acquire(send: LimitedSend, nowMs: number) {
    const plan = this.plan(send.platform);
    if (!plan) return 0;
    const k = this.keys(send);
    const blocked = this.until.get(k.conversationUntil) ?? 0;
    if (blocked > nowMs) return blocked - nowMs;
    const slowed = (this.until.get(k.slowedUntil) ?? 0) > nowMs;
    const tenantLongest = Math.max(0, ...plan.tenant.map((w) => w.spanMs));
    const conversationLongest = Math.max(0, ...plan.conversation.map((w) => w.spanMs));
    const tenant = this.trimmed(this.sends, k.tenant, nowMs - tenantLongest, false);
    const conversation = this.trimmed(this.sends, k.conversation, nowMs - conversationLongest, false);
    // A slot whose holder is later than the margin lapses: it counts no more, for anyone.
    const tenantHeld = this.trimmed(this.held, k.tenant, nowMs - plan.heldMs, true);
    const conversationHeld = this.trimmed(this.held, k.conversation, nowMs - plan.heldMs, true);
    const slot = tenantHeld.get(send.send);
    if (slot !== undefined) {
      if (slot > nowMs) return slot - nowMs;
      // On time: the slot becomes the send.
      tenantHeld.delete(send.send);
      conversationHeld.delete(send.send);
      tenant.set(send.send, slot);
      conversation.set(send.send, slot);
      return 0;
    }
    const own = tenant.get(send.send);
    if (own !== undefined) {
      if (own >= nowMs - plan.heldMs) return 0;
      tenant.delete(send.send);
      conversation.delete(send.send);
    }
    const times = (...counted: Array<Map<string, number>>) => counted.flatMap((c) => [...c.values()]).sort((a, b) => a - b);
    const at = earliestFit(
      [
        { times: times(tenant, tenantHeld), windows: plan.tenant.map((w) => ({ limit: slowed ? w.slowedLimit : w.limit, spanMs: w.spanMs })) },
        { times: times(conversation, conversationHeld), windows: plan.conversation },
      ],
      nowMs,
      plan.holdWithinMs,
    );
    // Booked further ahead than a slot may be held: come back then, holding nothing.
    if (at === undefined) return plan.holdWithinMs;
    const [tenantSide, conversationSide] = at === nowMs ? [tenant, conversation] : [tenantHeld, conversationHeld];
    tenantSide.set(send.send, at);
    conversationSide.set(send.send, at);
    return at - nowMs;
  }

  async release(send: LimitedSend) {
    const k = this.keys(send);
    for (const counted of [this.sends, this.held]) {
      counted.get(k.tenant)?.delete(send.send);
      counted.get(k.conversation)?.delete(send.send);
    }
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
