import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import {
  type DeadLetter,
  FORGOTTEN_RECIPIENT,
  type LeasedItem,
  type Outbox,
  type OutboxRecords,
  type PlatformLimits,
  type NewWorkItem,
  type RetryKind,
  type TeamRef,
  type WorkItem,
} from '../../app/ports.ts';
import { clientFor, type RedisClient } from './client.ts';
import { type Script, script } from './redis-team.ts';
import { RedisClaims } from './redis-claims.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';
import { deadItem, letterOf, resentItem, retriedItem, sentItem } from '../embedded/memory-delivery.ts';
import { keysFor, parseQueueMember, queueKey, queueMember, SHARD_NUMBERS, teamQueueKey, teamTag } from '../keys.ts';
import { decode, encode, StoredValueError } from '../values.ts';
import { ENQUEUE, FINISH, LEASE, NEXT_DUE_SHARDS, RENEW, RESEND, TAKE_DUE, TAKE_DUE_SHARDS } from './delivery-scripts.ts';
import { perOccurrence } from './outbox-lease-calls.ts';
import { chunked, iso, RedisOutboxRecords } from './redis-outbox-records.ts';

type Client = RedisClient;
/** Dead letters kept per team: enough for an operator to see what went wrong; older ones are dropped. */
const DEAD_LETTERS_KEPT = 1000;
/** Items per enqueue script call and per ZADD, so no one command holds Redis up for long. */
const ENQUEUE_CHUNK = 500;

/**
 * The outbox on Redis: items in their team's hash (one per occurrence, listed in the team's index of
 * outbox occurrences), their leases beside them, a queue of due times for all teams split into shards (a
 * team's items in one), and each team's list of dead letters. The queue only says when to look at an item (in the callers' time, so a schedule
 * can run at a fake time); who holds it, and until when, is the lease, in Redis's own time. What export, erase and
 * retention read and delete of these is RedisOutboxRecords' (redis-outbox-records.ts), which this hands on to.
 */
export class RedisOutbox implements Outbox, OutboxRecords {
  private readonly redis: Client;
  private readonly namespace?: string;
  private readonly takeDue: Script;
  private readonly takeDueShards: Script;
  private readonly nextDueShards: Script;
  private readonly enqueueScript: Script;
  private readonly leaseScript: Script;
  private readonly renewScript: Script;
  private readonly finishScript: Script;
  private readonly resendScript: Script;
  /** Its items and dead letters as records of people (export, erase, retention), on the same keys. */
  private readonly records: RedisOutboxRecords;
  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
    this.takeDue = script(redis, 'sparringTakeDue', 1, TAKE_DUE);
    this.takeDueShards = script(redis, 'sparringTakeDueShards', undefined, TAKE_DUE_SHARDS);
    this.nextDueShards = script(redis, 'sparringNextDueShards', undefined, NEXT_DUE_SHARDS);
    this.enqueueScript = script(redis, 'sparringEnqueue2', undefined, ENQUEUE);
    this.leaseScript = script(redis, 'sparringOutboxLease', 2, LEASE);
    this.renewScript = script(redis, 'sparringOutboxRenew', 2, RENEW);
    this.finishScript = script(redis, 'sparringOutboxFinish', 4, FINISH);
    this.resendScript = script(redis, 'sparringOutboxResend', 2, RESEND);
    this.records = new RedisOutboxRecords(redis, namespace);
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

  /** The queue's shards: on one server a script reads them all in one call; on a cluster each is asked on its own. */
  private shardKeys() {
    return SHARD_NUMBERS.map((shard) => queueKey(shard, this.namespace));
  }

  /**
   * Up to `limit` due items from all shards. On one server, the oldest of all in one script call (a delivery loop
   * takes many times a second, mostly finding nothing: one command, not two per shard). On a cluster, first how
   * many each shard has due, then the limit shared out among those (round by round, so one team's big fan-out in
   * one shard gets what the others leave), each shard's share taken and leased by its own script.
   */
  private async takeMembers(nowMs: number, limit: number, leaseMs: number): Promise<string[]> {
    const keys = this.shardKeys();
    if (!(this.redis instanceof Cluster)) return (await this.takeDueShards(keys.length, ...keys, nowMs, limit, leaseMs)) as string[];
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
    const taken = members.map((member) => ({ ...parseQueueMember(member), lease: randomUUID() }));
    const answers = await perOccurrence(this.leaseScript, taken, leaseMs, 2, this.namespace);
    const found = await Promise.all(
      taken.map(async (where, i): Promise<LeasedItem | 'busy' | undefined> => {
        const [text, resumed] = answers[i] as [string | undefined, number];
        if (text === 'busy' || !text) return text === 'busy' ? 'busy' : undefined;
        try {
          return { ...decode<WorkItem>(text), lease: where.lease, ...(resumed === 1 ? { resumed: true as const } : {}) };
        } catch (error) {
          await this.unreadable(where, error, nowMs);
          return undefined;
        }
      }),
    );
    // Sent or dead (its worker died after recording it, or an enqueue raced its send): nothing left to do.
    // One still leased to another stays queued, hidden until its worker records it or its lease runs out.
    const done = members.filter((_, i) => found[i] === undefined);
    await Promise.all(done.map((member) => this.redis.zrem(teamQueueKey(parseQueueMember(member).team, this.namespace), member)));
    return found.filter((item): item is LeasedItem => item !== undefined && item !== 'busy');
  }

  async renew(items: readonly LeasedItem[], leaseMs: number) {
    return (await perOccurrence(this.renewScript, items, leaseMs, 1, this.namespace)).map(([renewed]) => renewed === 1);
  }

  /**
   * An item this release cannot read (not JSON, or a schema version it does not know), leased like any other:
   * deleted and recorded as a dead letter, so it no longer fails every take for the items beside it. The letter
   * names no one (it may have been an item to be forgotten) and quotes nothing of the value (it may hold answers).
   */
  private async unreadable(where: Pick<LeasedItem, 'team' | 'occurrenceId' | 'recipient' | 'lease'>, error: unknown, nowMs: number) {
    const reason = `the stored item could not be read: ${error instanceof StoredValueError ? error.message : 'it is not JSON'}`;
    const letter: DeadLetter = { team: where.team, occurrenceId: where.occurrenceId, recipient: FORGOTTEN_RECIPIENT, reason, attempts: 0, at: new Date(nowMs).toISOString() };
    await this.finish(where as LeasedItem, undefined, letter);
  }

  /**
   * Records an outcome by compare-and-set (see FINISH): `value` the item's new value (undefined: delete it,
   * '=': keep it), `letter` a dead letter to add. True when recorded.
   */
  private async finish(item: LeasedItem, value: WorkItem | undefined | '=', letter?: DeadLetter) {
    const k = keysFor(item.team, this.namespace);
    const encoded = value === '=' ? '=' : value ? encode(value) : '';
    const args = [item.recipient, item.lease, item.occurrenceId, encoded, letter ? encode(letter) : '', DEAD_LETTERS_KEPT];
    return Number(await this.finishScript(k.outboxOccurrences, this.hash(item.team, item.occurrenceId), k.outboxLeases(item.occurrenceId), k.deadLetters, ...args)) === 1;
  }

  async markSent(item: LeasedItem, messageId: string, nowMs: number) {
    if (!(await this.finish(item, item.forgetWhenSent ? undefined : sentItem(item, messageId, nowMs)))) return false;
    await this.redis.zrem(teamQueueKey(item.team, this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
    return true;
  }

  async retryAt(item: LeasedItem, atMs: number, reason: string, kind: RetryKind, nowMs: number) {
    if (!(await this.finish(item, retriedItem(item, reason, kind, nowMs) ?? '='))) return false;
    // XX: an item taken out of the queue meanwhile (erased) is not queued again.
    await this.redis.zadd(teamQueueKey(item.team, this.namespace), 'XX', atMs, queueMember(item.team, item.occurrenceId, item.recipient));
    return true;
  }

  async deadLetter(item: LeasedItem, reason: string, nowMs: number) {
    // One to be forgotten is deleted, and its dead letter names no one.
    if (!(await this.finish(item, deadItem(item, reason, nowMs), letterOf(item, reason, nowMs)))) return false;
    await this.redis.zrem(teamQueueKey(item.team, this.namespace), queueMember(item.team, item.occurrenceId, item.recipient));
    return true;
  }

  async resend(team: TeamRef, nowMs: number, occurrenceId?: string) {
    const k = keysFor(team, this.namespace);
    let resent = 0;
    for (const { text, letter } of await this.records.letters(team)) {
      if (occurrenceId !== undefined && letter.occurrenceId !== occurrenceId) continue;
      const item = await this.get(team, letter.occurrenceId, letter.recipient);
      if (item?.state !== 'dead') continue;
      if (Number(await this.resendScript(this.hash(team, letter.occurrenceId), k.deadLetters, letter.recipient, text, encode(resentItem(item, nowMs)))) !== 1) continue;
      await this.redis.zadd(teamQueueKey(team, this.namespace), nowMs, queueMember(team, letter.occurrenceId, letter.recipient));
      resent++;
    }
    return resent;
  }

  async get(team: TeamRef, occurrenceId: string, recipient: string) {
    const text = await this.redis.hget(this.hash(team, occurrenceId), recipient);
    return text ? decode<WorkItem>(text) : undefined;
  }

  async deadLetters(team: TeamRef, limit = 100) {
    return this.records.deadLetters(team, limit);
  }

  async pending() {
    const counts = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.zcard(queueKey(shard, this.namespace))));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async nextDue() {
    const keys = this.shardKeys();
    if (!(this.redis instanceof Cluster)) {
      const first = (await this.nextDueShards(keys.length, ...keys)) as string | null;
      return first === null ? undefined : Number(first);
    }
    const firsts = await Promise.all(keys.map((key) => this.redis.zrange(key, '0', '0', 'WITHSCORES')));
    const scores = firsts.flatMap(([, score]) => (score === undefined ? [] : [Number(score)]));
    return scores.length === 0 ? undefined : Math.min(...scores);
  }

  itemsFor(team: TeamRef, recipients: string[]) {
    return this.records.itemsFor(team, recipients);
  }

  eraseItemsFor(team: TeamRef, recipients: string[]) {
    return this.records.eraseItemsFor(team, recipients);
  }

  deadLettersFor(team: TeamRef, recipients: string[]) {
    return this.records.deadLettersFor(team, recipients);
  }

  eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.records.eraseDeadLettersFor(team, recipients);
  }

  deleteBefore(team: TeamRef, cutoffMs: number) {
    return this.records.deleteBefore(team, cutoffMs);
  }

  deleteDeadLettersBefore(team: TeamRef, cutoffMs: number) {
    return this.records.deleteDeadLettersBefore(team, cutoffMs);
  }
}

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
