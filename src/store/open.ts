import { randomUUID } from 'node:crypto';
import type { CommandQueue } from '../app/command-queue.ts';
import type { Outbox, OutboxRecords, Random, Store, StoreImplementation } from '../app/ports.ts';
import { anonymitySecret, type Config } from '../config.ts';
import { type DataFileLock, lockDataFile } from './embedded/embedded-data.ts';
import { EmbeddedStore } from './embedded/embedded-store.ts';
import { PLATFORM_LIMITS } from '../delivery/limits.ts';
import { MemoryCommandQueue } from './embedded/memory-command-queue.ts';
import { MemoryClaims, MemoryOutbox, MemoryRateLimiter } from './embedded/memory-delivery.ts';
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

/**
 * Redis when REDIS_URL is set (any number of replicas), else the embedded file store (one process; a
 * second one on the same file gets DataFileInUseError, a one-line ConfigError, and changes nothing).
 * Without ANONYMITY_SECRET where one is needed (a platform channel on), a one-line ConfigError.
 */
export function openStore(config: Config, random: Random = systemRandom): StoreImplementation {
  const secret = anonymitySecret(config);
  if (config.REDIS_URL) return RedisStore.connect(config.REDIS_URL, random, config.REDIS_NAMESPACE, secret, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const lock = lockDataFile(config.DATA_FILE);
  try {
    return new LockedEmbeddedStore(config.DATA_FILE, random, secret, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The outbox the replicas share: on Redis when REDIS_URL is set; otherwise an empty one (the embedded store keeps none between runs). */
export function openOutbox(config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>): Outbox & OutboxRecords & { close(): Promise<void> } {
  return config.REDIS_URL ? connectOutbox(config.REDIS_URL, config.REDIS_NAMESPACE) : Object.assign(new MemoryOutbox(), { close: async () => {} });
}

/**
 * Outbox, claims and rate limits, shared through Redis by every replica, or in memory for one
 * process; with the embedded store, what has fired is kept in its file, so a restart posts nothing twice.
 */
export function openDelivery(config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>, store?: Store, secret?: string) {
  if (config.REDIS_URL) return connectDelivery(config.REDIS_URL, PLATFORM_LIMITS, config.REDIS_NAMESPACE, secret);
  const claims = store instanceof EmbeddedStore ? store.claims : new MemoryClaims();
  return { outbox: new MemoryOutbox(), claims, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), close: async () => {} };
}

/** The queue between a command's ack and its answer: on Redis, served by every replica's workers (each named `consumer`); else this process's. */
export function openCommandQueue(config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_NAMESPACE'>>, consumer: string): CommandQueue {
  return config.REDIS_URL ? connectCommandQueue(config.REDIS_URL, consumer, config.REDIS_NAMESPACE) : new MemoryCommandQueue();
}
