import type { Claims, TeamRef } from '../../app/ports.ts';
import { keysFor } from '../keys.ts';
import { CLAIM, COMPLETE } from './delivery-scripts.ts';
import type { RedisClient } from './client.ts';
import { type Script, script } from './redis-team.ts';

/** Firing an occurrence once across replicas: a lease while its fan-out is enqueued, then "fired" in the team's set. */
export class RedisClaims implements Claims {
  private readonly redis: RedisClient;
  private readonly namespace?: string;
  private readonly claimScript: Script;
  private readonly completeScript: Script;
  constructor(redis: RedisClient, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
    this.claimScript = script(redis, 'sparringClaim', 2, CLAIM);
    this.completeScript = script(redis, 'sparringComplete2', 2, COMPLETE);
  }

  async claim(team: TeamRef, occurrenceId: string, owner: string, leaseMs: number, nowMs: number) {
    const k = keysFor(team, this.namespace);
    return (await this.claimScript(k.claim(occurrenceId), k.fired, occurrenceId, owner, leaseMs, nowMs)) as 'claimed' | 'taken' | 'fired';
  }

  async complete(team: TeamRef, occurrenceId: string, owner: string) {
    const k = keysFor(team, this.namespace);
    await this.completeScript(k.claim(occurrenceId), k.fired, occurrenceId, owner);
  }

  async fired(team: TeamRef) {
    return new Set(await this.redis.smembers(keysFor(team, this.namespace).fired));
  }
}
