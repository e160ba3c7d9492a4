// The Outbox, Claims and RateLimiter implementations the delivery contract suite runs against, each isolated from every other test.
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
    return {
      outbox: first.outbox,
      claims: first.claims,
      limiter: first.limiter,
      replica: open,
      async cleanup() {
        await dropNamespaceOn(kind, namespace);
        await Promise.all(opened.map((d) => d.close()));
      },
    };
  };

export const redisDelivery = redisDeliveryOn('redis');
export const clusterDelivery = redisDeliveryOn('cluster');

export const memoryDelivery: DeliveryFactory = async (limits) => {
  const ports = { outbox: new MemoryOutbox(), claims: new MemoryClaims(), limiter: new MemoryRateLimiter(limits) };
  return { ...ports, replica: () => ports, cleanup: async () => {} };
};

/** As the playground runs: the claims of the embedded store, whose fired occurrences are kept in its file. */
export const embeddedDelivery: DeliveryFactory = async (limits) => {
  const store = new EmbeddedStore(join(mkdtempSync(join(tmpdir(), 'sparring-delivery-')), 'data.json'), countingRandom());
  const ports = { outbox: new MemoryOutbox(), claims: store.claims, limiter: new MemoryRateLimiter(limits) };
  return { ...ports, replica: () => ports, cleanup: () => store.close() };
};

export const DELIVERIES: Array<[string, DeliveryFactory]> = [
  ['redis', redisDelivery],
  ['redis cluster', clusterDelivery],
  ['memory', memoryDelivery],
  ['embedded store', embeddedDelivery],
];
