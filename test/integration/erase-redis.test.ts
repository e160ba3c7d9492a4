// Erase on Redis while the bot runs: a person's outbox items are found through the team's index (no
// KEYS or SCAN), and dead letters are removed value by value, so a write in between is never lost; dead letters
// an earlier release kept in one list for all teams are moved to their teams' lists, so erase finds them too.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { DeadLetter, NewWorkItem, TeamRef } from '../../src/app/ports.ts';
import { keysFor, teamTag } from '../../src/store/keys.ts';
import { connectOutbox, RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { encode } from '../../src/store/values.ts';
import { dropNamespace, newNamespace } from '../support/delivery.ts';

const TEAM: TeamRef = { tenant: 'odense', team: '19:solsikken{x}@thread.tacv2' };
const T0 = Date.parse('2026-10-05T08:00:00Z');
const ANNA = ['u-anna-7f3', 'mail:anna.orsted@example.org'];

const item = (recipient: string, occurrenceId = 'refleksion-1'): NewWorkItem => ({
  team: TEAM,
  occurrenceId,
  recipient,
  card: { name: 'reflection-prompt', data: { title: 'Hvad gjorde du?' }, locale: 'da', timeZone: 'Europe/Copenhagen' },
});

let namespace: string;
const clients: Redis[] = [];
const client = () => {
  const redis = new Redis(inject('redisUrl'));
  clients.push(redis);
  return redis;
};
beforeEach(() => {
  namespace = newNamespace();
});
afterEach(async () => {
  await dropNamespace(namespace);
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

/** Dead-letters each item right after it is taken, as a worker would after a 403. */
async function deadLetterAll(outbox: RedisOutbox, items: NewWorkItem[], atMs: number) {
  await outbox.enqueue(items, atMs);
  for (const taken of await outbox.take(atMs, 100, 60_000)) await outbox.deadLetter(taken, '403 blocked by user', atMs);
}

describe('erasing a person’s outbox data on Redis', () => {
  it('finds the team’s items through its index of outbox occurrences, never with KEYS or SCAN', async () => {
    const redis = client();
    for (const command of ['keys', 'scan', 'scanStream'] as const) {
      (redis as unknown as Record<string, unknown>)[command] = () => {
        throw new Error(`${command} over the whole database`);
      };
    }
    const outbox = new RedisOutbox(redis, namespace);
    await outbox.enqueue([item(ANNA[0]!), item(ANNA[0]!, 'refleksion-2'), item(ANNA[1]!, 'mail:besoeg'), item('bo')], T0);
    const index = keysFor(TEAM, namespace).outboxOccurrences;
    expect(index).toContain(teamTag(TEAM));
    expect((await redis.smembers(index)).sort()).toEqual(['mail:besoeg', 'refleksion-1', 'refleksion-2']);
    expect(await outbox.itemsFor(TEAM, ANNA)).toHaveLength(3);
    expect(await outbox.eraseItemsFor(TEAM, ANNA)).toBe(3);
    // An occurrence left without items leaves the index; one with a colleague's item stays.
    expect(await redis.smembers(index)).toEqual(['refleksion-1']);
    expect(await outbox.deleteBefore(TEAM, T0 + 1)).toBe(0);
  });

  it('keeps a dead letter added between erase’s read and its write, the person’s own included', async () => {
    const redis = client();
    const outbox = new RedisOutbox(redis, namespace);
    const worker = new RedisOutbox(client(), namespace);
    await deadLetterAll(outbox, [item(ANNA[0]!), item(ANNA[1]!, 'mail:besoeg'), item('bo')], T0);
    // Right after erase has read the dead letters, another replica dead-letters two more items.
    const lrange = redis.lrange.bind(redis);
    let inBetween: (() => Promise<void>) | undefined = () => deadLetterAll(worker, [item('carl', 'refleksion-2'), item(ANNA[0]!, 'refleksion-3')], T0 + 1);
    redis.lrange = (async (...args: Parameters<typeof lrange>) => {
      const read = await lrange(...args);
      if (args[0] !== keysFor(TEAM, namespace).deadLetters) return read;
      const hook = inBetween;
      inBetween = undefined;
      await hook?.();
      return read;
    }) as typeof redis.lrange;

    expect(await outbox.eraseDeadLettersFor(TEAM, ANNA)).toBe(2);
    // Nothing written in between was lost: the colleagues' letters, and the one that came after the read
    // (a second erase takes it).
    expect((await worker.deadLetters(TEAM)).map((l) => [l.occurrenceId, l.recipient])).toEqual([
      ['refleksion-1', 'bo'],
      ['refleksion-2', 'carl'],
      ['refleksion-3', ANNA[0]],
    ]);
    expect(await outbox.eraseDeadLettersFor(TEAM, ANNA)).toBe(1);
    expect((await worker.deadLetters(TEAM)).map((l) => l.recipient)).toEqual(['bo', 'carl']);
  });

  it('a worker that took the person’s item before the erase neither brings it back nor queues it again', async () => {
    const outbox = new RedisOutbox(client(), namespace);
    const worker = new RedisOutbox(client(), namespace);
    await outbox.enqueue([item(ANNA[0]!), item(ANNA[0]!, 'refleksion-2'), item(ANNA[0]!, 'refleksion-3')], T0);
    const [a, b, c] = await worker.take(T0, 10, 60_000);
    expect(await outbox.eraseItemsFor(TEAM, ANNA)).toBe(3);
    await worker.markSent(a!, 'm-1', T0 + 1);
    await worker.deadLetter(b!, '403 blocked by user', T0 + 2);
    await worker.retryAt(c!, T0 + 3, 'bad gateway', 'failed', T0 + 3);
    await worker.retryAt(c!, T0 + 4, 'rate limit', 'waiting', T0 + 4);
    expect(await outbox.itemsFor(TEAM, ANNA)).toEqual([]);
    expect(await outbox.deadLetters(TEAM)).toEqual([]);
    expect(await outbox.pending()).toBe(0);
    // Not a key is left: the hashes, the index and the queue are empty, and no dead letter was written.
    expect(await client().keys(`${namespace}:*`)).toEqual([]);
  });
});

describe('dead letters an earlier release kept in one list for all teams', () => {
  it('are moved to their teams’ own lists when first read, so status, export, erase and retention see them', async () => {
    const namespace = newNamespace();
    const redis = new Redis(inject('redisUrl'));
    const OTHER: TeamRef = { tenant: 'vejle', team: 'skole-syd' };
    const letter = (team: TeamRef, recipient: string, at: string): DeadLetter => ({ team, occurrenceId: 'refleksion-1', recipient, reason: '403 blocked', attempts: 0, at });
    const legacy = [letter(TEAM, ANNA[0]!, '2026-09-14T07:00:00.000Z'), letter(OTHER, 'bo', '2026-09-14T08:00:00.000Z'), letter(TEAM, 'bo', '2026-09-14T09:00:00.000Z')];
    await redis.rpush(`${namespace}:dead-letters`, ...legacy.map((l) => encode(l)));
    // A move cut short by a crash had already added the first to its team's list.
    await redis.rpush(keysFor(TEAM, namespace).deadLetters, encode(legacy[0]!));
    const outbox = connectOutbox(inject('redisUrl'), namespace);
    try {
      expect(await outbox.deadLetters(TEAM)).toEqual([legacy[0], legacy[2]]);
      expect(await outbox.deadLetters(OTHER)).toEqual([legacy[1]]);
      expect(await redis.exists(`${namespace}:dead-letters`)).toBe(0);
      expect(await outbox.deadLettersFor(TEAM, ANNA)).toEqual([legacy[0]]);
      expect(await outbox.eraseDeadLettersFor(TEAM, ANNA)).toBe(1);
      expect(await outbox.deadLetters(TEAM)).toEqual([legacy[2]]);
    } finally {
      await outbox.close();
      await redis.quit();
      await dropNamespace(namespace);
    }
  });
});
