// `npm run bench:teams-invoke`: 1,000 Action.Execute clicks (adaptiveCard/action invokes) POSTed to
// /api/messages of the server as `npm start` builds it (TEAMS_AUTH_DISABLED, Redis), each from a personal
// chat (so the team is found by tenant and membership), each a distinct person × øvebane occurrence, so
// each stores one reply. Measures the time from sending an invoke to having its answer (the answered card).
// 5 teams of 20 staff in one tenant; `-- --concurrency=<n>` invokes in flight (default 16); 50 warm-up
// invokes first (not counted). Uses REDIS_URL if set, else a private redis-server; every key is under a
// random namespace, deleted at the end. Last line: one JSON object of the figures.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import type { Logger, Run, TeamRef } from '../src/app/ports.ts';
import { planOf } from '../src/app/run-plan.ts';
import { startServer } from '../src/compose/server.ts';
import { loadConfig } from '../src/config.ts';
import { PLATFORM_LIMITS } from '../src/delivery/limits.ts';
import { parseProgramme } from '../src/programmes/load.ts';
import { connectDelivery } from '../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { startFakeBotConnector } from '../test/support/fake-bot-connector.ts';
import { removeServerFolder, startRedisServer, type RedisServer, deleteNamespace } from '../test/support/redis-server.ts';
import { cardAction, TEAMS_TEST_PROGRAMME } from '../test/support/teams-activities.ts';

const args = process.argv.slice(2);
const CONCURRENCY = Number(args.find((a) => a.startsWith('--concurrency='))?.slice('--concurrency='.length) ?? 16);
const TENANT = 'tenant-bench';
const TEAMS = 5;
const STAFF_PER_TEAM = 20;
const OCCURRENCES_PER_PERSON = 10;
const INVOKES = TEAMS * STAFF_PER_TEAM * OCCURRENCES_PER_PERSON;
const WARM_UP = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

interface Click {
  team: TeamRef;
  userId: string;
  occurrence: { id: string; activityId: string };
}

async function main() {
  const own: RedisServer | undefined = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const redisUrl = process.env['REDIS_URL'] ?? own!.url;
  const namespace = `bench-teams-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-bench-teams-'));
  writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
  const fake = await startFakeBotConnector();
  const store = RedisStore.connect(redisUrl, { id: randomUUID, next: Math.random }, namespace);
  const delivery = connectDelivery(redisUrl, PLATFORM_LIMITS, namespace);
  const errors: string[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (_fields, message) => void errors.push(message) };

  try {
    // Started four weeks ago: some 20 øvebane occurrences are open to answer.
    const start = DateTime.utc().minus({ days: 28 }).toISODate()!;
    const runs: Run[] = Array.from({ length: TEAMS }, (_, t) => ({
      team: { tenant: TENANT, team: `19:bench-${t}@thread.tacv2` },
      programmeId: 'teams-test',
      start,
      settings: {},
      timeZone: 'UTC',
      country: 'DK',
      locale: 'da',
      active: true,
      members: [{ userId: `29:leader-${t}`, roles: ['leader'] }, ...Array.from({ length: STAFF_PER_TEAM }, (_, i) => ({ userId: `29:staff-${t}-${i}`, roles: ['staff' as const] }))],
    }));
    for (const run of runs) await store.saveRun(run);
    const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');
    const open = planOf(runs[0]!, programme).occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= Date.now());
    if (open.length < OCCURRENCES_PER_PERSON + 1) throw new Error(`only ${open.length} open øvebane occurrences`);

    const clicks: Click[] = runs.flatMap((run) =>
      run.members.filter((m) => m.roles.includes('staff')).flatMap((m) => open.slice(0, OCCURRENCES_PER_PERSON).map((occurrence) => ({ team: run.team, userId: m.userId, occurrence }))),
    );
    // Warm-up on an occurrence the measured clicks do not use.
    const warmUp: Click[] = clicks.slice(0, WARM_UP).map((c) => ({ ...c, occurrence: open[OCCURRENCES_PER_PERSON]! }));

    const server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: redisUrl,
        REDIS_NAMESPACE: namespace,
        PROGRAMMES_DIR: dir,
        TEAMS_AUTH_DISABLED: 'true',
        ANONYMITY_SECRET: randomUUID() + randomUUID(),
        LOG_LEVEL: 'silent',
      }),
      logger,
    );
    const url = new URL('api/messages', server.url);
    try {
      // The start-up catch-up fans today's øvebane out (to no stored conversation: dead letters); let it settle.
      const settled = async () => (await Promise.all(runs.map(async (r) => (await delivery.claims.fired(r.team)).size > 0))).every(Boolean) && (await delivery.outbox.pending()) === 0;
      while (!(await settled())) await new Promise((r) => setTimeout(r, 50));

      const invoke = async (click: Click) => {
        const body = JSON.stringify(
          cardAction(
            click.userId,
            'done',
            { card: 'practice-prompt', ref: { programmeId: 'teams-test', activityId: click.occurrence.activityId, occurrenceId: click.occurrence.id } },
            { note: 'Bench' },
            { serviceUrl: fake.url, tenant: TENANT },
          ),
        );
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.text();
        const ms = performance.now() - started;
        const ok = response.status === 200 && text.includes('application/vnd.microsoft.card.adaptive') && text.includes('Godt gået');
        return { ms, ok };
      };
      const runAll = async (list: Click[]) => {
        const times: number[] = [];
        let failed = 0;
        let next = 0;
        const worker = async () => {
          while (next < list.length) {
            const { ms, ok } = await invoke(list[next++]!);
            times.push(ms);
            if (!ok) failed++;
          }
        };
        const started = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return { times: times.sort((a, b) => a - b), failed, wallMs: performance.now() - started };
      };

      await runAll(warmUp);
      const errorsBefore = errors.length;
      const { times, failed, wallMs } = await runAll(clicks);
      const errorsDuring = errors.length - errorsBefore;
      let stored = 0;
      for (const run of runs) for (const o of open.slice(0, OCCURRENCES_PER_PERSON)) stored += (await store.namedReplies(run.team, o.id)).length;

      const figures = {
        count: times.length,
        concurrency: CONCURRENCY,
        p50Ms: round(percentile(times, 50), 2),
        p90Ms: round(percentile(times, 90), 2),
        p99Ms: round(percentile(times, 99), 2),
        maxMs: round(times.at(-1)!, 2),
        invokesPerSec: Math.round(times.length / (wallMs / 1000)),
        stored,
        failed,
      };
      console.log(`Teams card clicks (adaptiveCard/action) → POST /api/messages, ${figures.count} invokes, ${CONCURRENCY} in flight`);
      console.log(`  ${TEAMS} teams × ${STAFF_PER_TEAM} staff in one tenant, personal chats (team found by tenant + membership), ${OCCURRENCES_PER_PERSON} øvebane occurrences each`);
      console.log(`  answer time: p50 ${figures.p50Ms} ms, p90 ${figures.p90Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms`);
      console.log(`  throughput: ${figures.invokesPerSec} invokes/s over ${round(wallMs / 1000, 2)} s`);
      console.log(`  replies stored: ${stored} of ${INVOKES}; answers not the answered card: ${failed}; errors logged while measuring: ${errorsDuring}`);
      console.log(`  (Teams resends an invoke not answered within 15,000 ms: the p99 is ${round((figures.p99Ms / 15_000) * 100, 3)}% of that.)`);
      console.log(JSON.stringify(figures));
      if (stored !== INVOKES || failed > 0 || errorsDuring > 0) process.exitCode = 1;
    } finally {
      await server.stop();
    }
  } finally {
    await deleteNamespace(redisUrl, namespace);
    await store.close();
    await delivery.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    if (own) {
      await own.stop();
      removeServerFolder(own);
    }
  }
}

// On success everything is closed and Node exits by itself; on failure a connection may still be open.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
