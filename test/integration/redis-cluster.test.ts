// Past one machine: on a Redis Cluster of three masters (test/global-setup.ts) the shared queues spread over
// every master, the start-up persistence check asks each master once, and the single keys of an earlier
// release move into their shards without losing a team, an item, a dead letter or a due time.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetter, NewWorkItem, TeamRef } from '../../src/app/ports.ts';
import { keysFor, legacyDeadLettersKey, teamIndexMember, unshardedKeys } from '../../src/store/keys.ts';
import { type RedisClient, mastersOf } from '../../src/store/redis/client.ts';
import { warnUnlessPersistent } from '../../src/store/redis/persistence-check.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { moveUnshardedKeys } from '../../src/store/redis/unsharded-keys.ts';
import { encode } from '../../src/store/values.ts';
import { newNamespace } from '../support/delivery.ts';
import { memoryLogger } from '../support/fakes.ts';
import { dropNamespaceOn, REDIS_KINDS, type RedisKind, scanAll, testRedis } from '../support/redis-kinds.ts';
import { countingRandom } from '../support/stores.ts';

const T0 = Date.parse('2026-09-14T07:00:00.000Z');
const teams: TeamRef[] = Array.from({ length: 40 }, (_, i) => ({ tenant: `kommune-${i % 4}`, team: `team-${i}` }));
const item = (team: TeamRef, recipient: string): NewWorkItem => ({
  team,
  occurrenceId: 'refleksion-1',
  recipient,
  card: { name: 'reflection-prompt', data: { title: 'Hvad lagde du mærke til?' }, locale: 'da', timeZone: 'Europe/Copenhagen', template: { type: 'AdaptiveCard' } },
});

const opened: Array<{ kind: RedisKind; namespace: string; redis: RedisClient }> = [];
function open(kind: RedisKind) {
  const entry = { kind, namespace: newNamespace(), redis: testRedis(kind) };
  opened.push(entry);
  return entry;
}
afterEach(async () => {
  for (const { kind, namespace, redis } of opened.splice(0)) {
    await dropNamespaceOn(kind, namespace);
    await redis.quit();
  }
});

describe('on a Redis Cluster', () => {
  it('spreads the delivery queue of many teams over every master, and takes from all of them', async () => {
    const { redis, namespace } = open('cluster');
    const outbox = new RedisOutbox(redis, namespace);
    expect(
      await outbox.enqueue(
        teams.flatMap((team) => [item(team, 'anna'), item(team, 'bo')]),
        T0,
      ),
    ).toBe(80);
    const queuesPerMaster = await Promise.all(mastersOf(redis).map(async (master) => (await master.keys(`${namespace}:queue:*`)).length));
    expect(queuesPerMaster).toHaveLength(3);
    for (const count of queuesPerMaster) expect(count).toBeGreaterThan(0);
    expect(await outbox.pending()).toBe(80);
    expect(await outbox.nextDue()).toBe(T0);
    // Two workers at once: neither gets more than it asked for, no item goes to both, and what one worker's
    // share of a shard missed (the other took it first) a later take finds.
    const [first, second] = await Promise.all([outbox.take(T0, 50, 30_000), outbox.take(T0, 50, 30_000)]);
    expect(first!.length).toBeLessThanOrEqual(50);
    expect(second!.length).toBeLessThanOrEqual(50);
    const later = await outbox.take(T0, 80, 30_000);
    const taken = [...first!, ...second!, ...later].map((i) => `${teamIndexMember(i.team)}|${i.recipient}`);
    expect(taken).toHaveLength(80);
    expect(new Set(taken).size).toBe(80);
  });

  it('says once per master, naming it, that the append-only file is off', async () => {
    const { redis } = open('cluster');
    const logger = memoryLogger();
    expect(await warnUnlessPersistent(redis, logger)).toBe('notPersistent');
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings.map((w) => w.message)).toEqual(Array(3).fill(expect.stringContaining('appendonly yes')));
    expect(new Set(warnings.map((w) => w.fields['server'])).size).toBe(3);
  });
});

describe.each(REDIS_KINDS)('the single keys of an earlier release, on %s', (kind) => {
  it('move into their shards: every team listed, every item queued, every dead letter and due time kept', async () => {
    const { redis, namespace } = open(kind);
    const old = unshardedKeys(namespace);
    const letter: DeadLetter = { team: teams[1]!, occurrenceId: 'refleksion-1', recipient: 'bo', reason: 'http 403', attempts: 1, at: new Date(T0).toISOString() };
    const pending = { ...item(teams[0]!, 'anna'), state: 'pending', attempts: 0, updatedAt: new Date(T0).toISOString() };
    await redis.hset(keysFor(teams[0]!, namespace).outbox('refleksion-1'), 'anna', encode(pending));
    await redis.sadd(keysFor(teams[0]!, namespace).outboxOccurrences, 'refleksion-1');
    // As the earlier release wrote them: one key each (on a cluster each in a slot of its own).
    for (const team of teams.slice(0, 3)) await redis.sadd(old.teams, teamIndexMember(team));
    await redis.zadd(old.queue, T0, `${teamIndexMember(teams[0]!)}|refleksion-1|anna`);
    await redis.rpush(legacyDeadLettersKey(namespace), encode(letter));
    await redis.zadd(old.dueRuns, T0 + 60_000, teamIndexMember(teams[2]!));
    await redis.hset(old.dueRevisions, teamIndexMember(teams[2]!), '4');

    // The dead letter is moved by the outbox when it is first read (RedisOutbox.deadLetters), not at start-up.
    expect(await moveUnshardedKeys(redis, namespace)).toBe(5);
    expect(await moveUnshardedKeys(redis, namespace)).toBe(0);
    const store = new RedisStore(redis, countingRandom(), namespace);
    expect(await store.listTeams()).toEqual(teams.slice(0, 3).sort((a, b) => teamIndexMember(a).localeCompare(teamIndexMember(b))));
    const outbox = new RedisOutbox(redis, namespace);
    expect(await outbox.deadLetters(teams[1]!)).toEqual([letter]);
    expect((await outbox.take(T0, 10, 30_000)).map((i) => i.recipient)).toEqual(['anna']);
    const [due] = await store.dueRuns(T0 + 60_000);
    expect(due).toEqual({ team: teams[2], dueMs: T0 + 60_000, revision: 5 });
    // The old keys are gone.
    expect((await scanAll(redis, `${namespace}:*`)).filter((key) => Object.values(old).includes(key))).toEqual([]);
  });
});
