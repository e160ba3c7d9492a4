import { Redis, type Cluster } from 'ioredis';
import type { Claims, DeadLetter, Outbox, PlatformLimits, NewWorkItem, RateLimiter, TeamRef, WorkItem } from '../../app/ports.ts';
import { deadLettersKey, keysFor, limitKeys, parseQueueMember, queueKey, queueMember, teamTag } from '../keys.ts';
import { decode, encode } from '../values.ts';
import { ACQUIRE, CLAIM, COMPLETE, ENQUEUE, RETRY, TAKE_DUE, THROTTLE } from './delivery-scripts.ts';

type Client = Redis | Cluster;
type Script = (...args: Array<string | number>) => Promise<unknown>;
const DEAD_LETTERS_KEPT = 1000;
/** Items per enqueue script call and per ZADD, so no one command holds Redis up for long. */
const ENQUEUE_CHUNK = 500;

/** `numberOfKeys` undefined: the caller passes the key count as the first argument. */
function script(redis: Client, name: string, numberOfKeys: number | undefined, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
  // ioredis adds commands made by defineCommand at run time; its types cannot know them.
  return (...args) => (redis as unknown as Record<string, Script>)[name]!(...args);
}

const iso = (ms: number) => new Date(ms).toISOString();

function chunked<T>(list: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** The outbox on Redis: items in their team's hash, one queue of due times for all teams. */
export class RedisOutbox implements Outbox {
  private readonly takeDue: Script;
  private readonly enqueueScript: Script;
  private readonly retryScript: Script;
  constructor(
    private readonly redis: Client,
    private readonly namespace?: string,
  ) {
    this.takeDue = script(redis, 'sparringTakeDue', 1, TAKE_DUE);
    this.enqueueScript = script(redis, 'sparringEnqueue', undefined, ENQUEUE);
    this.retryScript = script(redis, 'sparringRetry', 1, RETRY);
  }

  private hash(team: TeamRef, occurrenceId: string) {
    return keysFor(team, this.namespace).outbox(occurrenceId);
  }

  async enqueue(items: NewWorkItem[], nowMs: number) {
    // One script call per team and chunk (a team's keys share a hash tag: one Cluster slot), all at once.
    const byTeam = new Map<string, NewWorkItem[]>();
    for (const item of items) {
      const group = byTeam.get(teamTag(item.team));
      if (group) group.push(item);
      else byTeam.set(teamTag(item.team), [item]);
    }
    const chunks = [...byTeam.values()].flatMap((group) => chunked(group, ENQUEUE_CHUNK));
    const outcomes = await Promise.all(
      chunks.map(async (chunk) => {
        const keys = chunk.map((item) => this.hash(item.team, item.occurrenceId));
        const values = chunk.flatMap((item) => [item.recipient, encode({ ...item, state: 'pending', attempts: 0, updatedAt: iso(nowMs) } satisfies WorkItem)]);
        const result = (await this.enqueueScript(keys.length, ...keys, ...values)) as number[];
        return chunk.map((item, i) => ({ item, outcome: result[i] }));
      }),
    );
    // Then queued, new items and ones still pending alike: a crash between the two writes must not strand
    // an item. NX keeps the due time (or lease) of one queued already; one sent or dead is never queued again.
    const members = new Set(outcomes.flat().flatMap(({ item, outcome }) => (outcome === -1 ? [] : [queueMember(item.team, item.occurrenceId, item.recipient)])));
    await Promise.all(chunked([...members], ENQUEUE_CHUNK).map((chunk) => this.redis.zadd(queueKey(this.namespace), 'NX', ...chunk.flatMap((member) => [nowMs, member]))));
    return outcomes.flat().filter(({ outcome }) => outcome === 1).length;
  }

  async take(nowMs: number, limit: number, leaseMs: number) {
    const members = (await this.takeDue(queueKey(this.namespace), nowMs, limit, leaseMs)) as string[];
    const found = await Promise.all(
      members.map((member) => {
        const { team, occurrenceId, recipient } = parseQueueMember(member);
        return this.get(team, occurrenceId, recipient);
      }),
    );
    // Sent or dead (its worker died after recording it, or an enqueue raced its send): nothing left to do.
    const done = members.filter((_, i) => found[i]?.state !== 'pending');
    if (done.length > 0) await this.redis.zrem(queueKey(this.namespace), ...done);
    return found.filter((item): item is WorkItem => item?.state === 'pending');
  }

  private async save(item: WorkItem) {
    await this.redis.hset(this.hash(item.team, item.occurrenceId), item.recipient, encode(item));
  }

  async markSent(item: WorkItem, messageId: string, nowMs: number) {
    await this.save({ ...item, state: 'sent', messageId, updatedAt: iso(nowMs) });
    await this.redis.zrem(queueKey(this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async retryAt(item: WorkItem, atMs: number, reason: string, failed: boolean, nowMs: number) {
    if (failed) {
      // Written only while still pending: a slow worker must not overwrite what another worker sent or dead-lettered.
      const written = await this.retryScript(this.hash(item.team, item.occurrenceId), item.recipient, encode({ ...item, attempts: item.attempts + 1, lastError: reason, updatedAt: iso(nowMs) }));
      if (Number(written) !== 1) return;
    }
    // XX: an item no longer queued (sent or dead) is not queued again.
    await this.redis.zadd(queueKey(this.namespace), 'XX', atMs, queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async deadLetter(item: WorkItem, reason: string, nowMs: number) {
    await this.save({ ...item, state: 'dead', lastError: reason, updatedAt: iso(nowMs) });
    const letter: DeadLetter = { team: item.team, occurrenceId: item.occurrenceId, recipient: item.recipient, reason, attempts: item.attempts, at: iso(nowMs) };
    await this.redis.multi().rpush(deadLettersKey(this.namespace), encode(letter)).ltrim(deadLettersKey(this.namespace), -DEAD_LETTERS_KEPT, -1).exec();
    await this.redis.zrem(queueKey(this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async get(team: TeamRef, occurrenceId: string, recipient: string) {
    const text = await this.redis.hget(this.hash(team, occurrenceId), recipient);
    return text ? decode<WorkItem>(text) : undefined;
  }

  async deadLetters(limit = 100) {
    return (await this.redis.lrange(deadLettersKey(this.namespace), -limit, -1)).map((t) => decode<DeadLetter>(t));
  }

  async pending() {
    return this.redis.zcard(queueKey(this.namespace));
  }

  async nextDue() {
    const [, score] = await this.redis.zrange(queueKey(this.namespace), '0', '0', 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }
}

export class RedisClaims implements Claims {
  private readonly claimScript: Script;
  private readonly completeScript: Script;
  constructor(
    private readonly redis: Client,
    private readonly namespace?: string,
  ) {
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

export class RedisRateLimiter implements RateLimiter {
  private readonly acquireScript: Script;
  private readonly throttleScript: Script;
  private sequence = 0;
  constructor(
    redis: Client,
    private readonly limits: Record<string, PlatformLimits>,
    private readonly namespace?: string,
  ) {
    this.acquireScript = script(redis, 'sparringAcquire3', undefined, ACQUIRE);
    this.throttleScript = script(redis, 'sparringThrottle2', 2, THROTTLE);
  }

  async acquire(platform: string, tenant: string, conversation: string, nowMs: number) {
    const limits = this.limits[platform];
    if (!limits) return 0;
    const k = limitKeys(platform, tenant, this.namespace);
    const windows = [
      ...limits.tenant.map((l) => ({ key: `${k.tenant}:${l.windowMs}`, ...l, tenant: 1 })),
      ...limits.conversation.map((l) => ({ key: k.conversation(conversation, l.windowMs), ...l, tenant: 0 })),
    ];
    const keys = [k.slowedUntil, k.conversationUntil(conversation), k.nextSlot, ...windows.map((w) => w.key)];
    const member = `${nowMs}:${process.pid}:${++this.sequence}:${Math.random().toString(36).slice(2, 8)}`;
    // The key count varies with the limits, so it is passed first.
    const wait = await this.acquireScript(keys.length, ...keys, nowMs, member, ...windows.flatMap((w) => [w.limit, w.windowMs, w.tenant]));
    return Number(wait);
  }

  async throttle(platform: string, tenant: string, conversation: string, untilMs: number) {
    const k = limitKeys(platform, tenant, this.namespace);
    await this.throttleScript(k.slowedUntil, k.conversationUntil(conversation), untilMs);
  }
}

/** An outbox on its own connection, for the CLI. */
export function connectOutbox(url: string, namespace?: string): RedisOutbox & { close(): Promise<void> } {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  return Object.assign(new RedisOutbox(redis, namespace), {
    close: async () => {
      await redis.quit();
    },
  });
}

/** Outbox, claims and limiter on one connection: what a replica's scheduler and delivery share. */
export function connectDelivery(url: string, limits: Record<string, PlatformLimits>, namespace?: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  return {
    outbox: new RedisOutbox(redis, namespace),
    claims: new RedisClaims(redis, namespace),
    limiter: new RedisRateLimiter(redis, limits, namespace),
    close: async () => {
      await redis.quit();
    },
  };
}
