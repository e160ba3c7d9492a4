import { randomUUID } from 'node:crypto';
import type { Random, Store } from '../app/ports.ts';
import type { Config } from '../config.ts';
import { EmbeddedStore } from './embedded/embedded-store.ts';
import { RedisStore } from './redis/redis-store.ts';

/** The real source of randomness, for everything but tests. */
export const systemRandom: Random = { id: () => randomUUID(), next: () => Math.random() };

/** Redis when REDIS_URL is set (any number of replicas), else the embedded file store (one process). */
export function openStore(config: Pick<Config, 'REDIS_URL' | 'DATA_FILE'>, random: Random = systemRandom): Store {
  return config.REDIS_URL ? RedisStore.connect(config.REDIS_URL, random) : new EmbeddedStore(config.DATA_FILE, random);
}
