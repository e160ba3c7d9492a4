// A Redis that is not there when the bot starts: the real process (`node bin/main.js`, Teams on) starts
// anyway, /healthz answers, /readyz says 503 while it waits and reconnects, and a click meanwhile is
// answered with the "try again" card, never a false "thank you". Once a private redis-server comes up
// on the port it was given, /readyz turns 200 and the same click is stored. Real processes throughout.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, expect, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { aRun } from '../support/plans.ts';
import { freePort, type RedisServer, removeServerFolder, startRedisServer } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { cardAction, TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { seedTeamsRun } from '../support/teams-server.ts';
import { waitFor } from '../support/wait-for.ts';

const ROOT = join(import.meta.dirname, '../..');
const TENANT = 'tenant-redis-late';
const TEAM: TeamRef = { tenant: TENANT, team: '19:team-redis-late@thread.tacv2' };
const RUN: Run = aRun({
  team: TEAM,
  programmeId: 'teams-test',
  start: DateTime.utc().minus({ days: 21 }).toISODate()!,
  timeZone: 'UTC',
  members: [{ userId: '29:s1', roles: ['staff'] }],
});
const practice = planOf(RUN, parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml')).occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= Date.now());
const occurrence = practice.at(-1)!;
const TRY_AGAIN_DA = 'Det er ikke sikkert, at det blev gemt';

let bot: ChildProcess | undefined;
let redis: RedisServer | undefined;
let store: RedisStore | undefined;
let fake: FakeBotConnector | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (bot && bot.exitCode === null && bot.signalCode === null) {
    const exited = new Promise((resolve) => bot!.once('exit', resolve));
    bot.kill('SIGKILL');
    await exited;
  }
  await store?.close();
  await redis?.stop();
  if (redis) removeServerFolder(redis);
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('starts without Redis, is alive but not ready, answers a click with "try again", and is ready and stores the click once Redis is up', async () => {
  fake = await startFakeBotConnector();
  dir = mkdtempSync(join(tmpdir(), 'sparring-redis-late-'));
  writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
  const port = await freePort();
  const namespace = `redis-late-${process.pid}`;
  const env = {
    PATH: process.env['PATH'] ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_NAMESPACE: namespace,
    // Short, so the click below is answered soon; the default (5 s) is as good, only slower.
    REDIS_COMMAND_TIMEOUT_MS: '500',
    PROGRAMMES_DIR: dir,
    TEAMS_AUTH_DISABLED: 'true',
    ANONYMITY_SECRET: 'redis-late-test-secret-0123456789abcdef',
    LOG_FORMAT: 'json',
  };
  let output = '';
  bot = spawn(process.execPath, ['bin/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  bot.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => {
      if (bot!.exitCode !== null) throw new Error(`the bot exited (${bot!.exitCode}): ${output}`);
      return /running at (http:\/\/\S+\/) /.test(output) || output;
    },
    { what: 'the start-up line without Redis' },
  );
  const url = /running at (http:\/\/\S+\/) /.exec(output)![1]!;
  const readyz = async () => {
    const response = await fetch(new URL('readyz', url));
    return { status: response.status, body: (await response.json()) as { checks: Record<string, boolean> } };
  };

  expect((await fetch(new URL('healthz', url))).status).toBe(200);
  expect(await readyz()).toMatchObject({ status: 503, body: { checks: { store: false } } });

  const click = () =>
    fetch(new URL('api/messages', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        cardAction(
          '29:s1',
          'done',
          { card: 'practice-prompt', ref: { programmeId: 'teams-test', activityId: 'oevebane', occurrenceId: occurrence.id } },
          { note: 'Vi byggede en bro' },
          { serviceUrl: fake!.url, tenant: TENANT, team: TEAM.team },
        ),
      ),
    });
  const whileAway = await click();
  expect(whileAway.status).toBe(200);
  const awayCard = await whileAway.text();
  expect(awayCard).toContain(TRY_AGAIN_DA);
  expect(awayCard).not.toContain('Tak');
  // Still waiting, still alive.
  expect(await readyz()).toMatchObject({ status: 503 });
  expect(bot.exitCode).toBeNull();
  // Reconnecting quietly: no ioredis stack per attempt.
  expect(output).not.toContain('Unhandled error event');

  redis = await startRedisServer({ port, aof: true });
  await waitFor(async () => (await readyz()).status === 200 || JSON.stringify(await readyz()), { what: '/readyz to turn 200 once Redis is up' });

  store = RedisStore.connect(redis.url, countingRandom(), namespace);
  await seedTeamsRun(store, RUN, fake.url);
  const onceUp = await click();
  expect(onceUp.status).toBe(200);
  expect(await onceUp.text()).not.toContain(TRY_AGAIN_DA);
  expect((await store.namedReplies(TEAM, occurrence.id)).map((r) => r.values)).toEqual([{ note: 'Vi byggede en bro' }]);
}, 180_000);
