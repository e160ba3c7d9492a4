// The two timed write phases on Redis: the ceiling (a bare SET of the mean reply's size) and the replies
// through RedisStore, each with its throughput, latency, CPU and memory per write.
import { Redis } from 'ioredis';
import type { ReplyToRecord } from '../../src/app/ports.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { REDIS_OPTIONS, REPLIES, TEAM, WORKERS } from './config.ts';
import { seededRandom } from './generated-replies.ts';
import { timedWorkers } from './measure.ts';
import { type Admin, cpuPerOp, statsDelta } from './redis-admin.ts';

export async function ceilingPhase(url: string, admin: Admin, ns: string, value: string) {
  const redis = new Redis(url, REDIS_OPTIONS);
  await redis.ping();
  const before = await admin.usedMemory();
  const [stats, cpu] = await cpuPerOp(admin, REPLIES, () =>
    timedWorkers(REPLIES, WORKERS, async (i) => {
      await redis.set(`${ns}:set:${i}`, value);
    }),
  );
  const bytesPerKey = ((await admin.usedMemory()) - before) / REPLIES;
  await redis.quit();
  await admin.drop(ns);
  return { ...stats, cpu, bytesPerKey };
}

export async function writePhase(url: string, admin: Admin, ns: string, replies: ReplyToRecord[], count = replies.length) {
  const store = RedisStore.connect(url, seededRandom(7), ns);
  await store.getRun(TEAM); // connected before the clock starts
  const before = await admin.usedMemory();
  const statsBefore = await admin.commandStats();
  let notCreated = 0;
  const [stats, cpu] = await cpuPerOp(admin, count, () =>
    timedWorkers(count, WORKERS, async (i) => {
      if ((await store.recordReply(TEAM, replies[i]!)) !== 'created') notCreated++;
    }),
  );
  stats.cpu = cpu;
  const commands = statsDelta(statsBefore, await admin.commandStats(), ['info']);
  const bytesPerReply = ((await admin.usedMemory()) - before) / count;
  if (notCreated > 0) throw new Error(`${notCreated} writes were not 'created': the data is wrong`);
  return { store, stats, bytesPerReply, commands };
}
