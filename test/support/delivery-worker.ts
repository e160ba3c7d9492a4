// A delivery worker in its own process, so a test or benchmark can SIGKILL it mid-fan-out.
// Usage: tsx test/support/delivery-worker.ts <json options>
//   { redisUrl (or `cluster:<nodes>`), namespace, concurrency, leaseMs, maxAttempts, backoffMs, timeoutMs? }
// It sends through the real TeamsChannel (botbuilder) to whatever serviceUrl the stored
// conversation references name (a fake Bot Connector), on the real clock, until told to stop
// (SIGTERM) or killed. It prints one JSON line per pass: {"sent": n, ...}.
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { prepareRenderer } from '../../src/cards/render.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { SHARED_CLIENT_OPTIONS } from '../../src/store/redis/client.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { connectBench } from './bench-redis.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  redisUrl: string;
  namespace: string;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs?: number;
};
// Connected as production connects delivery.
const redis = connectBench(options.redisUrl, SHARED_CLIENT_OPTIONS);
const store = new RedisStore(connectBench(options.redisUrl, SHARED_CLIENT_OPTIONS), { id: () => crypto.randomUUID(), next: Math.random }, options.namespace);
const silent = { info() {}, warn() {}, error() {} };
const deps = {
  outbox: new RedisOutbox(redis, options.namespace),
  limiter: new RedisRateLimiter(redis, PLATFORM_LIMITS, options.namespace),
  store,
  channels: { teams: new TeamsChannel({ appId: '', timeoutMs: options.timeoutMs ?? 15_000 }) },
  clock: { now: () => new Date() },
  random: { id: () => crypto.randomUUID(), next: Math.random },
  logger: silent,
};

// As src/delivery/loop.ts does at start: a replacement worker's first card renders without loading the package.
prepareRenderer();
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
while (!stopping) {
  const counts = await deliverDue(deps, options);
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  const next = await deps.outbox.nextDue();
  const idle = next === undefined ? 50 : Math.max(0, Math.min(50, next - Date.now()));
  // A real worker's pause between passes (see src/delivery/loop.ts), not a test's wait.
  await new Promise((resolve) => setTimeout(resolve, idle));
}
await store.close();
await redis.quit();
