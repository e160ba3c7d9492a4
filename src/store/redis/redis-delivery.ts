import { createHmac } from 'node:crypto';
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
import { clientFor, type RedisClient } from './client.ts';
import { script as teamScript } from './redis-team.ts';
import { sentItem } from '../embedded/memory-delivery.ts';
import { deadLettersKey, keysFor, limitKeys, parseQueueMember, queueKey, queueMember, SHARD_NUMBERS, teamDeadLettersKey, teamQueueKey, teamTag } from '../keys.ts';
import { decode, encode } from '../values.ts';
import { ACQUIRE, CLAIM, COMPLETE, DELETE_BEFORE, DELETE_ITEM, ENQUEUE, ERASE_RECIPIENTS, PACE, RELEASE, RETRY, TAKE_DUE, THROTTLE, WRITE_IF_STORED } from './delivery-scripts.ts';
import { type LimiterPlan, limiterPlan } from '../../delivery/limit-windows.ts';

type Client = RedisClient;
type Script = (...args: Array<string | number>) => Promise<unknown>;
const DEAD_LETTERS_KEPT = 1000;
/** Items per enqueue script call and per ZADD, so no one command holds Redis up for long. */
const ENQUEUE_CHUNK = 500;
/** Occurrences (outbox hashes) per erase or retention script call, for the same reason. */
const OCCURRENCE_CHUNK = 100;

/** `numberOfKeys` undefined: the caller passes the key count as the first argument (see redis-team.ts: safe on a cluster). */
function script(redis: Client, name: string, numberOfKeys: number | undefined, lua: string): Script {
  return teamScript(redis, name, numberOfKeys, lua);
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
    const queued = new Map<string, Map<string, number>>();
    for (const { item, due, outcome } of outcomes.flat()) {
      if (outcome === -1) continue;
      const key = teamQueueKey(item.team, this.namespace);
      let shard = queued.get(key);
      if (!shard) queued.set(key, (shard = new Map()));
      shard.set(queueMember(item.team, item.occurrenceId, item.recipient), due);
    }
    await Promise.all([...queued].flatMap(([key, shard]) => chunked([...shard], ENQUEUE_CHUNK).map((chunk) => this.redis.zadd(key, 'NX', ...chunk.flatMap(([member, due]) => [due, member])))));
    return outcomes.flat().filter(({ outcome }) => outcome === 1).length;
  }

  /**
   * Up to `limit` due items from all shards: first how many each shard has due, then the limit shared out among
   * those (round by round, so one team's big fan-out in one shard gets what the others leave), each shard's share
   * taken and leased by its own script. Both steps ask every shard at once.
   */
  private async takeMembers(nowMs: number, limit: number, leaseMs: number): Promise<string[]> {
    const keys = SHARD_NUMBERS.map((shard) => queueKey(shard, this.namespace));
    const due = await Promise.all(keys.map((key) => this.redis.zcount(key, '-inf', nowMs)));
    const share = keys.map(() => 0);
    for (let left = Math.max(0, limit), gave = true; left > 0 && gave; ) {
      gave = false;
      for (const [i, count] of due.entries()) {
        if (left > 0 && share[i]! < count) {
          share[i]! += 1;
          left -= 1;
          gave = true;
        }
      }
    }
    const taken = await Promise.all(keys.map((key, i) => (share[i]! > 0 ? (this.takeDue(key, nowMs, share[i]!, leaseMs) as Promise<string[]>) : [])));
    return taken.flat();
  }

  async take(nowMs: number, limit: number, leaseMs: number) {
    const members = await this.takeMembers(nowMs, limit, leaseMs);
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
    await Promise.all(done.map((member) => this.redis.zrem(teamQueueKey(parseQueueMember(member).team, this.namespace), member)));
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
    await this.redis.zrem(teamQueueKey(item.team, this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async retryAt(item: WorkItem, atMs: number, reason: string, failed: boolean, nowMs: number) {
    if (failed) {
      // Written only while still pending: a slow worker must not overwrite what another worker sent or dead-lettered.
      const written = await this.retryScript(this.hash(item.team, item.occurrenceId), item.recipient, encode({ ...item, attempts: item.attempts + 1, lastError: reason, updatedAt: iso(nowMs) }));
      if (Number(written) !== 1) return;
    }
    // XX: an item no longer queued (sent or dead) is not queued again.
    await this.redis.zadd(teamQueueKey(item.team, this.namespace), 'XX', atMs, queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async deadLetter(item: WorkItem, reason: string, nowMs: number) {
    // An item erased while it was being sent leaves no dead letter naming its recipient; one to be forgotten names none.
    const recorded = item.forgetWhenSent ? await this.forget(item) : await this.save({ ...item, state: 'dead', lastError: reason, updatedAt: iso(nowMs) });
    if (recorded) {
      const recipient = item.forgetWhenSent ? FORGOTTEN_RECIPIENT : item.recipient;
      const letter: DeadLetter = { team: item.team, occurrenceId: item.occurrenceId, recipient, reason, attempts: item.attempts, at: iso(nowMs) };
      const key = teamDeadLettersKey(item.team, this.namespace);
      await this.redis.multi().rpush(key, encode(letter)).ltrim(key, -DEAD_LETTERS_KEPT, -1).exec();
    }
    await this.redis.zrem(teamQueueKey(item.team, this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
  }

  async get(team: TeamRef, occurrenceId: string, recipient: string) {
    const text = await this.redis.hget(this.hash(team, occurrenceId), recipient);
    return text ? decode<WorkItem>(text) : undefined;
  }

  /** The newest `limit` of all shards, oldest first. */
  async deadLetters(limit = 100) {
    const shards = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.lrange(deadLettersKey(shard, this.namespace), -limit, -1)));
    const letters = shards.flat().map((t) => decode<DeadLetter>(t));
    return letters.sort((a, b) => a.at.localeCompare(b.at)).slice(-limit);
  }

  async pending() {
    const counts = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.zcard(queueKey(shard, this.namespace))));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async nextDue() {
    const firsts = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.zrange(queueKey(shard, this.namespace), '0', '0', 'WITHSCORES')));
    const scores = firsts.flatMap(([, score]) => (score === undefined ? [] : [Number(score)]));
    return scores.length === 0 ? undefined : Math.min(...scores);
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
      await this.redis.zrem(teamQueueKey(team, this.namespace), ...members);
    }
    return erased;
  }

  private async letters(): Promise<Array<{ text: string; letter: DeadLetter }>> {
    const shards = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.lrange(deadLettersKey(shard, this.namespace), 0, -1)));
    return shards.flat().map((text) => ({ text, letter: decode<DeadLetter>(text) }));
  }

  /** Removes exactly these stored letters (LREM of each value in its team's shard, never a rewrite of the list): a dead letter added meanwhile stays. */
  private async removeLetters(found: Array<{ text: string; letter: DeadLetter }>) {
    const unique = new Map(found.map((f) => [f.text, f.letter]));
    const counts = await Promise.all([...unique].map(([text, letter]) => this.redis.lrem(teamDeadLettersKey(letter.team, this.namespace), 0, text)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async deadLettersFor(team: TeamRef, recipients: string[]) {
    return (await this.letters()).filter(({ letter }) => addressedTo(letter, team, recipients)).map(({ letter }) => letter);
  }

  async eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.removeLetters((await this.letters()).filter(({ letter }) => addressedTo(letter, team, recipients)));
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
    return this.removeLetters((await this.letters()).filter(({ letter }) => Date.parse(letter.at) < cutoffMs));
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
 * How delivery connects (as client.ts's connectRedis): commands wait for the connection instead of failing while
 * Redis restarts, and the commands of one tick (a pool of sends each asking the limiter, reading a conversation,
 * recording a send) go out in one write: one system call instead of one each, which was a seventh of delivery's CPU.
 */
export const DELIVERY_REDIS_OPTIONS = { maxRetriesPerRequest: null, enableAutoPipelining: true };

/** An outbox on a connection of its own (a URL: the CLI) or on the process's client. */
export function connectOutbox(target: string | RedisClient, namespace?: string): RedisOutbox & { close(): Promise<void> } {
  const { client, close } = clientFor(target);
  return Object.assign(new RedisOutbox(client, namespace), { close });
}

/** Outbox, claims and limiter on one client: what a replica's scheduler and delivery share. */
export function connectDelivery(target: string | RedisClient, limits: Record<string, PlatformLimits>, namespace?: string, secret?: string) {
  const { client, close } = clientFor(target);
  return {
    outbox: new RedisOutbox(client, namespace),
    claims: new RedisClaims(client, namespace),
    limiter: new RedisRateLimiter(client, limits, namespace, secret),
    close,
  };
}
