import type { Random } from '../../app/ports.ts';
import { ComposedStore } from '../composed-store.ts';
import { RedisConversations } from './redis-conversations.ts';
import { RedisDocuments } from './redis-documents.ts';
import { RedisDueIndex } from './redis-due-index.ts';
import { RedisHours } from './redis-hours.ts';
import { RedisLocalTranscript } from './redis-local-transcript.ts';
import { RedisMembers } from './redis-members.ts';
import { RedisReminders } from './redis-reminders.ts';
import { RedisReplies } from './redis-replies.ts';
import { RedisRuns } from './redis-runs.ts';
import { RedisSlackInstallations } from './redis-slack-installations.ts';
import { connectRedis, closeRedis } from './client.ts';
import { RedisTeams, type Client } from './redis-team.ts';

/**
 * The store on Redis (or Redis Cluster) through ioredis: one object per port, on one connection,
 * composed here so the app can be handed the whole store or a single port. Every key name comes
 * from keys.ts.
 */
export class RedisStore extends ComposedStore {
  private readonly redis: Client;

  constructor(
    redis: Client,
    random: Random,
    /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
    namespace?: string,
    /** The key of the anonymous markers, as `anonymitySecret(config)` gives it (default: the development key, for tests). */
    anonymitySecret?: string,
  ) {
    const teams = new RedisTeams(redis, namespace);
    const members = new RedisMembers(teams);
    super({
      members,
      runs: new RedisRuns(teams, members),
      due: new RedisDueIndex(teams),
      conversations: new RedisConversations(teams),
      replies: new RedisReplies(teams, random, anonymitySecret),
      documents: new RedisDocuments(teams),
      hours: new RedisHours(teams),
      reminders: new RedisReminders(teams),
      slackInstallations: new RedisSlackInstallations(redis, namespace),
      transcript: new RedisLocalTranscript(teams, members),
    });
    this.redis = redis;
  }

  static connect(url: string, random: Random, namespace?: string, anonymitySecret?: string, options: { commandTimeoutMs?: number } = {}): RedisStore {
    // Commands wait for the connection instead of failing while Redis restarts (a write is only acknowledged to
    // the person once Redis has it), but no longer than `commandTimeoutMs`: then the person is told to try again.
    // A lost connection is retried for ever; /readyz reports it (reachable()).
    return new RedisStore(connectRedis({ url }, options), random, namespace, anonymitySecret);
  }

  reachable() {
    return this.redis.status === 'ready';
  }

  /** Closes its client, shared or not: the last part a process closes. Closing twice is harmless: the CLI closes what it opened, and so may its caller. */
  async close() {
    await closeRedis(this.redis);
  }
}
