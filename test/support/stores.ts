// The Store implementations the contract suite runs against, each isolated from every other test.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { Random, Store } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';

/** Ids that repeat from run to run. */
export function countingRandom(seed = 1): Random {
  let n = 0;
  let state = seed;
  return {
    id: () => `id-${++n}`,
    next: () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    },
  };
}

export interface StoreUnderTest {
  store: Store;
  /** The Redis key prefix of this store (Redis only). */
  namespace?: string;
  /** A second store on the same data, as after a restart. */
  reopen(): Store;
  /** Another replica serving the same data at the same time (Redis only: the embedded store is one process). */
  replica?: () => Store;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

export const redisStore: StoreFactory = async () => {
  const namespace = `sbtest-${randomUUID()}`;
  const url = inject('redisUrl');
  const opened: Store[] = [];
  const open = () => {
    const store = RedisStore.connect(url, countingRandom(opened.length + 1), namespace);
    opened.push(store);
    return store;
  };
  return {
    store: open(),
    namespace,
    reopen: open,
    replica: open,
    async cleanup() {
      const redis = new Redis(url);
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await Promise.all(opened.map((s) => s.close()));
    },
  };
};

export const embeddedFileStore: StoreFactory = async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sparring-store-')), 'data.json');
  return { store: new EmbeddedStore(file, countingRandom()), reopen: () => new EmbeddedStore(file, countingRandom(2)), cleanup: async () => {} };
};

export const STORES: Array<[string, StoreFactory]> = [
  ['redis', redisStore],
  ['embedded', embeddedFileStore],
];
