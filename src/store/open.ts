import { randomUUID } from 'node:crypto';
import type { CommandQueue } from '../app/command-queue.ts';
import type { Outbox, OutboxRecords, Random, Store, StoreImplementation } from '../app/ports.ts';
import { anonymitySecret, type Config } from '../config.ts';
import { type DataFileLock, lockDataFile } from './embedded/data-file-lock.ts';
import { EmbeddedStore } from './embedded/embedded-store.ts';
import { PLATFORM_LIMITS } from '../delivery/limits.ts';
import { MemoryCommandQueue } from './embedded/memory-command-queue.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from './embedded/memory-delivery.ts';
import { closeRedis, connectRedis, type RedisClient, redisTarget } from './redis/client.ts';
import { connectCommandQueue } from './redis/redis-command-queue.ts';
import { connectDelivery, connectOutbox } from './redis/redis-delivery.ts';
import { RedisStore } from './redis/redis-store.ts';

/** The real source of randomness, for everything but tests. */
export const systemRandom: Random = { id: () => randomUUID(), next: () => Math.random() };

/**
 * The embedded store on its data file, holding `<file>.lock` until closed: the process that has the file
 * open rewrites it from memory at every change, so a second process (`sparring erase` while the server
 * runs) is refused instead of having its change undone.
 */
class LockedEmbeddedStore extends EmbeddedStore {
  private readonly lock: DataFileLock;
  constructor(file: string, random: Random, secret: string, lock: DataFileLock) {
    super(file, random, secret);
    this.lock = lock;
  }

  override async close() {
    await super.close();
    this.lock.release();
  }
}

type RedisConfig = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'> & Partial<Pick<Config, 'REDIS_NAMESPACE' | 'REDIS_COMMAND_TIMEOUT_MS'>>;

/** The Redis client the configuration names (one server or a cluster), with its command timeout; none without Redis. */
export function openRedis(config: RedisConfig): RedisClient | undefined {
  const target = redisTarget(config);
  return target && connectRedis(target, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS ?? 0 });
}

/** A part on a client of its own: closing the part closes the client. */
function owning<T extends { close(): Promise<void> }>(part: T, client: RedisClient): T {
  return Object.assign(part, { close: () => closeRedis(client) });
}

/**
 * Redis when REDIS_URL or REDIS_CLUSTER_NODES is set (any number of replicas), else the embedded file store (one
 * process; a second one on the same file gets DataFileInUseError, a one-line ConfigError, and changes nothing).
 * Without ANONYMITY_SECRET where one is needed (a platform channel on), a one-line ConfigError. On `redis`, the
 * process's shared client, which the store closes when it is closed; without it, on a client of its own.
 */
export function openStore(config: Config, random: Random = systemRandom, redis?: RedisClient): StoreImplementation {
  const secret = anonymitySecret(config);
  const client = redis ?? openRedis(config);
  if (client) return new RedisStore(client, random, config.REDIS_NAMESPACE, secret);
  const lock = lockDataFile(config.DATA_FILE);
  try {
    return new LockedEmbeddedStore(config.DATA_FILE, random, secret, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The outbox the replicas share: on Redis when it is configured (a client of its own, for the CLI); otherwise an empty one (the embedded store keeps none between runs). */
export function openOutbox(config: RedisConfig): Outbox & OutboxRecords & { close(): Promise<void> } {
  const own = openRedis(config);
  return own ? owning(connectOutbox(own, config.REDIS_NAMESPACE), own) : Object.assign(new MemoryOutbox(), { close: async () => {} });
}

/**
 * Outbox, claims and rate limits, shared through Redis by every replica, or in memory for one
 * process; with the embedded store, what has fired is kept in its file, so a restart posts nothing twice.
 */
export function openDelivery(config: RedisConfig, store?: Store, secret?: string, redis?: RedisClient) {
  if (redis) return connectDelivery(redis, PLATFORM_LIMITS, config.REDIS_NAMESPACE, secret);
  const own = openRedis(config);
  if (own) return owning(connectDelivery(own, PLATFORM_LIMITS, config.REDIS_NAMESPACE, secret), own);
  const claims = store instanceof EmbeddedStore ? store.claims : new MemoryClaims();
  return { outbox: new MemoryOutbox(), claims, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), close: async () => {} };
}

/** The queue between a command's ack and its answer: on Redis, served by every replica's workers (each named `consumer`); else this process's. */
export function openCommandQueue(config: RedisConfig, consumer: string, redis?: RedisClient): CommandQueue {
  if (redis) return connectCommandQueue(redis, consumer, config.REDIS_NAMESPACE);
  const own = openRedis(config);
  return own ? owning(connectCommandQueue(own, consumer, config.REDIS_NAMESPACE), own) : new MemoryCommandQueue();
}
