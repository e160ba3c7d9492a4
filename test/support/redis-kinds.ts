// The two kinds of Redis the Redis suites run on: one server and a three-master cluster (test/global-setup.ts).
import { Cluster } from 'ioredis';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectRedis, mastersOf, type RedisClient, type RedisTarget } from '../../src/store/redis/client.ts';

export type RedisKind = 'redis' | 'cluster';
export const REDIS_KINDS: readonly RedisKind[] = ['redis', 'cluster'];

/** Where the test Redis of this kind is, parsed as the bot parses its configuration. */
export function redisTargetOf(kind: RedisKind): RedisTarget {
  if (kind === 'redis') return { url: inject('redisUrl') };
  return { clusterNodes: loadConfig({ REDIS_CLUSTER_NODES: inject('redisClusterNodes') }).REDIS_CLUSTER_NODES! };
}

/** A client of its own, configured as the bot's (client.ts); the caller quits it. */
export function testRedis(kind: RedisKind): RedisClient {
  return connectRedis(redisTargetOf(kind));
}

/** Every key matching `pattern`, from every master (a cluster's SCAN sees one node at a time). */
export async function scanAll(redis: RedisClient, pattern: string): Promise<string[]> {
  if (redis instanceof Cluster && redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const keys: string[] = [];
  for (const master of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, batch] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys.sort();
}

/** Deletes every key under `namespace`: one key a command, since on a cluster they sit in many slots. */
export async function dropNamespaceOn(kind: RedisKind, namespace: string): Promise<void> {
  const redis = testRedis(kind);
  try {
    await Promise.all((await scanAll(redis, `${namespace}:*`)).map((key) => redis.del(key)));
  } finally {
    await redis.quit();
  }
}
