// What the Redis outbox keeps about people (items and dead letters by recipient, retention, and the move of an
// earlier release's dead letters): read and deleted by export, erase and retention, apart from sending them.
import type { DeadLetter, OutboxRecords, TeamRef, WorkItem } from '../../app/ports.ts';
import type { RedisClient } from './client.ts';
import { type Script, script } from './redis-team.ts';
import { keysFor, legacyDeadLettersKey, queueMember, teamQueueKey } from '../keys.ts';
import { decode } from '../values.ts';
import { DELETE_BEFORE, ERASE_RECIPIENTS } from './delivery-scripts.ts';

/** Occurrences (outbox hashes) per erase or retention script call, so no one command holds Redis up for long. */
const OCCURRENCE_CHUNK = 100;

export const iso = (ms: number) => new Date(ms).toISOString();

export function chunked<T>(list: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** The outbox's items and dead letters as records of people, on the keys RedisOutbox sends them from. */
export class RedisOutboxRecords implements OutboxRecords {
  private readonly redis: RedisClient;
  private readonly namespace?: string;
  private readonly eraseScript: Script;
  private readonly deleteBeforeScript: Script;
  /** The move of an earlier release's dead letters to their teams' lists, once per process (see legacyMoved). */
  private movingLegacy?: Promise<void>;
  constructor(redis: RedisClient, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
    this.eraseScript = script(redis, 'sparringEraseRecipients2', undefined, ERASE_RECIPIENTS);
    this.deleteBeforeScript = script(redis, 'sparringOutboxDeleteBefore', undefined, DELETE_BEFORE);
  }

  private hash(team: TeamRef, occurrenceId: string) {
    return keysFor(team, this.namespace).outbox(occurrenceId);
  }

  /** The team's latest `limit` dead letters, newest last. */
  async deadLetters(team: TeamRef, limit: number) {
    await this.legacyMoved();
    return (await this.redis.lrange(keysFor(team, this.namespace).deadLetters, -limit, -1)).map((t) => decode<DeadLetter>(t));
  }

  /**
   * Moves the dead letters an earlier release kept in one list for all teams to their teams' own lists, once per
   * process before any is read (so status, export, erase and retention see them). Each is added to its team's
   * list unless there already (a move cut short by a crash), then removed from the old one.
   */
  private legacyMoved(): Promise<void> {
    this.movingLegacy ??= (async () => {
      const legacy = legacyDeadLettersKey(this.namespace);
      for (const text of await this.redis.lrange(legacy, 0, -1)) {
        const list = keysFor(decode<DeadLetter>(text).team, this.namespace).deadLetters;
        if ((await this.redis.lpos(list, text)) === null) await this.redis.rpush(list, text);
        await this.redis.lrem(legacy, 1, text);
      }
    })().catch((error: unknown) => {
      // Tried again by the next read (Redis may be back by then).
      this.movingLegacy = undefined;
      throw error;
    });
    return this.movingLegacy;
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
      const k = keysFor(team, this.namespace);
      const keys = [k.outboxOccurrences, ...occurrences.map((o) => this.hash(team, o)), ...occurrences.map((o) => k.outboxLeases(o))];
      const removed = (await this.eraseScript(keys.length, ...keys, recipients.length, ...recipients, ...occurrences)) as string[];
      erased += removed.length / 2;
      // Then from the queue (another slot): every queue member this person could have there, so a leftover
      // of a crash is gone too. A worker holding one finds nothing to send, and records nothing (see save).
      const members = occurrences.flatMap((o) => recipients.map((r) => queueMember(team, o, r)));
      await this.redis.zrem(teamQueueKey(team, this.namespace), ...members);
    }
    return erased;
  }

  /** The team's dead letters, oldest first, each with its stored text (what LREM removes). */
  async letters(team: TeamRef): Promise<Array<{ text: string; letter: DeadLetter }>> {
    await this.legacyMoved();
    return (await this.redis.lrange(keysFor(team, this.namespace).deadLetters, 0, -1)).map((text) => ({ text, letter: decode<DeadLetter>(text) }));
  }

  /** Removes exactly these stored values (LREM of each value, never a rewrite of the list): a dead letter added meanwhile stays. */
  private async removeLetters(team: TeamRef, texts: string[]) {
    const counts = await Promise.all([...new Set(texts)].map((text) => this.redis.lrem(keysFor(team, this.namespace).deadLetters, 0, text)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async deadLettersFor(team: TeamRef, recipients: string[]) {
    return (await this.letters(team)).filter(({ letter }) => recipients.includes(letter.recipient)).map(({ letter }) => letter);
  }

  async eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.removeLetters(
      team,
      (await this.letters(team)).filter(({ letter }) => recipients.includes(letter.recipient)).map(({ text }) => text),
    );
  }

  async deleteBefore(team: TeamRef, cutoffMs: number) {
    let deleted = 0;
    for (const occurrences of await this.occurrenceChunks(team)) {
      const keys = [keysFor(team, this.namespace).outboxOccurrences, ...occurrences.map((o) => this.hash(team, o))];
      deleted += Number(await this.deleteBeforeScript(keys.length, ...keys, iso(cutoffMs), ...occurrences));
    }
    return deleted;
  }

  async deleteDeadLettersBefore(team: TeamRef, cutoffMs: number) {
    return this.removeLetters(
      team,
      (await this.letters(team)).filter(({ letter }) => Date.parse(letter.at) < cutoffMs).map(({ text }) => text),
    );
  }
}
