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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Channel, ConversationRef, Logger, Outbox, RateLimiter, Store, NewWorkItem, TeamRef, WorkItem } from '../src/app/ports.ts';
import { renderCard } from '../src/cards/render.ts';
import { sampleData } from '../src/cards/samples.ts';
import { isCardName } from '../src/cards/view-models.ts';
import { TeamsChannel } from '../src/channels/teams/teams-channel.ts';
import { DEFAULT_DELIVERY, deliverDue, type DeliveryDeps, type DeliveryOptions } from '../src/delivery/deliver.ts';
import { PLATFORM_LIMITS, TEAMS_LIMITS } from '../src/delivery/limits.ts';
import { startDelivery } from '../src/delivery/loop.ts';
import { pacedOutbox } from '../src/delivery/pace.ts';
import { SHARED_CLIENT_OPTIONS } from '../src/store/redis/client.ts';
import { RedisOutbox } from '../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { queueKey, SHARD_NUMBERS } from '../src/store/keys.ts';
import type { RedisClient } from '../src/store/redis/client.ts';
import { connectBench, dataServers, redisFromEnvironment } from '../test/support/bench-redis.ts';
import { type AcceptedMessage, type FakeBotConnector, type FakeBotConnectorOptions, type RejectedRequest, startFakeBotConnector } from '../test/support/fake-bot-connector.ts';
import { removeServerFolder, startRedisServer, type RedisServer } from '../test/support/redis-server.ts';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const LATENCY_MS = Number(args.find((a) => a.startsWith('--latency='))?.slice('--latency='.length) ?? 0);
const CARD = args.find((a) => a.startsWith('--card='))?.slice('--card='.length) ?? 'questionnaire';
/** Phase 1 alone (no kill phase, no probes): for profiling and quick comparisons. */
const PHASE1_ONLY = args.includes('--phase1');
/** Only delivery's own cost per send, without a platform (the probe at the end): seconds, not minutes. */
const OWN_COST_ONLY = args.includes('--own-cost');
/** Phase 1's fake Bot Connector in this process, sharing the senders' event loop, as the benchmark ran it first. */
const FAKE_IN_PROCESS = args.includes('--fake-in-process');
/** Each command written on its own, as before delivery's connections pipelined a tick's commands: for comparing. */
const REDIS_OPTIONS_USED = args.includes('--no-autopipelining') ? { ...SHARED_CLIENT_OPTIONS, enableAutoPipelining: false } : SHARED_CLIENT_OPTIONS;

const PEOPLE = QUICK ? 1_000 : 10_000;
const TENANTS = 10;
const TEAMS_PER_TENANT = 2;
/** One channel per team: 20. */
const CHANNELS = TENANTS * TEAMS_PER_TENANT;
const ITEMS = PEOPLE + CHANNELS;
const WORKERS = 3;
const CONCURRENCY = 64;
const FAULTS = { throttleRate: 0.1, serverErrorRate: 0.03, throttleRetryAfterSeconds: 1 };
const OCCURRENCE = 'spoergeskema-1';
const TENANT_LIMIT = TEAMS_LIMITS.tenant[0]!.limit * (1000 / TEAMS_LIMITS.tenant[0]!.windowMs);
const ALLOWED_RATE = TENANTS * TENANT_LIMIT;
/** In-process phase: the production defaults but for concurrency. */
const OPTIONS: DeliveryOptions = { ...DEFAULT_DELIVERY, concurrency: CONCURRENCY };
/** Kill phase: a shorter lease (and send timeout under it), so the killed worker's items come back within the run. */
const KILL_OPTIONS = QUICK ? { ...OPTIONS, leaseMs: 8_000, timeoutMs: 3_000 } : { ...OPTIONS, leaseMs: 20_000, timeoutMs: 8_000 };
const KILL_AT = 0.4;
/**
 * The best `ratio` any scheduler reaches under these faults, an upper bound: each tenant's items take ITEMS / TENANTS
 * / TENANT_LIMIT seconds at its rate, and a send the fake answers 429 in that schedule's last Retry-After (1 s) is
 * accepted at least that much after the schedule ends (at 10% 429s of ~500 sends a second, there is always one).
 * So `ratio` (accepted over due → last accepted) cannot pass schedule / (schedule + Retry-After): 0.67 with --quick,
 * 0.95 for the full run. Repeated 429s, 5xx and the per-conversation limits lower the real ceiling further.
 */
const SCHEDULE_MS = (ITEMS / TENANTS / TENANT_LIMIT) * 1000;
const CEILING_RATIO = SCHEDULE_MS / (SCHEDULE_MS + FAULTS.throttleRetryAfterSeconds * 1000);
/**
 * The kill comes a random 0–1 s after KILL_AT is reached: the count crosses it while the fake accepts a
 * burst (a tenant's throttle ending), so killing right then would always hit a burst in flight.
 */
const KILL_JITTER_MS = 1_000;
/** Each phase gives up after this long from due: the queue is emptied, passes end, what was not delivered counts as lost. */
const PHASE_LIMIT_MS = QUICK ? { inProcess: 12_000, kill: 25_000 } : { inProcess: 180_000, kill: 180_000 };
/**
 * Items are enqueued as production queues them (paced: each tenant's spread at its rate) an hour ahead,
 * then all moved by the same amount so that the first is due this long after (so the in-process loops,
 * asleep up to a second, are awake by then): enqueueing is not in the figures.
 */
const LEAD_MS = 1_100;
const RESTAMP = `local members = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do redis.call('ZADD', KEYS[1], 'XX', tonumber(members[i + 1]) + tonumber(ARGV[1]), members[i]) end
return #members / 2`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('../test/support/delivery-worker.ts', import.meta.url));
const FAKE_SCRIPT = fileURLToPath(new URL('../test/support/fake-bot-connector-process.ts', import.meta.url));
const REDIS_OPTIONS = { maxRetriesPerRequest: null };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => (xs.length === 0 ? NaN : sum(xs) / xs.length);

// ------------------------------------------------------------------------------------------------
// The fan-out: 10 tenants × 2 teams, each team 1/20 of the people plus its channel.

interface Recipient {
  team: TeamRef;
  key: string;
  conversationId: string;
  channel: boolean;
}

/** The dead letters of the recipients' teams (each team keeps its own). */
async function deadLettersOf(outbox: RedisOutbox, list: Recipient[]) {
  const teams = new Map(list.map((r) => [`${r.team.tenant}/${r.team.team}`, r.team]));
  return (await Promise.all([...teams.values()].map((team) => outbox.deadLetters(team, 1000)))).flat();
}

function recipients(): Recipient[] {
  const list: Recipient[] = [];
  const perTeam = PEOPLE / (TENANTS * TEAMS_PER_TENANT);
  for (let t = 0; t < TENANTS; t++) {
    const tenant = `0000000${t}-6d0e-4b7a-9c21-5e4f7a0b9d13`;
    for (let k = 0; k < TEAMS_PER_TENANT; k++) {
      const team = { tenant, team: `19:team${t}x${k}@thread.tacv2` };
      for (let n = 0; n < perTeam; n++) list.push({ team, key: `29:1user-${t}-${k}-${n}`, conversationId: `a:1conv-${t}-${k}-${n}`, channel: false });
      const channelId = `19:chan${t}x${k}@thread.tacv2`;
      list.push({ team, key: `channel:${channelId}`, conversationId: channelId, channel: true });
    }
  }
  return list;
}

const idempotencyKey = (r: Recipient) => `${r.team.tenant}/${r.team.team}/${OCCURRENCE}/${r.key}`;

function reference(r: Recipient, serviceUrl: string): ConversationRef {
  return {
    platform: 'teams',
    key: r.key,
    reference: {
      serviceUrl,
      channelId: 'msteams',
      conversation: { id: r.conversationId, tenantId: r.team.tenant, conversationType: r.channel ? 'channel' : 'personal' },
      bot: { id: '28:bot-app-id', name: 'Sparringsbot' },
      ...(r.channel ? {} : { user: { id: r.key, name: 'Kollega' } }),
      activityId: 'f:incoming-1',
    },
  };
}

/** `count` tasks run by `workers` concurrent loops. */
async function pool(count: number, workers: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
}

async function saveConversations(url: string, namespace: string, list: Recipient[], serviceUrl: string) {
  const store = new RedisStore(connectBench(url, REDIS_OPTIONS), { id: randomUUID, next: Math.random }, namespace);
  await pool(list.length, 100, (i) => store.saveConversation(list[i]!.team, reference(list[i]!, serviceUrl)));
  await store.close();
}

/**
 * One occurrence, one item per recipient, enqueued per team through the paced outbox (as the scheduler
 * queues a fan-out), the teams at once, then all moved so the first is due at `LEAD_MS` from the end of
 * enqueueing. Returns that due time and how long enqueueing took.
 */
async function enqueue(url: string, namespace: string, list: Recipient[]): Promise<{ dueAt: number; enqueueMs: number }> {
  if (!isCardName(CARD)) throw new Error(`unknown card ${CARD}`);
  const card = { name: CARD, data: sampleData(CARD, 'da'), locale: 'da' as const, timeZone: 'Europe/Copenhagen' };
  const redis = connectBench(url, SHARED_CLIENT_OPTIONS);
  const store = new RedisStore(redis, { id: randomUUID, next: Math.random }, namespace);
  const outbox = pacedOutbox(new RedisOutbox(redis, namespace), { limiter: new RedisRateLimiter(redis, PLATFORM_LIMITS, namespace), store });
  const byTeam = new Map<string, NewWorkItem[]>();
  for (const r of list) {
    const key = `${r.team.tenant}/${r.team.team}`;
    byTeam.set(key, [...(byTeam.get(key) ?? []), { team: r.team, occurrenceId: OCCURRENCE, recipient: r.key, card }]);
  }
  const start = performance.now();
  const base = Date.now() + 3_600_000;
  const added = await Promise.all([...byTeam.values()].map((items) => outbox.enqueue(items, base)));
  const enqueueMs = performance.now() - start;
  if (sum(added) !== list.length) throw new Error(`enqueued ${sum(added)} of ${list.length}`);
  const dueAt = Date.now() + LEAD_MS;
  const stamps = await Promise.all(SHARD_NUMBERS.map((shard) => redis.eval(RESTAMP, 1, queueKey(shard, namespace), dueAt - base)));
  const stamped = stamps.reduce<number>((sum, n) => sum + Number(n), 0);
  if (stamped !== list.length) throw new Error(`stamped ${stamped} of ${list.length}`);
  await redis.quit();
  return { dueAt, enqueueMs };
}

// ------------------------------------------------------------------------------------------------
// Instruments for the in-process phase: wrappers around the ports deliverDue uses, timing each step.

interface Attempt {
  taken: number;
  getConversation?: [number, number];
  acquire?: [number, number];
  send?: [number, number];
  done?: [number, number];
  outcome?: 'sent' | 'limited' | 'throttled' | 'failed' | 'dead';
}

class Probe {
  acquires = 0;
  granted = 0;
  refusedThrottled = 0;
  refusedWindow = 0;
  /** What the limiter answered when it refused: ms to wait. */
  refusedWaits: number[] = [];
  throttleCalls = 0;
  releases = 0;
  /** By conversation: until when a 429 holds it. */
  readonly throttledUntil = new Map<string, number>();
  /** How much of the Retry-After was left when the throttle was recorded (it runs from the attempt's start, not the answer). */
  throttleLeftMs: number[] = [];
  sendMs: number[] = [];
  sendOutcomes = { sent: 0, throttled: 0, transient: 0, permanent: 0 };
  takes = 0;
  emptyTakes = 0;
  taken = 0;
  takeMs: number[] = [];
  attempts: Attempt[] = [];
  readonly open = new Map<string, Attempt>();
  /** When each item was first taken (ms, wall clock): the paced schedule as it ran. */
  readonly firstTried = new Map<string, number>();
  logs = new Map<string, number>();

  itemKey(team: TeamRef, recipient: string) {
    return `${team.tenant}/${team.team}/${recipient}`;
  }
  /** Acquire and send see the conversation id, not the recipient: the benchmark's ids map one to one. */
  readonly byConversation = new Map<string, string>();
}

function instrumentedDeps(probe: Probe, url: string, namespace: string): { deps: DeliveryDeps; close(): Promise<void> } {
  const redis = connectBench(url, REDIS_OPTIONS_USED);
  const storeRedis = connectBench(url, REDIS_OPTIONS_USED);
  const outbox = new RedisOutbox(redis, namespace);
  const limiter = new RedisRateLimiter(redis, PLATFORM_LIMITS, namespace);
  const store = new RedisStore(storeRedis, { id: randomUUID, next: Math.random }, namespace);
  const channel = new TeamsChannel({ appId: '' });
  const now = () => performance.now();
  const finish = (item: WorkItem, start: number, outcome: Attempt['outcome']) => {
    const attempt = probe.open.get(probe.itemKey(item.team, item.recipient));
    if (!attempt) return;
    const end = now();
    attempt.done = [start, end];
    attempt.outcome ??= outcome;
    probe.open.delete(probe.itemKey(item.team, item.recipient));
  };
  const attemptOf = (conversation: string) => {
    const key = probe.byConversation.get(conversation);
    return key === undefined ? undefined : probe.open.get(key);
  };

  const timedOutbox: Outbox = {
    enqueue: (items, nowMs) => outbox.enqueue(items, nowMs),
    take: async (nowMs, limit, leaseMs) => {
      const t0 = now();
      const items = await outbox.take(nowMs, limit, leaseMs);
      const t1 = now();
      probe.takes++;
      probe.takeMs.push(t1 - t0);
      if (items.length === 0) probe.emptyTakes++;
      probe.taken += items.length;
      for (const item of items) {
        const attempt: Attempt = { taken: t1 };
        probe.attempts.push(attempt);
        probe.open.set(probe.itemKey(item.team, item.recipient), attempt);
        if (!probe.firstTried.has(probe.itemKey(item.team, item.recipient))) probe.firstTried.set(probe.itemKey(item.team, item.recipient), Date.now());
      }
      return items;
    },
    renew: (items, leaseMs) => outbox.renew(items, leaseMs),
    markSent: async (item, messageId, nowMs) => {
      const t0 = now();
      const recorded = await outbox.markSent(item, messageId, nowMs);
      finish(item, t0, 'sent');
      return recorded;
    },
    retryAt: async (item, atMs, reason, kind, nowMs) => {
      const t0 = now();
      const recorded = await outbox.retryAt(item, atMs, reason, kind, nowMs);
      finish(item, t0, kind === 'waiting' ? 'limited' : kind);
      return recorded;
    },
    deadLetter: async (item, reason, nowMs) => {
      const t0 = now();
      const recorded = await outbox.deadLetter(item, reason, nowMs);
      finish(item, t0, 'dead');
      return recorded;
    },
    get: (team, occurrenceId, recipient) => outbox.get(team, occurrenceId, recipient),
    deadLetters: (team, limit) => outbox.deadLetters(team, limit),
    resend: (team, nowMs, occurrenceId) => outbox.resend(team, nowMs, occurrenceId),
    pending: () => outbox.pending(),
    nextDue: () => outbox.nextDue(),
  };

  const timedLimiter: RateLimiter = {
    acquire: async (send, nowMs) => {
      const t0 = now();
      const wait = await limiter.acquire(send, nowMs);
      const attempt = attemptOf(send.conversation);
      if (attempt) attempt.acquire = [t0, now()];
      probe.acquires++;
      if (wait === 0) probe.granted++;
      else {
        probe.refusedWaits.push(wait);
        if ((probe.throttledUntil.get(send.conversation) ?? 0) > nowMs) probe.refusedThrottled++;
        else probe.refusedWindow++;
      }
      return wait;
    },
    release: async (send) => {
      probe.releases++;
      await limiter.release(send);
    },
    throttle: async (send, untilMs, nowMs) => {
      probe.throttleCalls++;
      probe.throttleLeftMs.push(untilMs - Date.now());
      probe.throttledUntil.set(send.conversation, Math.max(untilMs, probe.throttledUntil.get(send.conversation) ?? 0));
      await limiter.throttle(send, untilMs, nowMs);
    },
    pace: (platform, tenant, count, nowMs) => limiter.pace(platform, tenant, count, nowMs),
  };

  const timedStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getConversation') {
        return async (team: TeamRef, key: string) => {
          const t0 = now();
          const ref = await target.getConversation(team, key);
          const attempt = probe.open.get(probe.itemKey(team, key));
          if (attempt) attempt.getConversation = [t0, now()];
          return ref;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;

  const timedChannel: Channel = {
    platform: 'teams',
    send: async (to, message, options) => {
      const conversation = String((to.reference['conversation'] as { id?: unknown } | undefined)?.id ?? to.key);
      const t0 = now();
      try {
        const result = await channel.send(to, message, options);
        probe.sendOutcomes.sent++;
        return result;
      } catch (error) {
        const kind = (error as { kind?: keyof Probe['sendOutcomes'] }).kind ?? 'transient';
        probe.sendOutcomes[kind]++;
        throw error;
      } finally {
        const t1 = now();
        probe.sendMs.push(t1 - t0);
        const attempt = attemptOf(conversation);
        if (attempt) attempt.send = [t0, t1];
      }
    },
    update: (to, messageId, message) => channel.update(to, messageId, message),
  };

  const count = (_fields: Record<string, unknown>, message: string) => void probe.logs.set(message, (probe.logs.get(message) ?? 0) + 1);
  const logger: Logger = { info: count, warn: count, error: count };
  return {
    deps: { outbox: timedOutbox, limiter: timedLimiter, store: timedStore, channels: { teams: timedChannel }, clock: { now: () => new Date() }, random: { id: randomUUID, next: Math.random }, logger },
    async close() {
      await store.close();
      await redis.quit();
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Redis bookkeeping

class Admin {
  readonly redis: RedisClient;
  constructor(url: string) {
    this.redis = connectBench(url, REDIS_OPTIONS);
  }
  /** On a cluster, each master's keys (SCAN sees one node), deleted one a command (they sit in many slots). */
  async drop(namespace: string) {
    for (const server of await dataServers(this.redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
        cursor = next;
        await Promise.all(keys.map((key) => server.del(key)));
      } while (cursor !== '0');
    }
  }
  /** Summed over the servers (every master of a cluster). */
  async commandStats(): Promise<Map<string, number>> {
    const stats = new Map<string, number>();
    for (const server of await dataServers(this.redis)) {
      for (const m of (await server.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+),usec=(\d+)/g)) stats.set(m[1]!, (stats.get(m[1]!) ?? 0) + Number(m[2]));
    }
    return stats;
  }
  async serverCpuMs(): Promise<number> {
    let total = 0;
    for (const server of await dataServers(this.redis)) {
      const info = await server.info('cpu');
      const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
      total += (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
    }
    return total;
  }
}

/** Commands the phase sent, without the benchmark's own monitoring (INFO, the pending polls). */
function commandDelta(before: Map<string, number>, after: Map<string, number>) {
  const delta = [...after].map(([cmd, calls]) => [cmd, calls - (before.get(cmd) ?? 0)] as const).filter(([cmd, n]) => n > 0 && cmd !== 'info' && cmd !== 'zcard');
  return new Map(delta.sort((a, b) => b[1] - a[1]));
}

// ------------------------------------------------------------------------------------------------
// What the fake accepted

interface Outcome {
  accepted: number;
  delivered: number;
  lost: number;
  duplicates: number;
  achievedRate: number;
  wallMs: number;
  p50: number;
  p99: number;
  max: number;
  rejected: { injected429: number; injected5xx: number; limit429: number; other: number };
  perTenant: Array<{ tenant: string; delivered: number; firstMs: number; lastMs: number }>;
  /** For each duplicated recipient: when its first and second copies were accepted (ms after due). */
  duplicateTimes: Array<[number, number]>;
}

/** What the fake recorded: in this process, or sent over from its own. */
type FakeRecords = Pick<FakeBotConnector, 'accepted' | 'rejected' | 'duplicates'>;

function outcome(fake: FakeRecords, list: Recipient[], dueAt: number): Outcome {
  const accepted = fake.accepted().filter((m) => m.kind === 'send');
  const first = new Map<string, number>();
  const duplicateTimes: Array<[number, number]> = [];
  for (const m of accepted) {
    const key = (m.activity['channelData'] as { sparringsbot?: { key?: string } } | undefined)?.sparringsbot?.key;
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, m.at);
    else duplicateTimes.push([earlier - dueAt, m.at - dueAt]);
  }
  const latencies = sorted(
    list
      .map((r) => first.get(idempotencyKey(r)))
      .filter((at) => at !== undefined)
      .map((at) => at - dueAt),
  );
  const last = Math.max(dueAt, ...accepted.map((m) => m.at));
  const wallMs = last - dueAt;
  const rejected = { injected429: 0, injected5xx: 0, limit429: 0, other: 0 };
  for (const r of fake.rejected()) {
    if (r.reason === 'fault') rejected[r.status === 429 ? 'injected429' : 'injected5xx']++;
    else if (r.reason === 'throttled') rejected.limit429++;
    else rejected.other++;
  }
  const tenants = [...new Set(list.map((r) => r.team.tenant))];
  const perTenant = tenants.map((tenant) => {
    const mine = accepted.filter((m) => m.tenantId === tenant);
    const times = mine.map((m) => m.at - dueAt);
    return { tenant, delivered: mine.length, firstMs: Math.min(...times), lastMs: Math.max(0, ...times) };
  });
  return {
    accepted: accepted.length,
    delivered: latencies.length,
    lost: list.length - latencies.length,
    duplicates: fake.duplicates().length,
    achievedRate: wallMs > 0 ? (accepted.length / wallMs) * 1000 : 0,
    wallMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rejected,
    perTenant,
    duplicateTimes,
  };
}

/** Until nothing is pending; past the deadline the queue is emptied, so the workers' passes end, and false. */
async function waitUntilDrained(redis: RedisClient, namespace: string, deadline: number, onTick?: () => void) {
  const outbox = new RedisOutbox(redis, namespace);
  for (;;) {
    onTick?.();
    if ((await outbox.pending()) === 0) return true;
    if (Date.now() > deadline) {
      for (const shard of SHARD_NUMBERS) await redis.del(queueKey(shard, namespace));
      return false;
    }
    await sleep(20);
  }
}

// ------------------------------------------------------------------------------------------------
// Phase 1: workers in this process (startDelivery, as production runs it), instrumented.

/**
 * The fake for phase 1: in a process of its own (the platform is not in a sender's process, and sharing one
 * event loop with it capped the senders at what one core does for both), or with --fake-in-process as
 * before, in this one. Either way it runs on the same two cores.
 */
async function phaseOneFake(options: FakeBotConnectorOptions): Promise<{ url: string; cpuMs(): number | undefined; records(): Promise<FakeRecords>; close(): Promise<void> }> {
  if (FAKE_IN_PROCESS) {
    const fake = await startFakeBotConnector(options);
    return { url: fake.url, cpuMs: () => undefined, records: async () => fake, close: () => fake.close() };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', FAKE_SCRIPT, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (line) => resolve(String(line).trim()));
    child.once('exit', (code) => reject(new Error(`the fake Bot Connector exited (${code}) before listening`)));
  });
  child.stdout!.resume();
  return {
    url,
    cpuMs: () => cpuMsOf(child.pid),
    records: () =>
      new Promise((resolve) => {
        child.once('message', (m) => {
          const { accepted, rejected, duplicates } = m as { accepted: AcceptedMessage[]; rejected: RejectedRequest[]; duplicates: string[] };
          resolve({ accepted: () => accepted, rejected: () => rejected, duplicates: () => duplicates });
        });
        child.send({ records: true });
      }),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

async function inProcessPhase(url: string, admin: Admin, list: Recipient[]) {
  const namespace = `bf${randomUUID().slice(0, 8)}`;
  const fake = await phaseOneFake({ faults: { ...FAULTS, seed: 11 }, latencyMs: LATENCY_MS });
  try {
    await saveConversations(url, namespace, list, fake.url);
    const probe = new Probe();
    for (const r of list) probe.byConversation.set(r.conversationId, probe.itemKey(r.team, r.key));
    const workers = Array.from({ length: WORKERS }, () => instrumentedDeps(probe, url, namespace));
    const loops = workers.map((w) => startDelivery(w.deps, OPTIONS));
    await sleep(100); // first (empty) passes done: every loop is asleep for up to a second

    const commands0 = await admin.commandStats();
    const redisCpu0 = await admin.serverCpuMs();
    const fakeCpu0 = fake.cpuMs();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const { dueAt, enqueueMs } = await enqueue(url, namespace, list);
    const monitor = connectBench(url, REDIS_OPTIONS);
    const drained = await waitUntilDrained(monitor, namespace, dueAt + PHASE_LIMIT_MS.inProcess);
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const fakeCpu1 = fake.cpuMs();
    const fakeCpuMs = fakeCpu0 === undefined || fakeCpu1 === undefined ? undefined : fakeCpu1 - fakeCpu0;
    const redisCpuMs = (await admin.serverCpuMs()) - redisCpu0;
    const commands = commandDelta(commands0, await admin.commandStats());
    await Promise.all(loops.map((l) => l.stop()));
    await Promise.all(workers.map((w) => w.close()));
    await monitor.quit();

    const result = outcome(await fake.records(), list, dueAt);
    const deadLetters = await deadLettersOf(new RedisOutbox(admin.redis, namespace), list);
    // The whole run, from the first pass to the drain, as seen by this process.
    const runMs = Date.now() - dueAt;
    await admin.drop(namespace);
    return { namespace, dueAt, enqueueMs, drained, result, probe, elu, cpu, fakeCpuMs, redisCpuMs, commands, deadLetters: deadLetters.length, runMs };
  } finally {
    await fake.close();
  }
}

// ------------------------------------------------------------------------------------------------
// Phase 2: worker processes (test/support/delivery-worker.ts), one SIGKILLed mid-way and replaced.

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  stderr: () => string;
}

function startWorker(url: string, namespace: string): Worker {
  const options = {
    redisUrl: url,
    namespace,
    concurrency: KILL_OPTIONS.concurrency,
    leaseMs: KILL_OPTIONS.leaseMs,
    maxAttempts: KILL_OPTIONS.maxAttempts,
    backoffMs: KILL_OPTIONS.backoffMs,
    timeoutMs: KILL_OPTIONS.timeoutMs,
  };
  // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild a SIGKILL would not reach.
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (d) => (errors += String(d)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code, signal) => reject(new Error(`worker exited before its first pass (${code ?? signal}): ${errors}`)));
  });
  ready.catch(() => {});
  child.stdout!.resume(); // one line per pass: read and dropped
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, ready, exited, stderr: () => errors };
}

/** CPU time (ms) a live child has used, from /proc; undefined off Linux. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

async function killPhase(url: string, admin: Admin, list: Recipient[]) {
  const namespace = `bf${randomUUID().slice(0, 8)}`;
  const fake = await startFakeBotConnector({ faults: { ...FAULTS, seed: 23 }, latencyMs: LATENCY_MS });
  const workers: Worker[] = [];
  try {
    await saveConversations(url, namespace, list, fake.url);
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(url, namespace));
    await Promise.all(workers.map((w) => w.ready));
    const cpuStart = workers.map((w) => cpuMsOf(w.child.pid) ?? 0);

    const { dueAt, enqueueMs } = await enqueue(url, namespace, list);
    const monitor = connectBench(url, REDIS_OPTIONS);
    let kills = 0;
    let killedAt: { ms: number; accepted: number; killedCpuMs: number; delayMs: number } | undefined;
    let replacement: Worker | undefined;
    let mark: { reached: number; killAt: number } | undefined;
    const drained = await waitUntilDrained(monitor, namespace, dueAt + PHASE_LIMIT_MS.kill, () => {
      if (kills > 0) return;
      const accepted = fake.counts().accepted;
      if (mark === undefined) {
        if (accepted < KILL_AT * list.length) return;
        mark = { reached: Date.now(), killAt: Date.now() + Math.random() * KILL_JITTER_MS };
      }
      if (Date.now() < mark.killAt) return;
      const victim = workers[0]!;
      const killedCpuMs = (cpuMsOf(victim.child.pid) ?? 0) - cpuStart[0]!;
      victim.child.kill('SIGKILL');
      kills++;
      killedAt = { ms: Date.now() - dueAt, accepted, killedCpuMs, delayMs: Date.now() - mark.reached };
      replacement = startWorker(url, namespace);
      workers.push(replacement);
    });
    const endMs = Date.now() - dueAt;
    // CPU of the workers that ran to the end (the killed one's up to its kill), against the wall time.
    const survivorsCpuMs = workers.slice(1).map((w, i) => (cpuMsOf(w.child.pid) ?? 0) - (i + 1 < WORKERS ? cpuStart[i + 1]! : 0));
    await monitor.quit();
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));

    const result = outcome(fake, list, dueAt);
    const deadLetters = (await deadLettersOf(new RedisOutbox(admin.redis, namespace), list)).length;
    await admin.drop(namespace);
    return { namespace, dueAt, enqueueMs, drained, kills, killedAt, result, deadLetters, endMs, workerCpuMs: [killedAt?.killedCpuMs ?? 0, ...survivorsCpuMs] };
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await fake.close();
  }
}

// ------------------------------------------------------------------------------------------------
// Probes: the CPU a render and a botbuilder send cost on their own.

function renderCost(samples: number) {
  const costs: Record<string, number> = {};
  for (const name of [CARD, 'practice-prompt', 'summary']) {
    if (!isCardName(name) || name in costs) continue;
    const data = sampleData(name, 'da');
    const options = { locale: 'da' as const, timeZone: 'Europe/Copenhagen' };
    for (let i = 0; i < 20; i++) renderCard(name, data, 'teams', options);
    // Best of three rounds: other processes on the machine only ever make it slower.
    const rounds = Array.from({ length: 3 }, () => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < samples; i++) renderCard(name, data, 'teams', options);
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / 1000 / samples;
    });
    costs[name] = Math.min(...rounds);
  }
  return costs;
}

/**
 * Delivery's own cost per send, without a platform: the same outbox, limiter (at Teams' conversation limits,
 * the tenant's lifted so nothing waits), store and render cache, sending to a channel that answers at once.
 * One deliverDue pass after another until the queue is empty; CPU of this process and Redis commands per send,
 * best of three rounds. What is left of "CPU per accepted send" above is botbuilder, HTTP and the fake.
 */
async function deliveryCost(url: string, admin: Admin, count: number) {
  const unlimited = { teams: { ...TEAMS_LIMITS, tenant: [{ limit: 1e9, windowMs: 1_000 }] } };
  const instant: Channel = { platform: 'teams', send: async () => ({ messageId: 'm' }), update: async () => {} };
  const silent: Logger = { info() {}, warn() {}, error() {} };
  const card = isCardName(CARD) ? { name: CARD, data: sampleData(CARD, 'da'), locale: 'da' as const, timeZone: 'Europe/Copenhagen' } : undefined;
  if (!card) throw new Error(`unknown card ${CARD}`);
  const rounds: Array<{ cpuMs: number; commands: number }> = [];
  for (let round = 0; round < 3; round++) {
    const namespace = `bf${randomUUID().slice(0, 8)}`;
    const list = recipients().slice(0, count);
    await saveConversations(url, namespace, list, 'http://127.0.0.1:9/');
    const redis = connectBench(url, REDIS_OPTIONS_USED);
    const store = new RedisStore(connectBench(url, REDIS_OPTIONS_USED), { id: randomUUID, next: Math.random }, namespace);
    const outbox = new RedisOutbox(redis, namespace);
    await outbox.enqueue(
      list.map((r) => ({ team: r.team, occurrenceId: `${OCCURRENCE}-${round}`, recipient: r.key, card })),
      Date.now(),
    );
    const deps: DeliveryDeps = {
      outbox,
      limiter: new RedisRateLimiter(redis, unlimited, namespace),
      store,
      channels: { teams: instant },
      clock: { now: () => new Date() },
      random: { id: randomUUID, next: Math.random },
      logger: silent,
    };
    const commands0 = await admin.commandStats();
    const cpu0 = process.cpuUsage();
    let sent = 0;
    while ((await outbox.pending()) > 0) sent += (await deliverDue(deps, OPTIONS)).sent;
    const cpu = process.cpuUsage(cpu0);
    const commands = sum([...commandDelta(commands0, await admin.commandStats()).values()]);
    if (sent !== list.length) throw new Error(`delivery probe sent ${sent} of ${list.length}`);
    rounds.push({ cpuMs: (cpu.user + cpu.system) / 1000 / sent, commands: commands / sent });
    await store.close();
    await redis.quit();
    await admin.drop(namespace);
  }
  return rounds.sort((a, b) => a.cpuMs - b.cpuMs)[0]!;
}

/** The same sends through TeamsChannel and as a bare fetch of the same JSON, to a fake without limits or faults. */
async function sendCost(count: number) {
  const fake = await startFakeBotConnector({ tenantLimits: [{ limit: 1e9, windowMs: 1000 }], conversationLimits: [{ limit: 1e9, windowMs: 1000 }] });
  try {
    const channel = new TeamsChannel({ appId: '' });
    const data = isCardName(CARD) ? sampleData(CARD, 'da') : {};
    const card = isCardName(CARD) ? renderCard(CARD, data, 'teams', { locale: 'da', timeZone: 'Europe/Copenhagen' }) : {};
    const message = { card: card as Record<string, unknown>, text: 'x' };
    const list = Array.from({ length: count }, (_, i): Recipient => ({ team: { tenant: 't', team: 'x' }, key: `29:1probe-${i}`, conversationId: `a:1probe-${i}`, channel: false }));
    const viaBotbuilder = async (i: number) => void (await channel.send(reference(list[i]!, fake.url), message, { key: `k${i}` }));
    const body = JSON.stringify({ type: 'message', summary: 'x', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }], conversation: { id: 'c', tenantId: 't' } });
    const bare = async (i: number) => {
      const response = await fetch(`${fake.url}v3/conversations/${encodeURIComponent(list[i]!.conversationId)}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.json();
    };
    const measure = async (send: (i: number) => Promise<void>) => {
      await pool(Math.min(50, count), 16, send); // warm-up
      const rounds: Array<{ cpuMs: number; perSec: number }> = [];
      for (let round = 0; round < 3; round++) {
        const t0 = process.cpuUsage();
        const w0 = performance.now();
        await pool(count, 16, send);
        const t = process.cpuUsage(t0);
        rounds.push({ cpuMs: (t.user + t.system) / 1000 / count, perSec: (count / (performance.now() - w0)) * 1000 });
      }
      return rounds.sort((a, b) => a.cpuMs - b.cpuMs)[0]!; // best of three
    };
    return { botbuilder: await measure(viaBotbuilder), bare: await measure(bare) };
  } finally {
    await fake.close();
  }
}

// ------------------------------------------------------------------------------------------------

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
    const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
    const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')} ms` : '–');
    const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
    const line = (label: string, figure: string, target = '', note = '') => console.log(`  ${label.padEnd(28)}${figure.padEnd(20)}${target.padEnd(18)}${note}`.trimEnd());

    console.log(`Fan-out benchmark: one occurrence (${CARD} card) to ${int(PEOPLE)} people in 1:1 chats + ${CHANNELS} channels = ${int(ITEMS)} sends, ${TENANTS} tenants × ${TEAMS_PER_TENANT} teams`);
    console.log(
      `  fake Bot Connector at Teams' limits (${TENANT_LIMIT}/s per tenant; per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h), ${pct(FAULTS.throttleRate)} 429 (Retry-After ${FAULTS.throttleRetryAfterSeconds} s) and ${pct(FAULTS.serverErrorRate)} 5xx injected, answer latency ${LATENCY_MS} ms`,
    );
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(`  ${where}, Redis ${version}; ${os.availableParallelism()} CPUs shared by this process, the workers and Redis (and whatever else runs: load average ${load()})`);
    console.log('');

    if (OWN_COST_ONLY) {
      const own = await deliveryCost(url, admin, QUICK ? 1_000 : 3_000);
      line('delivery without a platform', `${own.cpuMs.toFixed(2)} ms CPU per send`, '', `${own.commands.toFixed(1)} Redis commands per send`);
      console.log(JSON.stringify({ ownCpuMsPerSend: Number(own.cpuMs.toFixed(3)), ownCommandsPerSend: Number(own.commands.toFixed(1)) }));
      return;
    }

    // ---- Phase 1
    const p1 = await inProcessPhase(url, admin, list);
    const r1 = p1.result;
    const ratio = r1.achievedRate / ALLOWED_RATE;
    console.log(
      `Phase 1: ${WORKERS} delivery loops (startDelivery) in this process, concurrency ${CONCURRENCY} each, real TeamsChannel; the fake ${FAKE_IN_PROCESS ? 'in this process too' : 'in a process of its own'}`,
    );
    console.log(`  (${int(ITEMS)} items enqueued in ${ms(p1.enqueueMs)} ahead of time, each tenant's spread at its rate, then moved to start at once: enqueueing is not in the figures)`);
    if (!p1.drained) console.log(`  (gave up ${ms(PHASE_LIMIT_MS.inProcess)} after due: the queue was emptied, what was not delivered counts as lost)`);
    line('allowed rate', `${int(ALLOWED_RATE)}/s`, '', `${TENANTS} tenants × ${TENANT_LIMIT}/s`);
    line('achieved rate', `${int(r1.achievedRate)}/s`, '', `${int(r1.accepted)} accepted sends in ${ms(r1.wallMs)} from due to the last`);
    line('ratio', ratio.toFixed(2), 'target: ≥ 0.9');
    line(
      'ratio to the ceiling',
      (ratio / CEILING_RATIO).toFixed(2),
      '',
      `the ceiling is ${CEILING_RATIO.toFixed(2)}: a ${ms(SCHEDULE_MS)} schedule at the allowed rate, plus the Retry-After (${FAULTS.throttleRetryAfterSeconds} s) of a 429 in its last second`,
    );
    line('lost', int(r1.lost), 'target: 0', `${p1.drained ? 'never accepted' : 'not accepted when it gave up'}; ${p1.deadLetters} dead letters`);
    line('duplicated', int(r1.duplicates), 'target: 0');
    line('due → delivered p50 / p99', `${ms(r1.p50)} / ${ms(r1.p99)}`, '', `max ${ms(r1.max)}${p1.drained ? '' : ', of those delivered'}`);
    const firstTriedBy = Math.max(...p1.probe.firstTried.values()) - p1.dueAt;
    line(
      'tail',
      `${ms(r1.wallMs - firstTriedBy)}`,
      '',
      `every item first tried by ${ms(firstTriedBy)} after due (at ${TENANT_LIMIT}/s a tenant's ${int(ITEMS / TENANTS)} take ${ms((ITEMS / TENANTS / TENANT_LIMIT) * 1000)}), the last accepted ${ms(r1.wallMs)}: after that, retries only, each 429 held ${FAULTS.throttleRetryAfterSeconds} s by its Retry-After`,
    );
    line(
      'fake answered',
      `${int(r1.accepted)} accepted`,
      '',
      `${int(r1.rejected.injected429)} injected 429, ${int(r1.rejected.injected5xx)} injected 5xx, ${int(r1.rejected.limit429)} 429 for exceeding its limits, ${int(r1.rejected.other)} other`,
    );
    console.log('');

    const probe = p1.probe;
    const attempts = probe.attempts.filter((a) => a.done);
    const span = (pick: (a: Attempt) => [number, number] | undefined) =>
      attempts
        .map((a) => pick(a))
        .filter((s) => s !== undefined)
        .map(([a, b]) => b - a);
    const total = sum(attempts.map((a) => a.done![1] - a.taken));
    const getConv = sum(span((a) => a.getConversation));
    const renderGap = sum(attempts.filter((a) => a.getConversation && a.acquire).map((a) => a.acquire![0] - a.getConversation![1]));
    const acquire = sum(span((a) => a.acquire));
    const send = sum(span((a) => a.send));
    const write = sum(span((a) => a.done));
    const other = total - getConv - renderGap - acquire - send - write;
    const byOutcome = (o: Attempt['outcome']) => attempts.filter((a) => a.outcome === o).length;
    const sends = probe.sendOutcomes.sent + probe.sendOutcomes.throttled + probe.sendOutcomes.transient + probe.sendOutcomes.permanent;
    const commandsTotal = sum([...p1.commands.values()]);
    const cpuMs = (p1.cpu.user + p1.cpu.system) / 1000;
    const sendsSorted = sorted(probe.sendMs);
    console.log('  Where the time goes (phase 1)');
    line(
      'attempts per delivered',
      (attempts.length / Math.max(1, r1.delivered)).toFixed(2),
      '',
      `${int(attempts.length)} items taken: ${int(byOutcome('sent'))} sent, ${int(byOutcome('limited'))} refused by the limiter, ${int(byOutcome('throttled'))} 429, ${int(byOutcome('failed'))} 5xx, ${int(byOutcome('dead'))} dead`,
    );
    line(
      'limiter',
      `${int(probe.acquires)} acquires`,
      '',
      `${int(probe.granted)} granted (${int(probe.granted - probe.sendOutcomes.sent)} of them spent on sends the fake refused), ${int(probe.refusedThrottled)} refused as a 429 held the conversation, ${int(probe.refusedWindow)} for a full window (and given a slot); median wait answered ${ms(percentile(sorted(probe.refusedWaits), 50))}`,
    );
    line(
      '429s',
      `${int(probe.throttleCalls)}`,
      '',
      `each holds its conversation for the Retry-After (p50 ${ms(percentile(sorted(probe.throttleLeftMs), 50))} left when recorded) and gives its slot back, as do ${int(probe.releases)} 5xx; only repeated ones slow the tenant`,
    );
    line(
      'item time, share',
      `${int(total / 1000)} item-s`,
      '',
      `from take to done: render (+ event-loop wait) ${pct(renderGap / total)}, limiter ${pct(acquire / total)}, send ${pct(send / total)}, outbox write ${pct(write / total)}, getConversation ${pct(getConv / total)}, other ${pct(other / total)}; mean ${ms(total / Math.max(1, attempts.length))} an item`,
    );
    line(
      'in flight',
      `${(total / Math.max(1, r1.wallMs) / WORKERS).toFixed(0)} of ${CONCURRENCY}`,
      '',
      `mean per worker (rolling pool); ${int(probe.takes)} takes (${int(probe.emptyTakes)} empty), ${(probe.taken / Math.max(1, probe.takes - probe.emptyTakes)).toFixed(1)} items each, take p50 / p99 ${ms(percentile(sorted(probe.takeMs), 50))} / ${ms(percentile(sorted(probe.takeMs), 99))} (one HGET per item, in turn)`,
    );
    line(
      'send (botbuilder → fake)',
      `p50 ${ms(percentile(sendsSorted, 50))}`,
      '',
      `p99 ${ms(percentile(sendsSorted, 99))}; ${int(sends)} sends: ${probe.sendOutcomes.sent} ok, ${probe.sendOutcomes.throttled} 429, ${probe.sendOutcomes.transient} 5xx`,
    );
    line(
      'CPU, this process',
      `${pct(p1.elu.utilization)} busy`,
      '',
      `event loop utilisation over the run; ${ms(cpuMs / Math.max(1, r1.accepted))} CPU per accepted send (${FAKE_IN_PROCESS ? 'workers + fake' : 'the workers'}); ${p1.fakeCpuMs === undefined ? '' : `the fake's process ${ms(p1.fakeCpuMs / Math.max(1, r1.accepted))}; `}Redis ${ms(p1.redisCpuMs / Math.max(1, r1.accepted))}`,
    );
    line(
      'Redis commands',
      `${(commandsTotal / Math.max(1, r1.accepted)).toFixed(1)} per send`,
      '',
      [...p1.commands]
        .slice(0, 8)
        .map(([cmd, n]) => `${cmd} ${(n / Math.max(1, r1.accepted)).toFixed(2)}`)
        .join(', '),
    );
    const slowest = [...r1.perTenant].sort((a, b) => b.lastMs - a.lastMs)[0];
    // From a send's start to its markSent's end: a kill in this window can leave a delivered message unrecorded (resent later).
    const exposure = attempts.filter((a) => a.outcome === 'sent' && a.send).map((a) => a.done![1] - a.send![0]);
    line(
      'send → recorded as sent',
      `p50 ${ms(percentile(sorted(exposure), 50))}`,
      '',
      `p99 ${ms(percentile(sorted(exposure), 99))}; at a random moment ${(sum(exposure) / Math.max(1, r1.wallMs) / WORKERS).toFixed(1)} sends per worker are in this window: what a SIGKILL would duplicate`,
    );
    const firsts = r1.perTenant.map((t) => t.firstMs);
    line(
      'per tenant',
      `${int(mean(r1.perTenant.map((t) => (t.delivered / Math.max(1, t.lastMs - t.firstMs)) * 1000)))}/s mean`,
      '',
      `first delivery ${ms(Math.min(...firsts))} … ${ms(Math.max(...firsts))} after due (the queue hands out equal due times by member name, tenant by tenant); slowest tenant done at ${ms(slowest?.lastMs ?? NaN)} (${TENANT_LIMIT}/s would take ${ms((ITEMS / TENANTS / TENANT_LIMIT) * 1000)})`,
    );
    console.log(`  (load average now ${load()})`);
    console.log('');

    if (PHASE1_ONLY) {
      console.log(
        JSON.stringify({
          allowedRate: ALLOWED_RATE,
          achievedRate: Number(r1.achievedRate.toFixed(1)),
          ratio: Number(ratio.toFixed(3)),
          ratioToCeiling: Number((ratio / CEILING_RATIO).toFixed(3)),
          lost: r1.lost,
          duplicates: r1.duplicates,
          p99DueToDeliveredMs: Math.round(r1.p99),
          killed: null,
        }),
      );
      return;
    }

    // ---- Phase 2
    const p2 = await killPhase(url, admin, list);
    const r2 = p2.result;
    console.log(
      `Phase 2: ${WORKERS} worker processes (test/support/delivery-worker.ts), concurrency ${CONCURRENCY}, lease ${ms(KILL_OPTIONS.leaseMs)}; one SIGKILLed at a random moment within ${ms(KILL_JITTER_MS)} after ${pct(KILL_AT)} were accepted, a replacement started`,
    );
    if (!p2.drained) console.log(`  (gave up ${ms(PHASE_LIMIT_MS.kill)} after due: the queue was emptied, what was not delivered counts as lost)`);
    line(
      'kills',
      String(p2.kills),
      '',
      p2.killedAt ? `at ${ms(p2.killedAt.ms)} after due (${ms(p2.killedAt.delayMs)} after ${pct(KILL_AT)}), ${int(p2.killedAt.accepted)} accepted by then` : 'the kill point was never reached',
    );
    line('lost', int(r2.lost), 'target: 0', `${p2.drained ? 'never accepted' : 'not accepted when it gave up'}; ${p2.deadLetters} dead letters`);
    const killMs = p2.killedAt?.ms ?? Infinity;
    // A copy accepted before the kill and the next one after it: most likely one of the killed worker's sends in flight, accepted but not yet marked sent.
    const fromKill = r2.duplicateTimes.filter(([a, b]) => a <= killMs && b > killMs);
    line(
      'duplicated',
      int(r2.duplicates),
      `target: ≤ ${p2.kills}`,
      `${fromKill.length} with the first copy accepted before the kill (${fromKill.length ? `${ms(killMs - Math.min(...fromKill.map(([a]) => a)))} … ${ms(killMs - Math.max(...fromKill.map(([a]) => a)))} before it` : '–'}), the second after; ${r2.duplicateTimes.length - fromKill.length} others (a send timed out after the fake accepted it, or a lease ran out)`,
    );
    line(
      'achieved rate',
      `${int(r2.achievedRate)}/s`,
      '',
      `ratio ${(r2.achievedRate / ALLOWED_RATE).toFixed(2)}; last accepted ${ms(r2.wallMs)} after due (the killed worker's leased items wait out the lease)`,
    );
    line('due → delivered p50 / p99', `${ms(r2.p50)} / ${ms(r2.p99)}`, '', p2.drained ? '' : 'of those delivered');
    line(
      'worker CPU',
      p2.workerCpuMs.map((c) => ms(c)).join(', '),
      '',
      `killed (to its kill), survivors, replacement (with its start-up) over ${ms(p2.endMs)}; ${ms(sum(p2.workerCpuMs) / Math.max(1, r2.accepted))} per accepted send`,
    );
    console.log(`  (load average now ${load()})`);
    console.log('');

    // ---- Probes
    const renders = renderCost(QUICK ? 40 : 200);
    const sendProbe = await sendCost(QUICK ? 150 : 500);
    const own = await deliveryCost(url, admin, QUICK ? 1_000 : 3_000);
    console.log('  Cost of the parts on their own (CPU ms in this process, best of 3 rounds)');
    line('delivery without a platform', `${own.cpuMs.toFixed(2)} per send`, '', `${own.commands.toFixed(1)} Redis commands per send: take, conversation, limiter, render (cached), record as sent`);
    line(
      'render, per card',
      Object.entries(renders)
        .map(([n, c]) => `${n} ${c.toFixed(2)}`)
        .join(', '),
      '',
      `once per occurrence and team: deliverOne keeps the rendered card (the first of each costs this)`,
    );
    line(
      'send via botbuilder',
      `${sendProbe.botbuilder.cpuMs.toFixed(2)} per send`,
      '',
      `a bare fetch of the same JSON ${sendProbe.bare.cpuMs.toFixed(2)} (both include the fake's side); ${int(sendProbe.botbuilder.perSec)}/s vs ${int(sendProbe.bare.perSec)}/s at 16 in flight`,
    );
    const budget = (renders[CARD] ?? 0) * (attempts.length / Math.max(1, r1.delivered)) + sendProbe.botbuilder.cpuMs * (sends / Math.max(1, r1.delivered));
    line(
      'CPU needed at the limit',
      `${((budget * ALLOWED_RATE) / 1000).toFixed(2)} CPUs`,
      '',
      `(${budget.toFixed(1)} ms of render + send per delivered message at phase 1's attempts per delivery) × ${int(ALLOWED_RATE)}/s; ${os.availableParallelism()} CPUs here`,
    );

    const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
    console.log(
      JSON.stringify({
        allowedRate: ALLOWED_RATE,
        achievedRate: round(r1.achievedRate, 1),
        ratio: round(ratio, 3),
        ratioToCeiling: round(ratio / CEILING_RATIO, 3),
        lost: r1.lost,
        duplicates: r1.duplicates,
        p99DueToDeliveredMs: round(r1.p99),
        killed: { kills: p2.kills, lost: r2.lost, duplicates: r2.duplicates },
      }),
    );
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
