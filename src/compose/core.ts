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
import { openCommandQueue, openDelivery, openStore, systemRandom } from '../store/open.ts';
import { connectSeen } from '../store/redis/redis-seen.ts';

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
  /** Inbound activities already received, shared by the replicas (on Redis when REDIS_URL is set). */
  seen: SeenActivities;
  /** Acked slash commands waiting for their answers (on Redis when REDIS_URL is set). */
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
  const store = openStore(config);
  // The limiter keeps in Redis only a keyed hash of what it counts (see RedisRateLimiter).
  const delivery = openDelivery(config, store, anonymitySecret(config));
  const seen = config.REDIS_URL ? connectSeen(config.REDIS_URL, config.REDIS_NAMESPACE, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS }) : new MemorySeenActivities();
  const owner = `${hostname()}:${process.pid}:${systemRandom.id().slice(0, 8)}`;
  const commands = openCommandQueue(config, owner);
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
    seen,
    commands,
    ...(mailer ? { mailer } : {}),
    owner,
    async close() {
      await delivery.close();
      await seen.close();
      await commands.close();
      await store.close();
    },
  };
}
