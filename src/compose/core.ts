import { hostname } from 'node:os';
import type { CommandQueue } from '../app/command-queue.ts';
import type { Claims, Clock, Logger, Mailer, Outbox, OutboxRecords, Random, RateLimiter, SeenActivities } from '../app/ports.ts';
import type { PlaygroundStore } from '../app/store-ports.ts';
import { anonymitySecret, type Config } from '../config.ts';
import { pacedOutbox } from '../delivery/pace.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { SmtpMailer } from '../mail/smtp-mailer.ts';
import { BUILT_IN_DIR, checkedProgrammes } from '../programmes/built-in.ts';
import { MemorySeenActivities } from '../store/embedded/memory-seen.ts';
import { openCommandQueue, openDelivery, openRedis, openStore, systemRandom } from '../store/open.ts';
import { closeRedis, type RedisClient } from '../store/redis/client.ts';
import { RedisSeenActivities } from '../store/redis/redis-seen.ts';
import { moveUnshardedKeys } from '../store/redis/unsharded-keys.ts';

/**
 * What every part of a running Sparringsbot shares, built once from the configuration: the
 * programmes, the store, the outbox with its claims and limits, the clock, the mailer and the logger.
 */
export interface Core {
  config: Config;
  logger: Logger;
  programmes: ReadonlyMap<string, Programme>;
  store: PlaygroundStore;
  outbox: Outbox & OutboxRecords;
  claims: Claims;
  limiter: RateLimiter;
  clock: Clock;
  random: Random;
  /** The process's one Redis client (one server or a cluster) that every Redis part uses; none without Redis. */
  redis?: RedisClient;
  /** Inbound activities already received, shared by the replicas (on Redis when it is configured). */
  seen: SeenActivities;
  /** Acked slash commands waiting for their answers (on Redis when it is configured). */
  commands: CommandQueue;
  /** The SMTP mailer when SMTP_URL is set. */
  mailer?: Mailer;
  /** This process's name among the replicas: the owner of its claims. */
  owner: string;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export async function buildCore(config: Config, logger: Logger): Promise<Core> {
  // Only the built-in programmes, unchanged since the build checked them: no YAML parser to load, no file to parse.
  const programmes =
    (!config.PROGRAMMES_DIR && checkedProgrammes()) || (await import('../programmes/load.ts')).loadProgrammes(config.PROGRAMMES_DIR ? [BUILT_IN_DIR, config.PROGRAMMES_DIR] : [BUILT_IN_DIR]);
  const redis = openRedis(config);
  const store = openStore(config, systemRandom, redis);
  // The limiter keeps in Redis only a keyed hash of what it counts (see RedisRateLimiter).
  const delivery = openDelivery(config, store, anonymitySecret(config), redis);
  const seen = redis ? new RedisSeenActivities(redis, config.REDIS_NAMESPACE) : new MemorySeenActivities();
  const owner = `${hostname()}:${process.pid}:${systemRandom.id().slice(0, 8)}`;
  const commands = openCommandQueue(config, owner, redis);
  // Not awaited: a Redis that is down at start-up is /readyz's to report; the move waits for it like every command.
  if (redis) {
    void moveUnshardedKeys(redis, config.REDIS_NAMESPACE).then(
      (moved) => moved > 0 && logger.info({ moved }, 'moved the teams index, delivery queue, dead letters and due index of an earlier release into their shards'),
      (error: unknown) => logger.warn({ err: error }, 'could not move the keys of an earlier release into their shards; retried at the next start'),
    );
  }
  const mailer = config.SMTP_URL && config.MAIL_FROM ? new SmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM }) : undefined;
  return {
    config,
    logger,
    programmes,
    store,
    // Every fan-out queued, whoever queues it, is spread at its tenant's rate.
    outbox: pacedOutbox(delivery.outbox, { limiter: delivery.limiter, store }),
    claims: delivery.claims,
    limiter: delivery.limiter,
    clock: systemClock,
    random: systemRandom,
    ...(redis ? { redis } : {}),
    seen,
    commands,
    ...(mailer ? { mailer } : {}),
    owner,
    async close() {
      await delivery.close();
      await commands.close();
      await store.close();
      // The shared client last, once every part is done with it (the store has closed it already).
      if (redis) await closeRedis(redis);
    },
  };
}
