// `npx tsx bench/aof.ts`: what `appendfsync always` costs against `everysec`, on a private redis-server
// whose AOF is in a folder on the disk (the temporary folder, or BENCH_AOF_DIR): replies stored a second
// through RedisStore.recordReply by 20 writers at once, and bare SETs by 20 and by 1 (redis-benchmark),
// the median of three rounds each. README "Keeping replies safe" quotes the figures.
// Last line: one JSON object of the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ReplyToRecord, TeamRef } from '../src/app/ports.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { removeServerFolder, startRedisServer } from '../test/support/redis-server.ts';
import { countingRandom } from '../test/support/stores.ts';

const WRITERS = 20;
const REPLIES = 4_000;
const ROUNDS = 3;
const TEAM: TeamRef = { tenant: 'bench-aof', team: 'team' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function reply(n: number, round: number): ReplyToRecord {
  return {
    occurrenceId: `occ-${round}`,
    respondent: { userId: `u-${n}`, platform: 'teams', platformUserId: `29:u-${n}` },
    answers: { outcome: 'answered', values: { note: `Svar nummer ${n}` } },
    at: '2026-03-04T09:00:00.000Z',
    anonymous: n % 2 === 1,
    day: '2026-03-04',
  };
}

async function repliesPerSecond(url: string, round: number): Promise<number> {
  const store = RedisStore.connect(url, countingRandom(round + 1), `bench-aof-${round}`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < REPLIES) await store.recordReply(TEAM, reply(next++, round));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return REPLIES / seconds;
}

function setsPerSecond(port: number, clients: number): number {
  const csv = execFileSync('redis-benchmark', ['-p', String(port), '-t', 'set', '-n', String(clients === 1 ? 5_000 : 50_000), '-c', String(clients), '--csv'], { encoding: 'utf8' });
  // "test","rps",…  then  "SET","10573.06",…
  const row = csv.trim().split('\n').at(-1)!.split(',');
  return Number(JSON.parse(row[1]!));
}

const parent = process.env['BENCH_AOF_DIR'] ?? os.tmpdir();
const figures: Record<string, { repliesPerSecond: number; setsPerSecond20: number; setsPerSecond1: number }> = {};
for (const appendfsync of ['always', 'everysec'] as const) {
  const server = await startRedisServer({ aof: true, appendfsync, dir: mkdtempSync(join(parent, 'sparring-bench-aof-')) });
  try {
    const replies: number[] = [];
    const sets20: number[] = [];
    const sets1: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      replies.push(await repliesPerSecond(server.url, round));
      sets20.push(setsPerSecond(server.port, 20));
      sets1.push(setsPerSecond(server.port, 1));
    }
    figures[appendfsync] = { repliesPerSecond: Math.round(median(replies)), setsPerSecond20: Math.round(median(sets20)), setsPerSecond1: Math.round(median(sets1)) };
    console.log(
      `appendfsync ${appendfsync}: ${figures[appendfsync].repliesPerSecond} replies/s (${WRITERS} writers), SET ${figures[appendfsync].setsPerSecond20}/s (20 clients), ${figures[appendfsync].setsPerSecond1}/s (1 client)`,
    );
  } finally {
    await server.stop();
    removeServerFolder(server);
  }
}
console.log(JSON.stringify({ parent, cpus: os.cpus().length, writers: WRITERS, replies: REPLIES, rounds: ROUNDS, figures }));
