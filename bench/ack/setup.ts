// What the benchmark stands on: Redis (REDIS_URL or a private redis-server) with a random namespace, the
// programme's folder, one run of the teams-test programme, and the three children; and their tear-down.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Run } from '../../src/app/ports.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { aRun } from '../../test/support/plans.ts';
import { removeServerFolder, type RedisServer, startRedisServer, deleteNamespace } from '../../test/support/redis-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../../test/support/teams-activities.ts';
import { SECRET, STAFF, TEAM } from './config.ts';
import { ask, type Message, spawnChild, stopChild } from './ipc.ts';
import type { Target } from './load.ts';

export interface Bench {
  own: RedisServer | undefined;
  redisUrl: string;
  namespace: string;
  dir: string;
  store: RedisStore;
  delivery: ReturnType<typeof connectDelivery>;
  children: ChildProcess[];
}

export interface Children {
  fakeProcess: ChildProcess;
  serverProcess: ChildProcess;
  workerProcess: ChildProcess;
  ours: Target;
  bare: Target;
}

export async function setUp(): Promise<Bench> {
  const own: RedisServer | undefined = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const redisUrl = process.env['REDIS_URL'] ?? own!.url;
  const namespace = `bench-ack-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-bench-ack-'));
  writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
  const store = RedisStore.connect(redisUrl, { id: randomUUID, next: Math.random }, namespace);
  const delivery = connectDelivery(redisUrl, PLATFORM_LIMITS, namespace);
  return { own, redisUrl, namespace, dir, store, delivery, children: [] };
}

export async function saveRun({ store }: Bench) {
  const run: Run = aRun({
    team: TEAM,
    programmeId: 'teams-test',
    start: DateTime.utc().minus({ days: 21 }).toISODate()!,
    timeZone: 'UTC',
    members: [{ userId: 'U1', roles: ['leader'] }, ...STAFF.map((userId) => ({ userId, roles: ['staff' as const] }))],
    channelKey: 'channel:C1',
  });
  await store.saveRun(run);
  await store.saveConversation(TEAM, { platform: 'slack', key: 'channel:C1', reference: { channel: 'C1' } });
  for (const { userId } of run.members) await store.saveConversation(TEAM, { platform: 'slack', key: userId, reference: { user: userId } });
}

/** Each child joins `bench.children` as soon as it is spawned, so that the tear-down stops it even if it never gets ready. */
export async function startChildren(bench: Bench): Promise<Children> {
  const { children, redisUrl, namespace, dir } = bench;
  const fakeProcess = spawnChild('fake');
  children.push(fakeProcess);
  const { url: fakeUrl } = await ask<Message & { url: string }>(fakeProcess, 'ready');
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'false',
    REDIS_URL: redisUrl,
    REDIS_NAMESPACE: namespace,
    PROGRAMMES_DIR: dir,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: `${fakeUrl}/api/`,
    ANONYMITY_SECRET: randomUUID() + randomUUID(),
    LOG_LEVEL: 'silent',
  };
  const serverProcess = spawnChild('server', { BENCH_ACK_ENV: JSON.stringify(env) });
  children.push(serverProcess);
  const urls = await ask<Message & { ours: string; bare: string }>(serverProcess, 'ready');
  const workerProcess = spawnChild('worker', { BENCH_ACK_ENV: JSON.stringify(env) });
  children.push(workerProcess);
  await ask(workerProcess, 'ready');
  const ours: Target = { url: new URL('slack/events', urls.ours), responseBase: fakeUrl };
  const bare: Target = { url: new URL('slack/events', urls.bare), responseBase: fakeUrl };
  return { fakeProcess, serverProcess, workerProcess, ours, bare };
}

export async function tearDown({ children, redisUrl, namespace, store, delivery, dir, own }: Bench) {
  for (const child of children.reverse()) await stopChild(child);
  await deleteNamespace(redisUrl, namespace);
  await store.close();
  await delivery.close();
  rmSync(dir, { recursive: true, force: true });
  if (own) {
    await own.stop();
    removeServerFolder(own);
  }
}
