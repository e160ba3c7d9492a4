import { Redis } from 'ioredis';
import type { SeenActivities } from '../../app/ports.ts';
import { seenKey } from '../keys.ts';
import type { Client } from './redis-team.ts';

/** Seen activity ids on Redis: `SET key 1 NX PX ttl`, so of two replicas given the same activity one goes ahead. */
export class RedisSeenActivities implements SeenActivities {
  private readonly redis: Client;
  private readonly namespace?: string;
  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
  }

  async firstTime(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(seenKey(key, this.namespace), '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }
}

/**
 * On a connection of its own, like the outbox's. Like the store's, a command waits through a reconnect
 * for at most `commandTimeoutMs`, so an inbound event is answered (with "try again") while Redis is away.
 */
export function connectSeen(url: string, namespace?: string, options: { commandTimeoutMs?: number } = {}): RedisSeenActivities & { close(): Promise<void> } {
  const redis = new Redis(url, { maxRetriesPerRequest: null, ...(options.commandTimeoutMs ? { commandTimeout: options.commandTimeoutMs } : {}) });
  // Reconnected for ever, reported by the store's /readyz check; without a listener ioredis prints every retry.
  redis.on('error', () => {});
  return Object.assign(new RedisSeenActivities(redis, namespace), {
    close: async () => {
      if (redis.status !== 'end') await redis.quit();
    },
  });
}
