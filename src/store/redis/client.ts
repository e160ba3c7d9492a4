import { Cluster, Redis } from 'ioredis';

/** What every Redis part of the bot is given: one server or a cluster, through the commands both answer. */
export type RedisClient = Redis | Cluster;

export interface ClusterNode {
  host: string;
  port: number;
}

/** Where the Redis is: one server by URL (REDIS_URL), or a cluster by some of its nodes (REDIS_CLUSTER_NODES). */
export type RedisTarget = { url: string } | { clusterNodes: readonly ClusterNode[] };

export interface RedisClientOptions {
  /** How long a command may wait for Redis (ms) before it fails; 0 or unset: for ever (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
}

/**
 * The Redis target a configuration names, if any: the cluster when REDIS_CLUSTER_NODES is set, else REDIS_URL.
 * config.ts has already refused both together and a malformed node list.
 */
export function redisTarget(config: { REDIS_URL?: string | undefined; REDIS_CLUSTER_NODES?: readonly ClusterNode[] | undefined }): RedisTarget | undefined {
  if (config.REDIS_CLUSTER_NODES) return { clusterNodes: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  return undefined;
}

/**
 * How the shared client connects: commands wait for the connection instead of failing while Redis restarts, and
 * the commands of one turn of the event loop (a pool of sends each asking the limiter, reading a conversation,
 * recording a send) go out in one write: one system call instead of one each, which was a seventh of delivery's CPU.
 * Benchmarks and test workers that make their own connections use the same.
 */
export const SHARED_CLIENT_OPTIONS = { maxRetriesPerRequest: null, enableAutoPipelining: true };

/**
 * The process's one connection (or, on a cluster, one per master) that the store, delivery, the seen activities
 * and the command queue share. Commands wait for the connection instead of failing while Redis restarts (a write
 * is only acknowledged to the person once Redis has it), but no longer than `commandTimeoutMs`. The commands of
 * one turn of the event loop go out in one write (delivery reads a conversation for each send of its pool).
 * A blocking read must not use it: it would hold every other command up (see RedisCommandQueue.serve).
 */
export function connectRedis(target: RedisTarget, options: RedisClientOptions = {}): RedisClient {
  const timeout = options.commandTimeoutMs ? { commandTimeout: options.commandTimeoutMs } : {};
  const { enableAutoPipelining, ...perServer } = SHARED_CLIENT_OPTIONS;
  const client =
    'url' in target ? new Redis(target.url, { ...SHARED_CLIENT_OPTIONS, ...timeout }) : new Cluster([...target.clusterNodes], { enableAutoPipelining, redisOptions: { ...perServer, ...timeout } });
  // A lost connection is retried for ever; /readyz reports it, and each request it fails is answered with "try
  // again" and logged. Without a listener ioredis would print every retry to the console.
  client.on('error', () => {});
  return client;
}

/** The servers that hold data: the one server, or every master of a cluster (as the cluster last told the client). */
export function mastersOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Closes the client unless it is closed already (closing twice is harmless). */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status !== 'end') await client.quit().catch(() => client.disconnect());
}

/**
 * A part's client: given a URL, a connection of its own that the part closes with itself (the CLI, tests);
 * given the process's shared client, that one, which its owner closes once every part is done.
 */
export function clientFor(target: string | RedisClient, options: RedisClientOptions = {}): { client: RedisClient; close(): Promise<void> } {
  if (typeof target !== 'string') return { client: target, close: async () => {} };
  const client = connectRedis({ url: target }, options);
  return { client, close: () => closeRedis(client) };
}
