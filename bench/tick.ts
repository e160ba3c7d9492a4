// `npm run bench:tick`: one scheduler tick over 1,000, 10,000 and 100,000 active runs in Redis, with nothing due
// and with about 1% of the runs due. Uses REDIS_URL if set, else a private redis-server; each size under its own
// random namespace, deleted afterwards. Last line: one JSON object of the figures.
//
// The runs: the five programmes in turn, each starting on a school day drawn over the school year 2026-27
// (August to June), default settings, a leader, two to five staff and the programme's own role (4-7 members).
// The clock stands in the middle of the year (Tuesday 17 November 2026): a third of the runs are under way,
// the rest still to start. What each run had due before midnight is on record as fired, as it would be in a
// running deployment (written straight into the fired sets, in pipelines), and a first tick at midnight serves
// every run once (what a start-up does). Then:
// - idle: ticks at a moment with nothing due (midnight, and just before each due tick), the median;
// - due: three instants of that day at which about 1% of the runs have something (a card, a digest, hours to
//   book) and nothing else since the tick before: a tick at the instant just before (not timed, it catches up),
//   one there (idle), then the timed tick at the instant; the median of the three.
// `-- --sizes 1000,10000` runs other sizes; `-- --quick` is 1,000 and 10,000.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { runDigests } from '../src/app/monthly-digest.ts';
import { runSends } from '../src/app/occurrence-card.ts';
import type { Clock, Logger, Member, Run } from '../src/app/ports.ts';
import { planOf } from '../src/app/run-plan.ts';
import type { Programme, Role } from '../src/domain/programme/schema.ts';
import { loadProgrammes } from '../src/programmes/load.ts';
import { hoursKey, hoursWarningKey } from '../src/scheduler/book-hours.ts';
import { tick } from '../src/scheduler/tick.ts';
import { keysFor } from '../src/store/keys.ts';
import { RedisClaims } from '../src/store/redis/redis-claims.ts';
import { RedisOutbox } from '../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { removeServerFolder, startRedisServer } from '../test/support/redis-server.ts';
import { seeded } from '../test/support/seeded.ts';

const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const YEAR = { from: '2026-08-10', to: '2027-06-18' };
/** The day of the due ticks; midnight (UTC) is the idle moment, with everything before it fired. */
const DAY = Date.parse('2026-11-17T00:00:00Z');
const DAY_MS = 86_400_000;
const IDLE_AT_MIDNIGHT = 3;
const DUE_TICKS = 3;
/** Runs written (saveRun) and histories pipelined this many at a time. */
const BATCH = 1_000;
/** Each programme's own role besides leader and staff (its audiences name it). */
const OWN_ROLE: Record<string, Role> = {
  'odense-science-boernehoejde': 'guide',
  'sevu-kollegial-sparring': 'facilitator',
  'skolverket-kollegialt-larande': 'facilitator',
  'stuk-vejledningsforloeb': 'consultant',
  'kolding-laeringssamtale': 'consultant',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (ms: number) => Math.round(ms * 10) / 10;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function args() {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--sizes');
  if (at >= 0) return argv[at + 1]!.split(',').map(Number);
  return argv.includes('--quick') ? DEFAULT_SIZES.slice(0, 2) : DEFAULT_SIZES;
}

function schoolDays(): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${YEAR.from}T12:00:00Z`); t <= Date.parse(`${YEAR.to}T12:00:00Z`); t += DAY_MS) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function buildRuns(count: number, programmes: Programme[]): Run[] {
  const next = seeded(2026 + count);
  const days = schoolDays();
  return Array.from({ length: count }, (_, i): Run => {
    const programme = programmes[i % programmes.length]!;
    const sweden = programme.country === 'SE';
    const staff = 2 + Math.floor(next() * 4);
    const members: Member[] = [
      { userId: `leder-${i}`, name: `Leder ${i}`, roles: ['leader'] },
      ...Array.from({ length: staff }, (_, s): Member => ({ userId: `medarbejder-${i}-${s}`, name: `Medarbejder ${s}`, roles: ['staff'] })),
      { userId: `rolle-${i}`, roles: [OWN_ROLE[programme.id] ?? 'facilitator'] },
    ];
    return {
      team: { tenant: `kommune-${i % 98}`, team: `19:team-${i}@thread.tacv2` },
      programmeId: programme.id,
      start: days[Math.floor(next() * days.length)]!,
      settings: {},
      timeZone: sweden ? 'Europe/Stockholm' : 'Europe/Copenhagen',
      country: sweden ? 'SE' : 'DK',
      locale: sweden ? 'sv' : 'da',
      active: true,
      members,
      channelKey: 'channel',
    };
  });
}

/**
 * The instants at which a run has something for the scheduler: `due`, its sends, digests and hours bookings (at
 * an occurrence's end), what the due ticks are chosen by; and `all`, those and its occurrences' starts (a budget
 * warning comes no later), what choosing a quiet moment before them needs.
 */
function instantsOf(run: Run, programme: Programme): { due: number[]; all: number[] } {
  const plan = planOf(run, programme);
  const due = [...runSends(run, programme, plan).map((s) => Date.parse(s.at)), ...runDigests(run, programme, plan).map((d) => Date.parse(d.at)), ...plan.occurrences.map((o) => Date.parse(o.end))];
  return { due, all: [...due, ...plan.occurrences.map((o) => Date.parse(o.start))] };
}

/** What a deployment running all along has on record as fired by `before`. */
function firedBefore(run: Run, programme: Programme, before: number): string[] {
  const plan = planOf(run, programme);
  const keys = [...runSends(run, programme, plan).filter((s) => Date.parse(s.at) <= before), ...runDigests(run, programme, plan).filter((d) => Date.parse(d.at) <= before)].map((x) => x.key);
  for (const o of plan.occurrences) {
    if (Date.parse(o.end) <= before) keys.push(hoursKey(o.id));
    if (Date.parse(o.start) <= before) keys.push(hoursWarningKey(o.id));
  }
  return keys;
}

async function dropNamespace(redis: Redis, namespace: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

interface SizeFigures {
  runs: number;
  idleMs: number[];
  due: Array<{ at: string; expected: number; served: number | undefined; fired: number; ms: number }>;
  seedMs: number;
  planMs: number;
  historyMs: number;
  historyKeys: number;
  firstPassMs: number;
  memoryMb: number;
  errors: number;
}

async function measure(url: string, count: number, programmes: Map<string, Programme>): Promise<SizeFigures> {
  const namespace = `sbbench-tick-${randomUUID()}`;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const store = new RedisStore(new Redis(url, { maxRetriesPerRequest: null }), { id: () => randomUUID(), next: seeded(7) }, namespace);
  let now = new Date(DAY);
  const clock: Clock = { now: () => new Date(now) };
  let errors = 0;
  const logger: Logger = { info: () => {}, warn: () => {}, error: (fields, message) => void (errors++ < 5 && console.error('  error:', message, fields)) };
  const deps = {
    store,
    claims: new RedisClaims(redis, namespace),
    outbox: new RedisOutbox(redis, namespace),
    programmes,
    clock,
    random: { id: () => randomUUID(), next: seeded(8) },
    logger,
    owner: 'bench',
  };
  const timed = async (at: number) => {
    now = new Date(at);
    const t0 = performance.now();
    const result = await tick(deps);
    return { ms: performance.now() - t0, result };
  };

  try {
    const runs = buildRuns(count, [...programmes.values()]);
    let t0 = performance.now();
    for (let i = 0; i < runs.length; i += BATCH) await Promise.all(runs.slice(i, i + BATCH).map((run) => store.saveRun(run)));
    const seedMs = performance.now() - t0;

    // Planning is CPU and cached per start and programme, as in a running server: done (and timed) apart.
    t0 = performance.now();
    for (const run of runs) planOf(run, programmes.get(run.programmeId)!);
    const planMs = performance.now() - t0;

    t0 = performance.now();
    let historyKeys = 0;
    for (let i = 0; i < runs.length; i += BATCH) {
      const pipeline = redis.pipeline();
      for (const run of runs.slice(i, i + BATCH)) {
        const keys = firedBefore(run, programmes.get(run.programmeId)!, DAY);
        historyKeys += keys.length;
        if (keys.length > 0) pipeline.sadd(keysFor(run.team, namespace).fired, ...keys);
      }
      await pipeline.exec();
    }
    const historyMs = performance.now() - t0;

    // The day's instants: which runs have something at each, and the moment before each (the catch-up tick's).
    const dayEnd = DAY + DAY_MS;
    const runsAt = new Map<number, number>();
    const moments = new Set<number>();
    const today = (t: number) => t > DAY && t < dayEnd;
    for (const run of runs) {
      const { due, all } = instantsOf(run, programmes.get(run.programmeId)!);
      for (const t of new Set(due.filter(today))) runsAt.set(t, (runsAt.get(t) ?? 0) + 1);
      for (const t of all) if (today(t)) moments.add(t);
    }
    const instants = [...runsAt.keys()];
    const sortedMoments = [...moments].sort((a, b) => a - b);
    const target = count / 100;
    const chosen = instants
      .sort((a, b) => Math.abs(runsAt.get(a)! - target) - Math.abs(runsAt.get(b)! - target) || a - b)
      .slice(0, DUE_TICKS)
      .sort((a, b) => a - b);
    const before = (t: number) => sortedMoments.filter((x) => x < t).at(-1) ?? DAY;

    const first = await timed(DAY);
    const firstPassMs = first.ms;
    const idleMs: number[] = [];
    for (let i = 0; i < IDLE_AT_MIDNIGHT; i++) {
      const idle = await timed(DAY);
      if (idle.result.fired.length > 0) throw new Error(`an idle tick fired ${idle.result.fired.length}`);
      idleMs.push(idle.ms);
    }
    const due: SizeFigures['due'] = [];
    for (const at of chosen) {
      await timed(before(at));
      const idle = await timed(before(at));
      if (idle.result.fired.length > 0) throw new Error(`an idle tick fired ${idle.result.fired.length}`);
      idleMs.push(idle.ms);
      const { ms, result } = await timed(at);
      due.push({ at: new Date(at).toISOString(), expected: runsAt.get(at)!, served: (result as { runs?: number }).runs, fired: result.fired.length + result.hoursBooked.length, ms });
    }
    const memory = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
    return { runs: count, idleMs, due, seedMs, planMs, historyMs, historyKeys, firstPassMs, memoryMb: Number(memory ?? 0) / 2 ** 20, errors };
  } finally {
    await dropNamespace(redis, namespace);
    await store.close();
    await redis.quit();
  }
}

async function main() {
  const sizes = args();
  const programmes = loadProgrammes();
  const server = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const url = process.env['REDIS_URL'] ?? server!.url;
  console.log(
    `bench:tick: one scheduler tick over ${sizes.map((n) => n.toLocaleString('en')).join(', ')} runs (${programmes.size} programmes, starts over ${YEAR.from}..${YEAR.to}, 4-7 members each)`,
  );
  console.log(`Redis: ${process.env['REDIS_URL'] ? 'REDIS_URL' : 'a private redis-server'}; ${os.cpus().length} cores; load average at start ${load()}`);
  const figures: SizeFigures[] = [];
  try {
    for (const count of sizes) {
      const f = await measure(url, count, programmes);
      figures.push(f);
      console.log(`\n${count.toLocaleString('en')} runs (load average ${load()})`);
      console.log(
        `  seeded in ${seconds(f.seedMs)} (saveRun, ${BATCH.toLocaleString('en')} at a time); plans not yet cached made in ${seconds(f.planMs)}; history: ${f.historyKeys.toLocaleString('en')} fired keys in ${seconds(f.historyMs)}; Redis holds ${f.memoryMb.toFixed(0)} MB`,
      );
      console.log(`  first tick, every run due (as at start-up): ${seconds(f.firstPassMs)}`);
      console.log(`  idle tick (nothing due): median ${round(median(f.idleMs))} ms of ${f.idleMs.length} [${f.idleMs.map(round).join(', ')}]`);
      for (const d of f.due) {
        console.log(
          `  due tick at ${d.at}: ${d.expected} runs with something due (${((100 * d.expected) / count).toFixed(2)}%), ${d.served ?? '?'} served, ${d.fired} sends and bookings: ${round(d.ms)} ms`,
        );
      }
      console.log(`  due tick: median ${round(median(f.due.map((d) => d.ms)))} ms`);
      if (f.errors > 0) console.log(`  ${f.errors} errors logged`);
    }
  } finally {
    if (server) {
      await server.stop();
      removeServerFolder(server);
    }
  }
  const idle = figures.map((f) => median(f.idleMs));
  if (figures.length > 1) {
    const growth = figures
      .slice(1)
      .map(
        (f, i) =>
          `${(median(f.idleMs) / idle[i]!).toFixed(2)}x idle, ${(median(f.due.map((d) => d.ms)) / median(figures[i]!.due.map((d) => d.ms))).toFixed(2)}x due for ${(f.runs / figures[i]!.runs).toFixed(0)}x runs`,
      );
    console.log(`\ngrowth: ${growth.join('; ')}`);
  }
  const idle10k = figures.find((f) => f.runs === 10_000);
  if (idle10k) console.log(`target: idle tick over 10,000 runs <= 250 ms: ${round(median(idle10k.idleMs))} ms, ${median(idle10k.idleMs) <= 250 ? 'met' : 'MISSED'}`);
  console.log(`load average at end ${load()}`);
  console.log(JSON.stringify({ runs: figures.map((f) => f.runs), idleTickMs: idle.map(round), dueTickMs: figures.map((f) => round(median(f.due.map((d) => d.ms)))) }));
  if (figures.some((f) => f.errors > 0)) process.exitCode = 1;
}

await main();
