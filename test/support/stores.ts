// The store implementations the contract suites run against, each isolated from every other test.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Random, Run, StoreImplementation } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { keysFor, teamIndexMember, teamShard, teamsIndex } from '../../src/store/keys.ts';
import type { RedisClient } from '../../src/store/redis/client.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { type RedisKind, scanAll, testRedis } from './redis-kinds.ts';

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
  store: StoreImplementation;
  /** The Redis key prefix of this store (Redis only). */
  namespace?: string;
  /** A second store on the same data, as after a restart. */
  reopen(): StoreImplementation;
  /** Another replica serving the same data at the same time, on its own connection (Redis only: the embedded store is one process). */
  replica?: () => StoreImplementation;
  /** Writes a run as the release before schema 2 did (its members inside the run value); read it back through `reopen()`. */
  writeLegacyRun(run: Run): Promise<void>;
  /** Everything this store holds, key names included, as text: to check that something appears nowhere. */
  dump(): Promise<string>;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

async function contentOf(redis: RedisClient, key: string): Promise<unknown> {
  const type = await redis.type(key);
  if (type === 'string') return redis.get(key);
  if (type === 'hash') return redis.hgetall(key);
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'set') return redis.smembers(key);
  if (type === 'zset') return redis.zrange(key, '0', '-1', 'WITHSCORES');
  return `(a ${type})`;
}

/** The Redis store on one server or on the cluster (test/support/redis-kinds.ts), each store on a client of its own. */
const redisStoreOn =
  (kind: RedisKind): StoreFactory =>
  async () => {
    const namespace = `sbtest-${randomUUID()}`;
    const opened: StoreImplementation[] = [];
    const open = () => {
      const store = new RedisStore(testRedis(kind), countingRandom(opened.length + 1), namespace);
      opened.push(store);
      return store;
    };
    const withClient = async <T>(act: (redis: RedisClient) => Promise<T>) => {
      const redis = testRedis(kind);
      try {
        return await act(redis);
      } finally {
        await redis.quit();
      }
    };
    return {
      store: open(),
      namespace,
      reopen: open,
      replica: open,
      writeLegacyRun: (run) =>
        withClient(async (redis) => {
          await redis.set(keysFor(run.team, namespace).run, JSON.stringify({ v: 1, ...run }));
          await redis.sadd(teamsIndex(teamShard(run.team), namespace), teamIndexMember(run.team));
        }),
      dump: () =>
        withClient(async (redis) => {
          const lines = await Promise.all((await scanAll(redis, `${namespace}:*`)).map(async (key) => `${key} ${JSON.stringify(await contentOf(redis, key))}`));
          return lines.join('\n');
        }),
      async cleanup() {
        await withClient(async (redis) => {
          // One key a command: on a cluster they sit in many slots.
          await Promise.all((await scanAll(redis, `${namespace}:*`)).map((key) => redis.del(key)));
        });
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  };

export const redisStore = redisStoreOn('redis');
export const clusterStore = redisStoreOn('cluster');

export const embeddedFileStore: StoreFactory = async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sparring-store-')), 'data.json');
  let opened = 1;
  return {
    store: new EmbeddedStore(file, countingRandom()),
    reopen: () => new EmbeddedStore(file, countingRandom(++opened)),
    async writeLegacyRun(run) {
      type LegacyFile = { v: number; teams: Record<string, Record<string, unknown>> };
      const content: LegacyFile = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LegacyFile) : { v: 1, teams: {} };
      const { members: _entries, ...team } = content.teams[teamIndexMember(run.team)] ?? { conversations: {}, named: {}, anonymous: {}, respondents: {}, userAnonymous: {}, documents: {}, hours: [] };
      content.teams[teamIndexMember(run.team)] = { ...team, run };
      writeFileSync(file, JSON.stringify({ ...content, v: 1 }));
    },
    // The data file and its journal: what is on the disk.
    dump: async () => [file, `${file}.journal`].map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')).join('\n'),
    cleanup: async () => {},
  };
};

export const STORES: Array<[string, StoreFactory]> = [
  ['redis', redisStore],
  ['redis cluster', clusterStore],
  ['embedded', embeddedFileStore],
];
