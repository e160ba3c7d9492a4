// Scheduler and delivery wired to a real Redis (own namespace), a fake clock and a recording channel.
import { randomUUID } from 'node:crypto';
import type { ChannelError, Channel, ConversationRef, OutboundMessage } from '../../src/app/ports.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { TEAMS_LIMITS } from '../../src/delivery/limits.ts';
import { RedisClaims } from '../../src/store/redis/redis-claims.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { fakeClock, memoryLogger } from './fakes.ts';
import { dropNamespaceOn, type RedisKind, testRedis } from './redis-kinds.ts';
import { countingRandom } from './stores.ts';

/** A channel that records what it was asked to send and fails when told to. */
export class RecordingChannel implements Channel {
  readonly platform = 'teams' as const;
  readonly sent: Array<{ to: string; key: string | undefined; message: OutboundMessage; messageId: string }> = [];
  /** Failures to answer with, in order, before sends succeed again. */
  readonly failures: ChannelError[] = [];
  private next = 0;

  async send(to: ConversationRef, message: OutboundMessage, options?: { key?: string }) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const messageId = `m-${++this.next}`;
    this.sent.push({ to: to.key, key: options?.key, message, messageId });
    return { messageId };
  }

  async update() {}

  keys(): string[] {
    return this.sent.map((s) => s.key ?? '');
  }
}

/** One replica: its own Redis connections over the shared namespace, on one Redis server or the test cluster. */
export function replica(namespace: string, owner: string, programmes: Map<string, Programme>, clock = fakeClock('2026-08-10T06:00:00Z'), kind: RedisKind = 'redis') {
  const redis = testRedis(kind);
  const store = new RedisStore(testRedis(kind), countingRandom(), namespace);
  const random = countingRandom(owner.length + 7);
  const logger = memoryLogger();
  const outbox = new RedisOutbox(redis, namespace);
  const claims = new RedisClaims(redis, namespace);
  const limiter = new RedisRateLimiter(redis, { teams: TEAMS_LIMITS }, namespace);
  return {
    store,
    outbox,
    claims,
    limiter,
    clock,
    random,
    logger,
    programmes,
    owner,
    async close() {
      await store.close();
      await redis.quit();
    },
  };
}

export const newNamespace = () => `sbtest-${randomUUID()}`;

export async function dropNamespace(namespace: string, kind: RedisKind = 'redis') {
  await dropNamespaceOn(kind, namespace);
}
