// `npm run bench:store`: how fast RedisStore takes replies, how fast a summary reads them back, what
// a reply costs in Redis memory, and how that compares with a bare SET on the same connection; then
// what a reply costs the embedded store (its data file and journal) at 1,000 and at 10,000 replies.
// Uses REDIS_URL if set, else private redis-servers (one plain, one with AOF). Every key it writes is
// under its own random namespace and deleted at the end. `-- --embedded`: the embedded store only;
// `-- --redis`: Redis only.
// Last line: one JSON object of the figures.
// The parts live beside this file: config.ts (the benchmark's shape), generated-replies.ts (the seeded replies
// and their stored size), server-run.ts (a Redis server's rounds) with redis-writes.ts, redis-reads.ts and
// redis-admin.ts, embedded-phase.ts (the embedded store), and redis-figures.ts, redis-report.ts and
// embedded-report.ts (the figures and their printing).
import { loadProgrammes } from '../../src/programmes/load.ts';
import { removeServerFolder, startRedisServer, type RedisServer } from '../../test/support/redis-server.ts';
import { ACTIVITY, PROGRAMME } from './config.ts';
import { embeddedRun } from './embedded-phase.ts';
import { embeddedFigures, printEmbedded } from './embedded-report.ts';
import { buildReplies, replySizes } from './generated-replies.ts';
import { lastLine, redisFigures } from './redis-figures.ts';
import { printRedis } from './redis-report.ts';
import { runOn, type ServerRun } from './server-run.ts';

async function main() {
  const programme = loadProgrammes().get(PROGRAMME);
  const activity = programme?.phases.flatMap((p) => p.activities).find((a) => a.id === ACTIVITY);
  if (activity?.questions.length !== 6) throw new Error(`${PROGRAMME} has no questionnaire ${ACTIVITY} with 6 questions`);

  const replies = buildReplies(activity);
  if (process.argv.includes('--embedded')) {
    const embedded = await embeddedRun(replies);
    printEmbedded(embedded);
    console.log(JSON.stringify(embeddedFigures(embedded)));
    return;
  }
  const sizes = replySizes(replies);
  const value = 'x'.repeat(sizes.meanJson);

  const servers: RedisServer[] = [];
  let plain: ServerRun;
  let aof: ServerRun | undefined;
  let where: string;
  try {
    if (process.env['REDIS_URL']) {
      where = `REDIS_URL`;
      plain = await runOn(process.env['REDIS_URL'], replies, value, activity, true);
    } else {
      where = 'private redis-server';
      const server = await startRedisServer();
      servers.push(server);
      plain = await runOn(server.url, replies, value, activity, true);
      const aofServer = await startRedisServer({ aof: true });
      servers.push(aofServer);
      aof = await runOn(aofServer.url, replies, value, activity, false);
    }
  } finally {
    for (const server of servers) {
      await server.stop();
      removeServerFolder(server);
    }
  }

  const figures = redisFigures(plain, aof);
  printRedis(where, plain, aof, sizes, figures);

  // After the Redis servers have stopped, so they take nothing from it.
  const embedded = process.argv.includes('--redis') ? undefined : await embeddedRun(replies);
  if (embedded) {
    console.log('');
    printEmbedded(embedded);
  }
  console.log(lastLine(figures, embedded));
}

// On success everything is closed and Node exits by itself; on failure a store connection may still be open.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
