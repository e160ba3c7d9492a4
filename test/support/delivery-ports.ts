// The Outbox, Claims and RateLimiter implementations the delivery contract suites (test/contract/delivery-*.test.ts) run against, each isolated from every other test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Claims, Outbox, OutboxRecords, PlatformLimits, RateLimiter } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { newNamespace } from './delivery.ts';
import { dropNamespaceOn, type RedisKind, testRedis } from './redis-kinds.ts';
import { countingRandom } from './stores.ts';

export interface DeliveryPorts {
  outbox: Outbox & OutboxRecords;
  claims: Claims;
  limiter: RateLimiter;
}

export interface DeliveryUnderTest extends DeliveryPorts {
  /** Another replica on the same data: on Redis its own connection; in memory the same objects (one process). */
  replica(): DeliveryPorts;
  /**
   * Until a lease of `leaseMs` taken before this call has run out by the outbox's own clock: Redis's `TIME`
   * (waited for, never a fixed sleep), or the memory outbox's injected clock (moved on).
   */
  leaseRunsOut(leaseMs: number): Promise<void>;
  cleanup(): Promise<void>;
}

export type DeliveryFactory = (limits: Record<string, PlatformLimits>) => Promise<DeliveryUnderTest>;

/** Delivery on one server or on the cluster (test/support/redis-kinds.ts), each replica on a client of its own. */
const redisDeliveryOn =
  (kind: RedisKind): DeliveryFactory =>
  async (limits) => {
    const namespace = newNamespace();
    const opened: Array<{ close(): Promise<void> }> = [];
    const open = () => {
      const redis = testRedis(kind);
      opened.push({ close: async () => void (await redis.quit()) });
      return connectDelivery(redis, limits, namespace);
    };
    const first = open();
    const admin = testRedis(kind);
    opened.push({ close: async () => void (await admin.quit()) });
    return {
      outbox: first.outbox,
      claims: first.claims,
      limiter: first.limiter,
      replica: open,
      // Leases run on Redis' clock (TIME), so a test waits for that clock, not its own.
      async leaseRunsOut(leaseMs) {
        const redisNow = async () => {
          const [seconds, micros] = await admin.time();
          return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        };
        const until = (await redisNow()) + leaseMs;
        while ((await redisNow()) <= until) await new Promise((resolve) => setImmediate(resolve));
      },
      async cleanup() {
        await dropNamespaceOn(kind, namespace);
        await Promise.all(opened.map((d) => d.close()));
      },
    };
  };

export const redisDelivery = redisDeliveryOn('redis');
export const clusterDelivery = redisDeliveryOn('cluster');

/** The memory outbox's own clock, which `leaseRunsOut` moves on. */
function leaseClock() {
  let nowMs = Date.parse('2026-09-14T07:00:00.000Z');
  return { clock: { now: () => new Date(nowMs) }, leaseRunsOut: async (leaseMs: number) => void (nowMs += leaseMs + 1) };
}

export const memoryDelivery: DeliveryFactory = async (limits) => {
  const { clock, leaseRunsOut } = leaseClock();
  const ports = { outbox: new MemoryOutbox(clock), claims: new MemoryClaims(), limiter: new MemoryRateLimiter(limits) };
  return { ...ports, replica: () => ports, leaseRunsOut, cleanup: async () => {} };
};

/** As the playground runs: the claims of the embedded store, whose fired occurrences are kept in its file. */
export const embeddedDelivery: DeliveryFactory = async (limits) => {
  const store = new EmbeddedStore(join(mkdtempSync(join(tmpdir(), 'sparring-delivery-')), 'data.json'), countingRandom());
  const { clock, leaseRunsOut } = leaseClock();
  const ports = { outbox: new MemoryOutbox(clock), claims: store.claims, limiter: new MemoryRateLimiter(limits) };
  return { ...ports, replica: () => ports, leaseRunsOut, cleanup: () => store.close() };
};

export const DELIVERIES: Array<[string, DeliveryFactory]> = [
  ['redis', redisDelivery],
  ['redis cluster', clusterDelivery],
  ['memory', memoryDelivery],
  ['embedded store', embeddedDelivery],
];
