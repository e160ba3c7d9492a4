// Which Redis a benchmark runs on: REDIS_CLUSTER_NODES (a cluster), else REDIS_URL, else a private redis-server
// the benchmark starts. Passed around (and to worker processes) as one text: a redis:// URL, or `cluster:` and the nodes.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { loadConfig } from '../../src/config.ts';
import { connectRedis, mastersOf, type RedisClient } from '../../src/store/redis/client.ts';

const CLUSTER = 'cluster:';

/** The Redis named by the environment, if any, as the text the benchmarks pass around; and how to say where it is. */
export function redisFromEnvironment(): { target: string; where: string } | undefined {
  const nodes = process.env['REDIS_CLUSTER_NODES'];
  if (nodes) return { target: `${CLUSTER}${nodes}`, where: `REDIS_CLUSTER_NODES (a cluster of ${nodes.split(',').length} listed nodes)` };
  const url = process.env['REDIS_URL'];
  return url ? { target: url, where: 'REDIS_URL' } : undefined;
}

/** A client: on a cluster as the bot connects (client.ts), else with these options (each benchmark's own). */
export function connectBench(target: string, options: RedisOptions): RedisClient {
  if (!target.startsWith(CLUSTER)) return new Redis(target, options);
  const nodes = loadConfig({ REDIS_CLUSTER_NODES: target.slice(CLUSTER.length) }).REDIS_CLUSTER_NODES!;
  return connectRedis({ clusterNodes: nodes });
}

/** Every server holding data: the one server, or each master once the cluster client is ready. */
export async function dataServers(redis: RedisClient): Promise<Redis[]> {
  if (redis instanceof Cluster && redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return mastersOf(redis);
}
