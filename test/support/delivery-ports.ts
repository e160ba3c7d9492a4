// The Outbox, Claims and RateLimiter implementations the delivery contract suite runs against, each isolated from every other test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Claims, Outbox, OutboxRecords, PlatformLimits, RateLimiter } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { dropNamespace, newNamespace } from './delivery.ts';
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

export const redisDelivery: DeliveryFactory = async (limits) => {
  const namespace = newNamespace();
  const url = inject('redisUrl');
  const opened: Array<ReturnType<typeof connectDelivery>> = [];
  const open = () => {
    const delivery = connectDelivery(url, limits, namespace);
    opened.push(delivery);
    return delivery;
  };
  const first = open();
  return {
    outbox: first.outbox,
    claims: first.claims,
    limiter: first.limiter,
    replica: open,
    async cleanup() {
      await dropNamespace(namespace);
      await Promise.all(opened.map((d) => d.close()));
    },
  };
};

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
  ['memory', memoryDelivery],
  ['embedded store', embeddedDelivery],
];
