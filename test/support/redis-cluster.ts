// A private Redis Cluster for tests: three masters (no replicas) on free ports, each in a temporary folder,
// made into one cluster by `redis-cli --cluster create`, as an operator would.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, type RedisServer, removeServerFolder, startRedisServer } from './redis-server.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);

export interface RedisCluster {
  /** `host:port,…` as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  servers: RedisServer[];
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'sparring-cluster-'));
      // The cluster bus on a free port of its own: the default (port + 10000) may be taken or out of range.
      const busPort = await freePort();
      servers.push(await startRedisServer({ dir, cluster: { busPort } }));
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    // Every node must know every slot's owner before a client is told the cluster is up.
    for (const server of servers) {
      const redis = new Redis(server.url);
      try {
        await waitFor(async () => (await redis.cluster('INFO')).includes('cluster_state:ok') || 'cluster not ok yet', { what: `node ${server.port} to see the cluster up` });
      } finally {
        redis.disconnect();
      }
    }
    return { nodes: addresses.join(','), servers, stop: () => stopAll(servers) };
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}

async function stopAll(servers: RedisServer[]) {
  for (const server of servers) {
    await server.stop();
    removeServerFolder(server);
  }
}
