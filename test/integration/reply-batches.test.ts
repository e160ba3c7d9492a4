// Replies that reach one process at the same moment go to Redis together, one script call for a team's
// named replies and another for its anonymous ones. What must not change with that: each person's own
// outcome, no command carrying a person's id beside an anonymous answer, and one occurrence's trouble
// staying its own. A private redis-server, as MONITOR sees every client.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordOutcome, ReplyToRecord, TeamRef } from '../../src/app/ports.ts';
import { keysFor, SHARD_NUMBERS, teamsIndex } from '../../src/store/keys.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { waitFor } from '../support/wait-for.ts';

const SOLSIKKEN: TeamRef = { tenant: 'odense', team: '19:solsikken@thread.tacv2' };
const MAELKEBOETTEN: TeamRef = { tenant: 'odense', team: '19:maelkeboetten@thread.tacv2' };
const PEOPLE = Array.from({ length: 30 }, (_, i) => ({ userId: `uid-b7c2-${i + 1}`, platform: 'teams' as const, platformUserId: `29:aad-e91d-${i + 1}` }));
const IDS = PEOPLE.flatMap((p) => [p.userId, p.platformUserId]);
const anonymousText = (occurrenceId: string, n: number) => `Hemmeligt ${occurrenceId} svar nr. ${n}`;

const reply = (n: number, occurrenceId: string, anonymous: boolean): ReplyToRecord => ({
  occurrenceId,
  respondent: PEOPLE[n - 1]!,
  answers: { outcome: 'answered', values: { tanker: anonymous ? anonymousText(occurrenceId, n) : `Navngivet refleksion nr. ${n}` } },
  at: `2026-08-20T09:${String(n).padStart(2, '0')}:00.000Z`,
  anonymous,
  day: '2026-08-20',
});

let server: RedisServer | undefined;
const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  if (server) {
    await server.stop();
    removeServerFolder(server);
    server = undefined;
  }
});

async function setUp() {
  server = await startRedisServer();
  const client = new Redis(server.url);
  clients.push(client);
  const namespace = `sbbatch-${randomUUID()}`;
  return { client, namespace, store: new RedisStore(client, countingRandom(), namespace) };
}

describe('replies submitted at the same moment (Redis)', () => {
  it('each get their own outcome, in a few calls, and no call carries an id beside an anonymous answer', async () => {
    const { client, namespace, store } = await setUp();
    const watcher = new Redis(server!.url);
    clients.push(watcher);
    const monitor = await watcher.monitor();
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.join(' ')));

    const submits: Array<[TeamRef, ReplyToRecord]> = PEOPLE.flatMap((_, i) => [
      [SOLSIKKEN, reply(i + 1, 'tema-1-1', false)],
      [SOLSIKKEN, reply(i + 1, 'spoergeskema-1', true)],
      [MAELKEBOETTEN, reply(i + 1, 'spoergeskema-2', true)],
    ]);
    // A double click of each kind among them.
    submits.push([SOLSIKKEN, reply(1, 'tema-1-1', false)], [SOLSIKKEN, reply(2, 'spoergeskema-1', true)]);
    const outcomes = await Promise.all(submits.map(([team, r]) => store.recordReply(team, r)));

    const count = (outcome: RecordOutcome) => outcomes.filter((o) => o === outcome).length;
    expect({ created: count('created'), duplicate: count('duplicate'), refused: count('anonymousAlreadyAnswered') }).toEqual({ created: 90, duplicate: 1, refused: 1 });
    expect(await store.namedReplies(SOLSIKKEN, 'tema-1-1')).toHaveLength(30);
    expect((await store.anonymousReplies(SOLSIKKEN, 'spoergeskema-1')).map((a) => a.values['tanker']).sort()).toEqual(PEOPLE.map((_, i) => anonymousText('spoergeskema-1', i + 1)).sort());
    expect(await store.anonymousReplies(MAELKEBOETTEN, 'spoergeskema-2')).toHaveLength(30);
    expect(await store.anonymousReplies(MAELKEBOETTEN, 'spoergeskema-1')).toEqual([]);
    expect(await store.hasAnswered(MAELKEBOETTEN, 'spoergeskema-2', ['uid-b7c2-7', 'someone-else'])).toEqual(new Set(['uid-b7c2-7']));

    await client.ping('end-of-writes');
    await waitFor(() => seen.some((command) => command.includes('end-of-writes')) || seen.length, { what: 'MONITOR to show the last command' });
    const calls = seen.filter((command) => /^evalsha |^eval /i.test(command));
    expect(calls.length).toBeGreaterThan(0);
    // Three batches (Solsikken's named replies, each team's anonymous ones), each sent by its hash and, the first
    // time the server sees its script, again whole. A new team's replies wait for one write of the team together,
    // so a busy machine does not split them over more calls as that write's answers come in.
    expect(calls.length).toBeLessThanOrEqual(6);
    // One write of each team to the teams index, whatever the number of replies.
    const shards = new Set(SHARD_NUMBERS.map((shard) => teamsIndex(shard, namespace)));
    expect(seen.filter((command) => /^sadd /i.test(command) && shards.has(command.split(' ')[1]!))).toHaveLength(2);
    const withAnswer = seen.filter((command) => PEOPLE.some((_, i) => command.includes(anonymousText('spoergeskema-1', i + 1)) || command.includes(anonymousText('spoergeskema-2', i + 1))));
    expect(withAnswer.length).toBeGreaterThan(0);
    expect(withAnswer.filter((command) => IDS.some((id) => command.includes(id)))).toEqual([]);
  });

  it('keeps one occurrence’s trouble its own: the others’ replies are stored, and the error names no one and holds no answer', async () => {
    const { client, namespace, store } = await setUp();
    // Something other than the markers' sorted set where they belong.
    await client.set(keysFor(SOLSIKKEN, namespace).answeredMarkers('spoergeskema-3'), 'not a sorted set');

    // Each good reply ahead of a failing one in the same call: a script is not undone when it fails part-way,
    // so the good ones must not have been written by the failed call before they are sent again alone.
    const submits = [1, 2, 3].flatMap((n) => [store.recordReply(SOLSIKKEN, reply(n, 'spoergeskema-1', true)), store.recordReply(SOLSIKKEN, reply(n, 'spoergeskema-3', true))]);
    const settled = await Promise.allSettled(submits);

    expect(settled.filter((_, i) => i % 2 === 0).map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual(['created', 'created', 'created']);
    const failed = settled.filter((_, i) => i % 2 === 1);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error;
      expect(error.message).toMatch(/WRONGTYPE/);
      expect('command' in error).toBe(false);
      const said = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
      for (const trace of [...IDS, anonymousText('spoergeskema-3', 1), 'Hemmeligt']) expect(said).not.toContain(trace);
    }
    expect(await store.anonymousReplies(SOLSIKKEN, 'spoergeskema-1')).toHaveLength(3);
  });
});
