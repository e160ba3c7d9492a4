import { createHmac } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import {
  type Claims,
  type DeadLetter,
  FORGOTTEN_RECIPIENT,
  type Outbox,
  type OutboxRecords,
  type LimitedSend,
  type PlatformLimits,
  type NewWorkItem,
  type RateLimiter,
  type TeamRef,
  type WorkItem,
} from '../../app/ports.ts';
import { DEVELOPMENT_ANONYMITY_SECRET } from '../../config.ts';
import { sentItem } from '../embedded/memory-delivery.ts';
import { deadLettersKey, keysFor, limitKeys, parseQueueMember, queueKey, queueMember, teamTag } from '../keys.ts';
import { decode, encode } from '../values.ts';
import { ACQUIRE, CLAIM, COMPLETE, DELETE_BEFORE, DELETE_ITEM, ENQUEUE, ERASE_RECIPIENTS, PACE, RELEASE, RETRY, TAKE_DUE, THROTTLE, WRITE_IF_STORED } from './delivery-scripts.ts';
import { type LimiterPlan, limiterPlan } from '../../delivery/limit-windows.ts';

type Client = Redis | Cluster;
type Script = (...args: Array<string | number>) => Promise<unknown>;
const DEAD_LETTERS_KEPT = 1000;
/** Items per enqueue script call and per ZADD, so no one command holds Redis up for long. */
const ENQUEUE_CHUNK = 500;
/** Occurrences (outbox hashes) per erase or retention script call, for the same reason. */
const OCCURRENCE_CHUNK = 100;

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

/**
 * The outbox on Redis: items in their team's hash (one per occurrence, listed in the team's index of
 * outbox occurrences), one queue of due times for all teams, one list of dead letters.
 */
export class RedisOutbox implements Outbox, OutboxRecords {
  private readonly redis: Client;
  private readonly namespace?: string;
  private readonly takeDue: Script;
  private readonly enqueueScript: Script;
  private readonly retryScript: Script;
  private readonly writeIfStored: Script;
  private readonly eraseScript: Script;
  private readonly deleteBeforeScript: Script;
  private readonly deleteItemScript: Script;
  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
    this.takeDue = script(redis, 'sparringTakeDue', 1, TAKE_DUE);
    this.enqueueScript = script(redis, 'sparringEnqueue2', undefined, ENQUEUE);
    this.retryScript = script(redis, 'sparringRetry', 1, RETRY);
    this.writeIfStored = script(redis, 'sparringWriteIfStored', 1, WRITE_IF_STORED);
    this.eraseScript = script(redis, 'sparringEraseRecipients', undefined, ERASE_RECIPIENTS);
    this.deleteBeforeScript = script(redis, 'sparringOutboxDeleteBefore', undefined, DELETE_BEFORE);
    this.deleteItemScript = script(redis, 'sparringOutboxDeleteItem', 2, DELETE_ITEM);
  }

  private hash(team: TeamRef, occurrenceId: string) {
    return keysFor(team, this.namespace).outbox(occurrenceId);
  }

  async enqueue(items: NewWorkItem[], nowMs: number, dueMs?: readonly number[]) {
    // One script call per team and chunk (a team's keys share a hash tag: one Cluster slot), all at once.
    const byTeam = new Map<string, Array<{ item: NewWorkItem; due: number }>>();
    for (const [i, item] of items.entries()) {
      const entry = { item, due: dueMs?.[i] ?? nowMs };
      const group = byTeam.get(teamTag(item.team));
      if (group) group.push(entry);
      else byTeam.set(teamTag(item.team), [entry]);
    }
    const updatedAt = iso(nowMs);
    const chunks = [...byTeam.values()].flatMap((group) => chunked(group, ENQUEUE_CHUNK));
    const outcomes = await Promise.all(
      chunks.map(async (chunk) => {
        const keys = [keysFor(chunk[0]!.item.team, this.namespace).outboxOccurrences, ...chunk.map(({ item }) => this.hash(item.team, item.occurrenceId))];
        const values = chunk.flatMap(({ item }) => [item.recipient, encode({ ...item, state: 'pending', attempts: 0, updatedAt } satisfies WorkItem), item.occurrenceId]);
        const result = (await this.enqueueScript(keys.length, ...keys, ...values)) as number[];
        return chunk.map((entry, i) => ({ ...entry, outcome: result[i] }));
      }),
    );
    // Then queued, new items and ones still pending alike: a crash between the two writes must not strand
    // an item. NX keeps the due time (or lease) of one queued already; one sent or dead is never queued again.
    const queued = new Map<string, number>();
    for (const { item, due, outcome } of outcomes.flat()) if (outcome !== -1) queued.set(queueMember(item.team, item.occurrenceId, item.recipient), due);
    await Promise.all(chunked([...queued], ENQUEUE_CHUNK).map((chunk) => this.redis.zadd(queueKey(this.namespace), 'NX', ...chunk.flatMap(([member, due]) => [due, member]))));
    return outcomes.flat().filter(({ outcome }) => outcome === 1).length;
  }

  async take(nowMs: number, limit: number, leaseMs: number) {
    const members = (await this.takeDue(queueKey(this.namespace), nowMs, limit, leaseMs)) as string[];
    // One HMGET per occurrence (a fan-out's items share one hash), not one read per item.
    const byHash = new Map<string, Array<{ index: number; recipient: string }>>();
    for (const [index, member] of members.entries()) {
      const { team, occurrenceId, recipient } = parseQueueMember(member);
      const hash = this.hash(team, occurrenceId);
      const group = byHash.get(hash);
      if (group) group.push({ index, recipient });
      else byHash.set(hash, [{ index, recipient }]);
    }
    const found: Array<WorkItem | undefined> = new Array(members.length);
    await Promise.all(
      [...byHash].map(async ([hash, group]) => {
        const texts = await this.redis.hmget(hash, ...group.map((g) => g.recipient));
        for (const [i, { index }] of group.entries()) found[index] = texts[i] ? decode<WorkItem>(texts[i]!) : undefined;
      }),
    );
    // Sent or dead (its worker died after recording it, or an enqueue raced its send): nothing left to do.
    const done = members.filter((_, i) => found[i]?.state !== 'pending');
    if (done.length > 0) await this.redis.zrem(queueKey(this.namespace), ...done);
    return found.filter((item): item is WorkItem => item?.state === 'pending');
  }

  /** Writes the item only if it is still stored: true when written. */
  private async save(item: WorkItem) {
    return Number(await this.writeIfStored(this.hash(item.team, item.occurrenceId), item.recipient, encode(item))) === 1;
  }

  /** Deletes the item if it is still stored (and its occurrence from the index once it has no item left): true when deleted. */
  private async forget(item: WorkItem) {
    const index = keysFor(item.team, this.namespace).outboxOccurrences;
    return Number(await this.deleteItemScript(index, this.hash(item.team, item.occurrenceId), item.recipient, item.occurrenceId)) === 1;
  }

  async markSent(item: WorkItem, messageId: string, nowMs: number) {
    if (item.forgetWhenSent) await this.forget(item);
    else await this.save(sentItem(item, messageId, nowMs));
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
    // An item erased while it was being sent leaves no dead letter naming its recipient; one to be forgotten names none.
    const recorded = item.forgetWhenSent ? await this.forget(item) : await this.save({ ...item, state: 'dead', lastError: reason, updatedAt: iso(nowMs) });
    if (recorded) {
      const recipient = item.forgetWhenSent ? FORGOTTEN_RECIPIENT : item.recipient;
      const letter: DeadLetter = { team: item.team, occurrenceId: item.occurrenceId, recipient, reason, attempts: item.attempts, at: iso(nowMs) };
      await this.redis.multi().rpush(deadLettersKey(this.namespace), encode(letter)).ltrim(deadLettersKey(this.namespace), -DEAD_LETTERS_KEPT, -1).exec();
    }
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

  /** The team's occurrences with outbox items, from its index (no SCAN), in chunks for one script call each. */
  private async occurrenceChunks(team: TeamRef) {
    return chunked((await this.redis.smembers(keysFor(team, this.namespace).outboxOccurrences)).sort(), OCCURRENCE_CHUNK);
  }

  async itemsFor(team: TeamRef, recipients: string[]) {
    if (recipients.length === 0) return [];
    const occurrences = (await this.occurrenceChunks(team)).flat();
    const found = await Promise.all(occurrences.map((occurrenceId) => this.redis.hmget(this.hash(team, occurrenceId), ...recipients)));
    return found.flat().flatMap((text) => (text ? [decode<WorkItem>(text)] : []));
  }

  async eraseItemsFor(team: TeamRef, recipients: string[]) {
    if (recipients.length === 0) return 0;
    let erased = 0;
    for (const occurrences of await this.occurrenceChunks(team)) {
      // One script per team and chunk: the items go from their hashes at once, on the team's one slot.
      const keys = [keysFor(team, this.namespace).outboxOccurrences, ...occurrences.map((o) => this.hash(team, o))];
      const removed = (await this.eraseScript(keys.length, ...keys, recipients.length, ...recipients, ...occurrences)) as string[];
      erased += removed.length / 2;
      // Then from the queue (another slot): every queue member this person could have there, so a leftover
      // of a crash is gone too. A worker holding one finds nothing to send, and records nothing (see save).
      const members = occurrences.flatMap((o) => recipients.map((r) => queueMember(team, o, r)));
      await this.redis.zrem(queueKey(this.namespace), ...members);
    }
    return erased;
  }

  private async letters(): Promise<Array<{ text: string; letter: DeadLetter }>> {
    return (await this.redis.lrange(deadLettersKey(this.namespace), 0, -1)).map((text) => ({ text, letter: decode<DeadLetter>(text) }));
  }

  /** Removes exactly these stored values (LREM of each value, never a rewrite of the list): a dead letter added meanwhile stays. */
  private async removeLetters(texts: string[]) {
    const counts = await Promise.all([...new Set(texts)].map((text) => this.redis.lrem(deadLettersKey(this.namespace), 0, text)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async deadLettersFor(team: TeamRef, recipients: string[]) {
    return (await this.letters()).filter(({ letter }) => addressedTo(letter, team, recipients)).map(({ letter }) => letter);
  }

  async eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.removeLetters((await this.letters()).filter(({ letter }) => addressedTo(letter, team, recipients)).map(({ text }) => text));
  }

  async deleteBefore(team: TeamRef, cutoffMs: number) {
    let deleted = 0;
    for (const occurrences of await this.occurrenceChunks(team)) {
      const keys = [keysFor(team, this.namespace).outboxOccurrences, ...occurrences.map((o) => this.hash(team, o))];
      deleted += Number(await this.deleteBeforeScript(keys.length, ...keys, iso(cutoffMs), ...occurrences));
    }
    return deleted;
  }

  async deleteDeadLettersBefore(cutoffMs: number) {
    return this.removeLetters((await this.letters()).filter(({ letter }) => Date.parse(letter.at) < cutoffMs).map(({ text }) => text));
  }
}

const sameTeam = (a: TeamRef, b: TeamRef) => a.tenant === b.tenant && a.team === b.team;
const addressedTo = (letter: DeadLetter, team: TeamRef, recipients: string[]) => sameTeam(letter.team, team) && recipients.includes(letter.recipient);

export class RedisClaims implements Claims {
  private readonly redis: Client;
  private readonly namespace?: string;
  private readonly claimScript: Script;
  private readonly completeScript: Script;
  constructor(redis: Client, namespace?: string) {
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

/**
 * The limiter on Redis: one script call a step, each on the keys of one tenant (one hash tag). See
 * MemoryRateLimiter for the same rules in memory. A send's id names its work item (occurrence and
 * recipient), and a reminder of an anonymous questionnaire must leave nothing that says whom it went to:
 * so Redis keeps a keyed hash of it, under the anonymity secret like the "has answered" markers.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly acquireScript: Script;
  private readonly releaseScript: Script;
  private readonly throttleScript: Script;
  private readonly paceScript: Script;
  /** Per platform: the plan and the script arguments that follow from it, worked out once. */
  private readonly plans = new Map<string, { plan: LimiterPlan; windows: number[] }>();
  private readonly limits: Record<string, PlatformLimits>;
  private readonly namespace: string | undefined;
  /** ANONYMITY_SECRET as `anonymitySecret(config)` gives it; left out, the playground's fixed key (tests, benchmarks). */
  private readonly secret: string;
  constructor(redis: Client, limits: Record<string, PlatformLimits>, namespace?: string, secret: string = DEVELOPMENT_ANONYMITY_SECRET) {
    this.limits = limits;
    this.namespace = namespace;
    this.secret = secret;
    this.acquireScript = script(redis, 'sparringAcquire5', 4, ACQUIRE);
    this.releaseScript = script(redis, 'sparringRelease', 2, RELEASE);
    this.throttleScript = script(redis, 'sparringThrottle3', 5, THROTTLE);
    this.paceScript = script(redis, 'sparringPace', 1, PACE);
  }

  private plan(platform: string) {
    const limits = this.limits[platform];
    if (!limits) return undefined;
    let entry = this.plans.get(platform);
    if (!entry) {
      const plan = limiterPlan(limits);
      const windows = [plan.tenant.length, ...plan.tenant.flatMap((w) => [w.limit, w.slowedLimit, w.spanMs]), plan.conversation.length, ...plan.conversation.flatMap((w) => [w.limit, w.spanMs])];
      this.plans.set(platform, (entry = { plan, windows }));
    }
    return entry;
  }

  /** What Redis keeps of a send's id. */
  private member(send: LimitedSend) {
    return createHmac('sha256', this.secret).update(send.send).digest('base64url').slice(0, 22);
  }

  async acquire(send: LimitedSend, nowMs: number) {
    const entry = this.plan(send.platform);
    if (!entry) return 0;
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    const keys = [k.sends, k.conversationSends(send.conversation), k.conversationUntil(send.conversation), k.slowedUntil];
    return Number(await this.acquireScript(...keys, nowMs, this.member(send), entry.plan.heldMs, entry.plan.holdWithinMs, ...entry.windows));
  }

  async release(send: LimitedSend) {
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    await this.releaseScript(k.sends, k.conversationSends(send.conversation), this.member(send));
  }

  async throttle(send: LimitedSend, untilMs: number, nowMs: number) {
    const plan = this.plan(send.platform)?.plan;
    const k = limitKeys(send.platform, send.tenant, this.namespace);
    const keys = [k.sends, k.conversationSends(send.conversation), k.conversationUntil(send.conversation), k.slowedUntil, k.throttles];
    // Without limits for the platform, its 429s never slow the tenant (there is no rate to slow).
    await this.throttleScript(...keys, this.member(send), untilMs, nowMs, plan?.throttleSpanMs ?? 0, plan?.throttlesToSlow ?? Number.MAX_SAFE_INTEGER);
  }

  async pace(platform: string, tenant: string, count: number, nowMs: number) {
    const plan = this.plan(platform)?.plan;
    if (!plan || plan.paceIntervalMs === 0) return { startMs: nowMs, intervalMs: 0 };
    const startMs = Number(await this.paceScript(limitKeys(platform, tenant, this.namespace).pace, nowMs, count, String(plan.paceIntervalMs)));
    return { startMs, intervalMs: plan.paceIntervalMs };
  }
}

/**
 * How delivery connects: commands wait for the connection instead of failing while Redis restarts, and the
 * commands of one tick (a pool of sends each asking the limiter, reading a conversation, recording a send)
 * go out in one write: one system call instead of one each, which was a seventh of delivery's CPU.
 */
export const DELIVERY_REDIS_OPTIONS = { maxRetriesPerRequest: null, enableAutoPipelining: true };

/** An outbox on its own connection, for the CLI. */
export function connectOutbox(url: string, namespace?: string): RedisOutbox & { close(): Promise<void> } {
  const redis = new Redis(url, DELIVERY_REDIS_OPTIONS);
  return Object.assign(new RedisOutbox(redis, namespace), {
    close: async () => {
      await redis.quit();
    },
  });
}

/** Outbox, claims and limiter on one connection: what a replica's scheduler and delivery share. */
export function connectDelivery(url: string, limits: Record<string, PlatformLimits>, namespace?: string, secret?: string) {
  const redis = new Redis(url, DELIVERY_REDIS_OPTIONS);
  // Reconnected for ever (the store's /readyz check reports it); without a listener ioredis prints every retry.
  redis.on('error', () => {});
  return {
    outbox: new RedisOutbox(redis, namespace),
    claims: new RedisClaims(redis, namespace),
    limiter: new RedisRateLimiter(redis, limits, namespace, secret),
    close: async () => {
      await redis.quit();
    },
  };
}
