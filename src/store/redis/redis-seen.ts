import type { SeenActivities } from '../../app/ports.ts';
import { seenKey } from '../keys.ts';
import { clientFor, type RedisClient } from './client.ts';
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

/** On a connection of its own (a URL) or on the process's client. */
export function connectSeen(target: string | RedisClient, namespace?: string): RedisSeenActivities & { close(): Promise<void> } {
  const { client, close } = clientFor(target);
  return Object.assign(new RedisSeenActivities(client, namespace), { close });
}
