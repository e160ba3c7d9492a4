// Instruments for the in-process phase: wrappers around the ports deliverDue uses, timing each step of each
// attempt and counting what the limiter, the channel and the outbox answered, to show where the time goes.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Channel, Logger, Outbox, RateLimiter, Store, TeamRef, WorkItem } from '../../src/app/ports.ts';
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import type { DeliveryDeps } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { connectBench } from '../../test/support/bench-redis.ts';
import { REDIS_OPTIONS_USED } from './config.ts';

export interface Attempt {
  taken: number;
  getConversation?: [number, number];
  acquire?: [number, number];
  send?: [number, number];
  done?: [number, number];
  outcome?: 'sent' | 'limited' | 'throttled' | 'failed' | 'dead';
}

export class Probe {
  acquires = 0;
  granted = 0;
  refusedThrottled = 0;
  refusedWindow = 0;
  /** What the limiter answered when it refused: ms to wait. */
  refusedWaits: number[] = [];
  throttleCalls = 0;
  releases = 0;
  /** By conversation: until when a 429 holds it. */
  readonly throttledUntil = new Map<string, number>();
  /** How much of the Retry-After was left when the throttle was recorded (it runs from the attempt's start, not the answer). */
  throttleLeftMs: number[] = [];
  sendMs: number[] = [];
  sendOutcomes = { sent: 0, throttled: 0, transient: 0, permanent: 0 };
  takes = 0;
  emptyTakes = 0;
  taken = 0;
  takeMs: number[] = [];
  attempts: Attempt[] = [];
  readonly open = new Map<string, Attempt>();
  /** When each item was first taken (ms, wall clock): the paced schedule as it ran. */
  readonly firstTried = new Map<string, number>();
  logs = new Map<string, number>();

  itemKey(team: TeamRef, recipient: string) {
    return `${team.tenant}/${team.team}/${recipient}`;
  }
  /** Acquire and send see the conversation id, not the recipient: the benchmark's ids map one to one. */
  readonly byConversation = new Map<string, string>();
}

export function instrumentedDeps(probe: Probe, url: string, namespace: string): { deps: DeliveryDeps; close(): Promise<void> } {
  const redis = connectBench(url, REDIS_OPTIONS_USED);
  const storeRedis = connectBench(url, REDIS_OPTIONS_USED);
  const outbox = new RedisOutbox(redis, namespace);
  const limiter = new RedisRateLimiter(redis, PLATFORM_LIMITS, namespace);
  const store = new RedisStore(storeRedis, { id: randomUUID, next: Math.random }, namespace);
  const channel = new TeamsChannel({ appId: '' });
  const now = () => performance.now();
  const finish = (item: WorkItem, start: number, outcome: Attempt['outcome']) => {
    const attempt = probe.open.get(probe.itemKey(item.team, item.recipient));
    if (!attempt) return;
    const end = now();
    attempt.done = [start, end];
    attempt.outcome ??= outcome;
    probe.open.delete(probe.itemKey(item.team, item.recipient));
  };
  const attemptOf = (conversation: string) => {
    const key = probe.byConversation.get(conversation);
    return key === undefined ? undefined : probe.open.get(key);
  };

  const timedOutbox: Outbox = {
    enqueue: (items, nowMs) => outbox.enqueue(items, nowMs),
    take: async (nowMs, limit, leaseMs) => {
      const t0 = now();
      const items = await outbox.take(nowMs, limit, leaseMs);
      const t1 = now();
      probe.takes++;
      probe.takeMs.push(t1 - t0);
      if (items.length === 0) probe.emptyTakes++;
      probe.taken += items.length;
      for (const item of items) {
        const attempt: Attempt = { taken: t1 };
        probe.attempts.push(attempt);
        probe.open.set(probe.itemKey(item.team, item.recipient), attempt);
        if (!probe.firstTried.has(probe.itemKey(item.team, item.recipient))) probe.firstTried.set(probe.itemKey(item.team, item.recipient), Date.now());
      }
      return items;
    },
    renew: (items, leaseMs) => outbox.renew(items, leaseMs),
    markSent: async (item, messageId, nowMs) => {
      const t0 = now();
      const recorded = await outbox.markSent(item, messageId, nowMs);
      finish(item, t0, 'sent');
      return recorded;
    },
    retryAt: async (item, atMs, reason, kind, nowMs) => {
      const t0 = now();
      const recorded = await outbox.retryAt(item, atMs, reason, kind, nowMs);
      finish(item, t0, kind === 'waiting' ? 'limited' : kind);
      return recorded;
    },
    deadLetter: async (item, reason, nowMs) => {
      const t0 = now();
      const recorded = await outbox.deadLetter(item, reason, nowMs);
      finish(item, t0, 'dead');
      return recorded;
    },
    get: (team, occurrenceId, recipient) => outbox.get(team, occurrenceId, recipient),
    deadLetters: (team, limit) => outbox.deadLetters(team, limit),
    resend: (team, nowMs, occurrenceId) => outbox.resend(team, nowMs, occurrenceId),
    pending: () => outbox.pending(),
    nextDue: () => outbox.nextDue(),
  };

  const timedLimiter: RateLimiter = {
    acquire: async (send, nowMs) => {
      const t0 = now();
      const wait = await limiter.acquire(send, nowMs);
      const attempt = attemptOf(send.conversation);
      if (attempt) attempt.acquire = [t0, now()];
      probe.acquires++;
      if (wait === 0) probe.granted++;
      else {
        probe.refusedWaits.push(wait);
        if ((probe.throttledUntil.get(send.conversation) ?? 0) > nowMs) probe.refusedThrottled++;
        else probe.refusedWindow++;
      }
      return wait;
    },
    release: async (send) => {
      probe.releases++;
      await limiter.release(send);
    },
    throttle: async (send, untilMs, nowMs) => {
      probe.throttleCalls++;
      probe.throttleLeftMs.push(untilMs - Date.now());
      probe.throttledUntil.set(send.conversation, Math.max(untilMs, probe.throttledUntil.get(send.conversation) ?? 0));
      await limiter.throttle(send, untilMs, nowMs);
    },
    pace: (platform, tenant, count, nowMs) => limiter.pace(platform, tenant, count, nowMs),
  };

  const timedStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getConversation') {
        return async (team: TeamRef, key: string) => {
          const t0 = now();
          const ref = await target.getConversation(team, key);
          const attempt = probe.open.get(probe.itemKey(team, key));
          if (attempt) attempt.getConversation = [t0, now()];
          return ref;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;

  const timedChannel: Channel = {
    platform: 'teams',
    send: async (to, message, options) => {
      const conversation = String((to.reference['conversation'] as { id?: unknown } | undefined)?.id ?? to.key);
      const t0 = now();
      try {
        const result = await channel.send(to, message, options);
        probe.sendOutcomes.sent++;
        return result;
      } catch (error) {
        const kind = (error as { kind?: keyof Probe['sendOutcomes'] }).kind ?? 'transient';
        probe.sendOutcomes[kind]++;
        throw error;
      } finally {
        const t1 = now();
        probe.sendMs.push(t1 - t0);
        const attempt = attemptOf(conversation);
        if (attempt) attempt.send = [t0, t1];
      }
    },
    update: (to, messageId, message) => channel.update(to, messageId, message),
  };

  const count = (_fields: Record<string, unknown>, message: string) => void probe.logs.set(message, (probe.logs.get(message) ?? 0) + 1);
  const logger: Logger = { info: count, warn: count, error: count };
  return {
    deps: { outbox: timedOutbox, limiter: timedLimiter, store: timedStore, channels: { teams: timedChannel }, clock: { now: () => new Date() }, random: { id: randomUUID, next: Math.random }, logger },
    async close() {
      await store.close();
      await redis.quit();
    },
  };
}
