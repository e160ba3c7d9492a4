// Gives every test file a Redis: REDIS_URL when set, else a private redis-server on a free port,
// so a test run never touches data it did not create. Tests also use their own key namespace.
// And a Redis Cluster of three masters for the suites that also run on one (REDIS_CLUSTER_NODES when
// set, else a private one on free ports): see test/support/redis-kinds.ts.
import type { TestProject } from 'vitest/node';
import { type RedisCluster, startRedisCluster } from './support/redis-cluster.ts';
import { removeServerFolder, startRedisServer, type RedisServer } from './support/redis-server.ts';

let server: RedisServer | undefined;
let cluster: RedisCluster | undefined;

export default async function setup(project: TestProject) {
  let url = process.env['REDIS_URL'];
  let nodes = process.env['REDIS_CLUSTER_NODES'];
  const [started, startedCluster] = await Promise.all([url ? undefined : startRedisServer(), nodes ? undefined : startRedisCluster()]);
  server = started;
  cluster = startedCluster;
  url ??= server!.url;
  nodes ??= cluster!.nodes;
  project.provide('redisUrl', url);
  project.provide('redisClusterNodes', nodes);
  return async () => {
    if (server) {
      await server.stop();
      removeServerFolder(server);
    }
    await cluster?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** `host:port,…` of a Redis Cluster's nodes, as REDIS_CLUSTER_NODES takes them. */
    redisClusterNodes: string;
  }
}
