import { randomUUID } from 'node:crypto';
import type { Outbox, Random, Store, StoreImplementation } from '../app/ports.ts';
import type { Config } from '../config.ts';
import { EmbeddedStore } from './embedded/embedded-store.ts';
import { PLATFORM_LIMITS } from '../delivery/limits.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from './embedded/memory-delivery.ts';
import { connectDelivery, connectOutbox } from './redis/redis-delivery.ts';
import { RedisStore } from './redis/redis-store.ts';

/** The real source of randomness, for everything but tests. */
export const systemRandom: Random = { id: () => randomUUID(), next: () => Math.random() };

/** Redis when REDIS_URL is set (any number of replicas), else the embedded file store (one process). */
export function openStore(config: Pick<Config, 'REDIS_URL' | 'DATA_FILE'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>, random: Random = systemRandom): StoreImplementation {
  return config.REDIS_URL ? RedisStore.connect(config.REDIS_URL, random, config.REDIS_NAMESPACE) : new EmbeddedStore(config.DATA_FILE, random);
}

/** The outbox the replicas share: on Redis when REDIS_URL is set; otherwise an empty one (the embedded store keeps none between runs). */
export function openOutbox(config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>): Outbox & { close(): Promise<void> } {
  return config.REDIS_URL ? connectOutbox(config.REDIS_URL, config.REDIS_NAMESPACE) : Object.assign(new MemoryOutbox(), { close: async () => {} });
}

/**
 * Outbox, claims and rate limits, shared through Redis by every replica, or in memory for one
 * process; with the embedded store, what has fired is kept in its file, so a restart posts nothing twice.
 */
export function openDelivery(config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>, store?: Store) {
  if (config.REDIS_URL) return connectDelivery(config.REDIS_URL, PLATFORM_LIMITS, config.REDIS_NAMESPACE);
  const claims = store instanceof EmbeddedStore ? store.claims : new MemoryClaims();
  return { outbox: new MemoryOutbox(), claims, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), close: async () => {} };
}
