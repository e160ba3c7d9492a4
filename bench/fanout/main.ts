// `npm run bench:fanout`: one occurrence fanned out to 10,000 people in 1:1 chats (plus 20 team
// channels) across 10 tenants, delivered by several workers sharing Redis through the real TeamsChannel
// (botbuilder) to the fake Bot Connector at Teams' limits, with 10% 429s and 3% 5xx injected. Prints the
// achieved send rate against the allowed one (10 tenants × 50/s), lost and duplicated messages, and the
// p99 time from due to delivered; then the same fan-out with worker processes, one SIGKILLed mid-way.
// `-- --quick`: 1,000 people. `-- --latency=<ms>`: the fake answers after this delay (default 0).
// `-- --card=<name>`: the card sent (default questionnaire). A phase that has not delivered everything
// 3 minutes after due (12 s / 25 s with --quick) gives up: what is missing then counts as lost.
// Phase 1 is instrumented (wrappers around the ports deliverDue uses) to show where the time goes.
// Uses REDIS_CLUSTER_NODES (a cluster) or REDIS_URL if set, else a private redis-server; every key is under a random namespace, deleted at
// the end. Last line: one JSON object of the figures.
// The parts live beside this file: config.ts (the command line and the fan-out's shape), fan-out.ts (recipients,
// conversations, enqueueing), instrumented-ports.ts (phase 1's probes), in-process-phase.ts and kill-phase.ts (the
// two phases), part-costs.ts (the parts on their own), outcome.ts and the report*.ts modules (figures and printing).
import { dataServers, redisFromEnvironment } from '../../test/support/bench-redis.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../../test/support/redis-server.ts';
import { OWN_COST_ONLY, PHASE1_ONLY, QUICK } from './config.ts';
import { recipients } from './fan-out.ts';
import { inProcessPhase } from './in-process-phase.ts';
import { killPhase } from './kill-phase.ts';
import { deliveryCost, renderCost, sendCost } from './part-costs.ts';
import { reportPhaseOne } from './phase-one-report.ts';
import { reportHeader, reportLastLine, reportOwnCost, reportPartCosts, reportPhaseOneLastLine, reportPhaseTwo } from './report.ts';
import { Admin } from './redis-admin.ts';

async function main() {
  const list = recipients();
  const servers: RedisServer[] = [];
  const named = redisFromEnvironment();
  let url = named?.target;
  const where = named?.where ?? 'private redis-server';
  if (!url) {
    const server = await startRedisServer();
    servers.push(server);
    url = server.url;
  }
  const admin = new Admin(url);
  try {
    const version = /redis_version:(\S+)/.exec(await (await dataServers(admin.redis))[0]!.info('server'))?.[1] ?? '?';
    reportHeader(where, version);

    if (OWN_COST_ONLY) {
      reportOwnCost(await deliveryCost(url, admin, QUICK ? 1_000 : 3_000));
      return;
    }

    const p1 = await inProcessPhase(url, admin, list);
    const phaseOne = reportPhaseOne(p1);
    if (PHASE1_ONLY) {
      reportPhaseOneLastLine(p1.result, phaseOne.ratio);
      return;
    }

    const p2 = await killPhase(url, admin, list);
    reportPhaseTwo(p2);

    const renders = renderCost(QUICK ? 40 : 200);
    const sendProbe = await sendCost(QUICK ? 150 : 500);
    const own = await deliveryCost(url, admin, QUICK ? 1_000 : 3_000);
    reportPartCosts(renders, sendProbe, own, phaseOne);
    reportLastLine(p1.result, phaseOne.ratio, p2);
  } finally {
    await admin.redis.quit();
    for (const server of servers) {
      await server.stop();
      removeServerFolder(server);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
