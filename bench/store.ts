// `npm run bench:store`: how fast RedisStore takes replies, how fast a summary reads them back, what
// a reply costs in Redis memory, and how that compares with a bare SET on the same connection; then
// what a reply costs the embedded store (its data file and journal) at 1,000 and at 10,000 replies.
// Uses REDIS_URL if set, else private redis-servers (one plain, one with AOF). Every key it writes is
// under its own random namespace and deleted at the end. `-- --embedded`: the embedded store only;
// `-- --redis`: Redis only.
// Last line: one JSON object of the figures.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { AnonymousReply, Random, ReplyToRecord, StoredReply, TeamRef } from '../src/app/ports.ts';
import type { Activity } from '../src/domain/programme/schema.ts';
import type { Answers } from '../src/domain/replies/reply.ts';
import { shuffleWith, summarise } from '../src/domain/replies/summary.ts';
import { loadProgrammes } from '../src/programmes/load.ts';
import { EmbeddedData } from '../src/store/embedded/embedded-data.ts';
import { EmbeddedReplies } from '../src/store/embedded/embedded-replies.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { encode, fingerprint } from '../src/store/values.ts';
import { removeServerFolder, startRedisServer, type RedisServer } from '../test/support/redis-server.ts';
import { seeded } from '../test/support/seeded.ts';

const REPLIES = 10_000;
const WORKERS = 200;
/** Ceiling and reply phases alternate this many times per server; figures are the median of the rounds. */
const ROUNDS = 5;
const WARM_UP = 1_000;
const PROGRAMME = 'odense-science-boernehoejde';
const ACTIVITY = 'spoergeskema-1';
/** A handful of occurrences of the questionnaire; the first holds half the replies. (`id:n` is how a repeated activity's occurrence is named.) */
const OCCURRENCES: Array<[id: string, replies: number]> = [
  ['spoergeskema-1', 5_000],
  ['spoergeskema-2', 2_000],
  ['spoergeskema-3', 1_500],
  ['spoergeskema-1:2', 1_000],
  ['spoergeskema-2:2', 500],
];
const BIG = OCCURRENCES[0]![0];
const THRESHOLD = 5;
const REDIS_OPTIONS = { maxRetriesPerRequest: null }; // as RedisStore.connect

// ------------------------------------------------------------------------------------------------
// Deterministic data

const hex = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
const uuidLike = (next: () => number) => `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;

/**
 * The store's ids (anonymous reply ids) as in production: UUID-sized, but repeatable, and about as
 * cheap as `randomUUID` (a counter after a seeded prefix), so the client's CPU per reply is the store's.
 */
function seededRandom(seed: number): Random {
  const next = seeded(seed);
  const prefix = uuidLike(next).slice(0, 24);
  let n = 0;
  return { id: () => `${prefix}${(n++).toString(16).padStart(12, '0')}`, next };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

const OPENINGS = [
  'Jeg har brug for mere tid til at forberede',
  'Vi mangler materialer og et fast sted til',
  'Det ville hjælpe mig at få sparring med en kollega om',
  'Jeg savner konkrete eksempler på',
  'Der skal være bedre plads i hverdagen til',
  'Vi har brug for fælles aftaler i huset om',
  'Jeg vil gerne lære mere om',
  'Det kræver ro og færre afbrydelser at arbejde med',
];
const TOPICS = [
  'undersøgende aktiviteter på legepladsen',
  'små forsøg med vand, is og sne',
  'naturfaglige samtaler med de yngste børn',
  'matematik i garderoben og ved frokosten',
  'ture i skoven, hvor børnene selv stiller spørgsmål',
  'lup, spande og bøger om smådyr',
  'at dokumentere børnenes undersøgelser',
  'legestemninger, der åbner for nysgerrighed',
];
const ENDINGS = [
  'så det ikke kun bliver noget, vi gør, når der er tid til overs.',
  'og gerne med en kort introduktion på et personalemøde.',
  'fordi børnene tydeligt bliver optaget af det.',
  'så vi kan holde fast i det efter forløbet.',
  'og det skal kunne lade sig gøre med få voksne på stuen.',
  'hvis vi skal lykkes med det sammen.',
];

/** Danish free text, 80–200 characters. */
function freeText(next: () => number): string {
  let text = `${pick(next, OPENINGS)} ${pick(next, TOPICS)}, ${pick(next, ENDINGS)}`;
  while (text.length < 80) text = `${text} ${pick(next, OPENINGS)} ${pick(next, TOPICS)}.`;
  if (text.length > 200) text = `${text.slice(0, 199).replace(/\s+\S*$/, '')}.`;
  return text;
}

/** Scale answers leaning towards 3–4, as self-efficacy items do before a programme. */
const SCALE_WEIGHTS = [0.08, 0.2, 0.34, 0.28, 0.1];
function scale(next: () => number): string {
  let r = next();
  for (let i = 0; i < SCALE_WEIGHTS.length; i++) {
    r -= SCALE_WEIGHTS[i]!;
    if (r < 0) return String(i + 1);
  }
  return '5';
}

function buildReplies(activity: Activity): ReplyToRecord[] {
  const next = seeded(20_260_801);
  // Staff: our user id (an Entra object id) and the Teams id; the same people answer every occurrence.
  const staff = Array.from({ length: Math.max(...OCCURRENCES.map(([, n]) => n)) }, () => ({
    userId: uuidLike(next),
    platform: 'teams' as const,
    platformUserId: `29:1${hex(next, 20)}-${hex(next, 22)}-${hex(next, 14)}`,
  }));
  const replies: ReplyToRecord[] = [];
  OCCURRENCES.forEach(([occurrenceId, count], o) => {
    const opens = Date.parse('2026-08-03T07:00:00Z') + o * 60 * 86_400_000;
    for (let i = 0; i < count; i++) {
      const values: Record<string, string> = {};
      for (const q of activity.questions) values[q.id] = q.answer === 'scale' ? scale(next) : freeText(next);
      const at = new Date(opens + Math.floor(next() * 14 * 86_400_000)).toISOString();
      replies.push({
        occurrenceId,
        respondent: staff[i]!,
        answers: { outcome: 'answered', values },
        at,
        anonymous: (i + o) % 2 === 0, // half each, in every occurrence
        day: new Date(Date.parse(at) + 2 * 3_600_000).toISOString().slice(0, 10), // Copenhagen, summer time
      });
    }
  });
  return shuffleWith(next)(replies); // occurrences interleave, as submissions from many people do
}

/** The JSON the store writes for a reply (same shape as RedisStore builds), for the ceiling's value size. */
function storedJson(reply: ReplyToRecord): string {
  if (reply.anonymous) {
    const stored: AnonymousReply = { occurrenceId: reply.occurrenceId, outcome: reply.answers.outcome, values: reply.answers.values, day: reply.day };
    return encode(stored);
  }
  return encode({ occurrenceId: reply.occurrenceId, respondent: reply.respondent, ...reply.answers, at: reply.at, fp: fingerprint(reply.answers) });
}

// ------------------------------------------------------------------------------------------------
// Measuring

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface WriteStats {
  perSec: number;
  p50: number;
  p99: number;
  /** CPU µs per operation, this process and the server, over the timed phase. */
  cpu?: { client: number; server: number };
}

/** `count` tasks taken in turn from a shared counter by `workers` concurrent workers; per-task latency. */
async function timedWorkers(count: number, workers: number, task: (i: number) => Promise<void>): Promise<WriteStats> {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      await task(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const wall = performance.now() - start;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { perSec: (count / wall) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

class Admin {
  readonly redis: Redis;
  private readonly namespaces = new Set<string>();
  constructor(url: string) {
    this.redis = new Redis(url, REDIS_OPTIONS);
  }

  namespace(base: string, suffix: string) {
    const ns = `${base}${suffix}`;
    this.namespaces.add(ns);
    return ns;
  }

  async keys(ns: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  async drop(ns: string) {
    const keys = await this.keys(ns);
    for (let i = 0; i < keys.length; i += 1000) await this.redis.del(...keys.slice(i, i + 1000));
    this.namespaces.delete(ns);
  }

  async dropAll() {
    for (const ns of [...this.namespaces]) await this.drop(ns);
  }

  async usedMemory(): Promise<number> {
    await sleep(150); // let the server's cron shrink client buffers from the last burst
    return Number(/used_memory:(\d+)/.exec(await this.redis.info('memory'))?.[1] ?? NaN);
  }

  /** INFO commandstats as command → { calls, usec }. */
  async commandStats(): Promise<Map<string, { calls: number; usec: number }>> {
    const stats = new Map<string, { calls: number; usec: number }>();
    for (const m of (await this.redis.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+),usec=(\d+)/g)) stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
    return stats;
  }

  /** The server's CPU time so far (user + system, all its threads), in µs. */
  async serverCpu(): Promise<number> {
    const info = await this.redis.info('cpu');
    const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return (get('used_cpu_user') + get('used_cpu_sys')) * 1e6;
  }

  async close() {
    await this.redis.quit();
  }
}

/** CPU µs per operation of this process and of the server over a phase. */
async function cpuPerOp<T>(admin: Admin, ops: number, phase: () => Promise<T>): Promise<[T, { client: number; server: number }]> {
  const server0 = await admin.serverCpu();
  const client0 = process.cpuUsage();
  const result = await phase();
  const client = process.cpuUsage(client0);
  const server = (await admin.serverCpu()) - server0;
  return [result, { client: (client.user + client.system) / ops, server: server / ops }];
}

function statsDelta(before: Map<string, { calls: number; usec: number }>, after: Map<string, { calls: number; usec: number }>, skip: string[]) {
  return [...after]
    .map(([cmd, a]) => ({ cmd, calls: a.calls - (before.get(cmd)?.calls ?? 0), usec: a.usec - (before.get(cmd)?.usec ?? 0) }))
    .filter((d) => d.calls > 0 && !skip.includes(d.cmd))
    .sort((a, b) => b.usec - a.usec);
}

// ------------------------------------------------------------------------------------------------
// Phases

const TEAM: TeamRef = { tenant: '8f3c2a51-6d0e-4b7a-9c21-5e4f7a0b9d13', team: '19:3kq8Xw2VbN7mRt5pLz0aYc1uHd6eJf4s@thread.tacv2' };

async function ceilingPhase(url: string, admin: Admin, ns: string, value: string) {
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

async function writePhase(url: string, admin: Admin, ns: string, replies: ReplyToRecord[], count = replies.length) {
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

interface SummaryTiming {
  readMs: number;
  summariseMs: number;
  totalMs: number;
  replies: number;
}

async function timeSummary(store: RedisStore, activity: Activity, occurrences: string[]): Promise<SummaryTiming> {
  const shuffle = shuffleWith(seeded(5));
  let readMs = 0;
  let summariseMs = 0;
  let replies = 0;
  const start = performance.now();
  for (const occurrenceId of occurrences) {
    const t0 = performance.now();
    const [anonymous, named] = await Promise.all([store.anonymousReplies(TEAM, occurrenceId), store.namedReplies(TEAM, occurrenceId)]);
    const t1 = performance.now();
    const answers: Answers[] = [...anonymous, ...named].map((r: AnonymousReply | StoredReply) => ({ outcome: r.outcome, values: r.values }));
    // Closed long ago: the whole summary, as the channel gets it after the close.
    const summary = summarise({
      activity,
      locale: 'da',
      invited: answers.length,
      answers,
      anonymous: activity.anonymous,
      threshold: THRESHOLD,
      shuffle,
      closesAt: '1970-01-01T00:00:00Z',
      now: new Date(),
    });
    const t2 = performance.now();
    if (summary.answered !== answers.length || summary.items.length !== activity.questions.length) throw new Error('unexpected summary');
    readMs += t1 - t0;
    summariseMs += t2 - t1;
    replies += answers.length;
  }
  return { readMs, summariseMs, totalMs: performance.now() - start, replies };
}

/** MEMORY USAGE of every key of the namespace, grouped by what the key is. */
async function memoryByKind(admin: Admin, ns: string) {
  const keys = await admin.keys(ns);
  const pipeline = admin.redis.pipeline();
  for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
  const sizes = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v));
  const kinds = new Map<string, { keys: number; bytes: number; biggest: number; biggestKey: string }>();
  keys.forEach((key, i) => {
    const rest = key.slice(ns.length + 1);
    const kind = rest === 'teams' ? 'teams' : (rest.split('}:')[1]?.split(':')[0] ?? rest);
    const size = sizes[i] ?? 0;
    const k = kinds.get(kind) ?? { keys: 0, bytes: 0, biggest: 0, biggestKey: '' };
    k.keys++;
    k.bytes += size;
    if (size > k.biggest) {
      k.biggest = size;
      k.biggestKey = key;
    }
    kinds.set(kind, k);
  });
  return [...kinds].sort((a, b) => b[1].bytes - a[1].bytes);
}

/** Time the read path's parts for the big occurrence, one at a time, to see where the read time goes. */
async function readBreakdown(url: string, store: RedisStore, ns: string) {
  const raw = new Redis(url, REDIS_OPTIONS);
  await raw.ping();
  const tag = `{${encodeURIComponent(TEAM.tenant)}:${encodeURIComponent(TEAM.team)}}`;
  const time = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const best = async (f: () => Promise<unknown>) => Math.min(await time(f), await time(f), await time(f));
  const occ = encodeURIComponent(BIG);
  const result = {
    anonymousReplies: await best(() => store.anonymousReplies(TEAM, BIG)),
    namedReplies: await best(() => store.namedReplies(TEAM, BIG)),
    zrangeAnonymous: await best(() => raw.zrange(`${ns}:${tag}:anonymous-answers:${occ}`, '0', '-1')),
    hgetallNamed: await best(() => raw.hgetall(`${ns}:${tag}:replies:${occ}`)),
  };
  await raw.quit();
  return result;
}

// ------------------------------------------------------------------------------------------------
// A server's run: warm-up, then ceiling and reply rounds alternating.

interface ServerRun {
  ceilings: Array<WriteStats & { bytesPerKey: number }>;
  writes: WriteStats[];
  bytesPerReply: number[];
  summaryAll: SummaryTiming[];
  summaryBig: SummaryTiming[];
  kinds?: Awaited<ReturnType<typeof memoryByKind>>;
  commands?: Array<{ cmd: string; calls: number; usec: number }>;
  ceilingCommands?: Array<{ cmd: string; calls: number; usec: number }>;
  breakdown?: Awaited<ReturnType<typeof readBreakdown>>;
  version: string;
  aof: string;
}

async function runOn(url: string, replies: ReplyToRecord[], value: string, activity: Activity, full: boolean): Promise<ServerRun> {
  const admin = new Admin(url);
  // Short, so key names are about as long as production's (`sb:`): key names are part of the memory measured.
  const base = `bs${randomUUID().slice(0, 6)}`;
  try {
    const info = await admin.redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    const aof = await admin.redis.config('GET', 'appendonly').then(
      (r) => String((r as string[])[1] ?? '?'),
      () => '?',
    );

    // Warm-up: connections, the scripts in the server's cache, the JIT on both paths.
    const warmNs = admin.namespace(base, 'w');
    await ceilingPhase(url, admin, admin.namespace(base, 'ws'), value);
    const warm = await writePhase(url, admin, warmNs, replies, WARM_UP);
    await timeSummary(
      warm.store,
      activity,
      OCCURRENCES.map(([id]) => id),
    );
    await warm.store.close();
    await admin.drop(warmNs);

    const run: ServerRun = { ceilings: [], writes: [], bytesPerReply: [], summaryAll: [], summaryBig: [], version, aof };
    for (let round = 1; round <= ROUNDS; round++) {
      const setNs = admin.namespace(base, `${round}s`);
      const s0 = await admin.commandStats();
      run.ceilings.push(await ceilingPhase(url, admin, setNs, value));
      if (round === 1) run.ceilingCommands = statsDelta(s0, await admin.commandStats(), ['info', 'scan', 'del', 'ping', 'quit', 'client']);

      const ns = admin.namespace(base, `${round}`);
      const written = await writePhase(url, admin, ns, replies);
      run.writes.push(written.stats);
      run.bytesPerReply.push(written.bytesPerReply);
      if (full) {
        run.summaryBig.push(await timeSummary(written.store, activity, [BIG]));
        run.summaryAll.push(
          await timeSummary(
            written.store,
            activity,
            OCCURRENCES.map(([id]) => id),
          ),
        );
        if (round === 1) {
          run.commands = written.commands;
          run.kinds = await memoryByKind(admin, ns);
          run.breakdown = await readBreakdown(url, written.store, ns);
        }
      }
      await written.store.close();
      await admin.drop(ns);
    }
    return run;
  } finally {
    await admin.dropAll();
    await admin.close();
  }
}

// ------------------------------------------------------------------------------------------------
// The embedded store: a reply's write as the data grows.

/** Timed writes after this many replies are stored. */
const EMBEDDED_AT = [1_000, 10_000] as const;
const EMBEDDED_TIMED = 200;

interface EmbeddedWindow {
  at: number;
  /** Per write, over the timed writes. */
  p50Ms: number;
  meanMs: number;
  p99Ms: number;
  /** Writing the data file whole at this size: what every write cost before the journal, and what folding the journal in costs now. */
  rewriteMs: number;
  fileBytes: number;
}

/** `count` more replies of the same kinds from people beyond the data set's, so each is a new write. */
function morePeople(replies: ReplyToRecord[], count: number): ReplyToRecord[] {
  return replies.slice(0, count).map((r) => ({ ...r, respondent: { ...r.respondent, userId: `${r.respondent.userId}-more` } }));
}

async function embeddedRun(replies: ReplyToRecord[]) {
  const dir = mkdtempSync(join(os.tmpdir(), 'sparring-bench-embedded-'));
  const file = join(dir, 'data.json');
  const data = new EmbeddedData(file);
  const store = new EmbeddedReplies(data, seededRandom(7));
  const windows: EmbeddedWindow[] = [];
  let written = 0;
  let totalMs = 0;
  const write = async (reply: ReplyToRecord) => {
    const t0 = performance.now();
    const outcome = await store.recordReply(TEAM, reply);
    const ms = performance.now() - t0;
    if (outcome !== 'created') throw new Error(`an embedded write was ${outcome}, not 'created': the data is wrong`);
    totalMs += ms;
    written++;
    return ms;
  };
  try {
    for (const at of EMBEDDED_AT) {
      while (written < at) await write(replies[written]!);
      const next = at + EMBEDDED_TIMED <= replies.length ? replies.slice(at, at + EMBEDDED_TIMED) : morePeople(replies, EMBEDDED_TIMED);
      const times: number[] = [];
      for (const reply of next) times.push(await write(reply));
      const t0 = performance.now();
      data.persist();
      const rewriteMs = performance.now() - t0;
      const sorted = [...times].sort((a, b) => a - b);
      windows.push({
        at,
        p50Ms: percentile(sorted, 50),
        meanMs: times.reduce((a, b) => a + b, 0) / times.length,
        p99Ms: percentile(sorted, 99),
        rewriteMs,
        fileBytes: statSync(file).size,
      });
    }
    data.close();
    return { windows, amortizedMs: totalMs / written, written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printEmbedded({ windows, amortizedMs, written }: Awaited<ReturnType<typeof embeddedRun>>) {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`Embedded store: the same replies into a data file and its journal (${os.tmpdir()}), one at a time; ${EMBEDDED_TIMED} writes timed at each size`);
  for (const w of windows) {
    console.log(
      `  at ${w.at.toLocaleString('en-US')} replies (${mb(w.fileBytes)})`.padEnd(32) +
        `write ${w.p50Ms.toFixed(3)} ms (mean ${w.meanMs.toFixed(3)}, p99 ${w.p99Ms.toFixed(3)})`.padEnd(44) +
        `the data file written whole: ${w.rewriteMs.toFixed(1)} ms (what every write cost before the journal)`,
    );
  }
  console.log(`  all ${written.toLocaleString('en-US')} writes, the data file written whole whenever the journal outgrew it: ${amortizedMs.toFixed(3)} ms a write`);
}

function embeddedFigures({ windows, amortizedMs }: Awaited<ReturnType<typeof embeddedRun>>) {
  const [at1k, at10k] = windows;
  const ms = (n: number | undefined) => Number((n ?? NaN).toFixed(3));
  return {
    embeddedWriteMsAt1k: ms(at1k?.p50Ms),
    embeddedWriteMsAt10k: ms(at10k?.p50Ms),
    embeddedAmortizedWriteMs: ms(amortizedMs),
    embeddedRewriteMsAt1k: ms(at1k?.rewriteMs),
    embeddedRewriteMsAt10k: ms(at10k?.rewriteMs),
  };
}

// ------------------------------------------------------------------------------------------------

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
  const jsonBytes = replies.map((r) => Buffer.byteLength(storedJson(r)));
  const meanJson = Math.round(jsonBytes.reduce((a, b) => a + b, 0) / jsonBytes.length);
  const typicalNamed = Math.round(median(replies.filter((r) => !r.anonymous).map((r) => Buffer.byteLength(storedJson(r)))));
  const typicalAnonymous = Math.round(median(replies.filter((r) => r.anonymous).map((r) => Buffer.byteLength(storedJson(r)))));
  const value = 'x'.repeat(meanJson);

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

  const figures = (run: ServerRun) => {
    const perSec = median(run.writes.map((w) => w.perSec));
    const ceiling = median(run.ceilings.map((c) => c.perSec));
    return {
      perSec,
      p50: median(run.writes.map((w) => w.p50)),
      p99: median(run.writes.map((w) => w.p99)),
      ceiling,
      ratio: perSec / ceiling,
      cp50: median(run.ceilings.map((c) => c.p50)),
      cp99: median(run.ceilings.map((c) => c.p99)),
    };
  };
  const f = figures(plain);
  const fa = aof ? figures(aof) : undefined;
  const all = {
    total: median(plain.summaryAll.map((s) => s.totalMs)),
    read: median(plain.summaryAll.map((s) => s.readMs)),
    summarise: median(plain.summaryAll.map((s) => s.summariseMs)),
  };
  const big = {
    total: median(plain.summaryBig.map((s) => s.totalMs)),
    read: median(plain.summaryBig.map((s) => s.readMs)),
    summarise: median(plain.summaryBig.map((s) => s.summariseMs)),
    replies: plain.summaryBig[0]?.replies ?? 0,
  };
  const bytesPerReply = median(plain.bytesPerReply);
  const bytesPerSet = median(plain.ceilings.map((c) => c.bytesPerKey));

  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const rounds = (xs: number[], fmt: (n: number) => string) => `rounds: ${xs.map(fmt).join(' · ')}`;
  const line = (label: string, figure: string, target = '', note = '') => console.log(`  ${label.padEnd(30)}${figure.padEnd(18)}${target.padEnd(20)}${note}`.trimEnd());

  console.log(`RedisStore benchmark: ${int(REPLIES)} replies (${OCCURRENCES.length} occurrences of ${ACTIVITY}, half anonymous), ${WORKERS} concurrent writers on one connection`);
  console.log(`  ${where}, Redis ${plain.version}, appendonly ${plain.aof}; median of ${ROUNDS} rounds (ceiling, replies, ceiling, replies, …)`);
  console.log(`  stored reply JSON: mean ${meanJson} bytes (median named ${typicalNamed}, anonymous ${typicalAnonymous}); ceiling value ${meanJson} bytes`);
  console.log('');
  line(
    'replies/s',
    int(f.perSec),
    '',
    rounds(
      plain.writes.map((w) => w.perSec),
      int,
    ),
  );
  line(
    'write p50 / p99',
    `${f.p50.toFixed(2)} / ${ms(f.p99)}`,
    '',
    `${rounds(
      plain.writes.map((w) => w.p99),
      (n) => n.toFixed(1),
    )} (p99)`,
  );
  line(
    `summary, all ${int(REPLIES)}`,
    ms(all.total),
    'target: < 200 ms',
    `read ${ms(all.read)} + summarise ${ms(all.summarise)}; ${rounds(
      plain.summaryAll.map((s) => s.totalMs),
      (n) => n.toFixed(1),
    )}`,
  );
  line(`summary, one occ. (${int(big.replies)})`, ms(big.total), '', `read ${ms(big.read)} + summarise ${ms(big.summarise)}`);
  line('bytes/reply', int(bytesPerReply), 'target: < 1 KB', `${rounds(plain.bytesPerReply, int)}; a bare SET key of the same value: ${int(bytesPerSet)}`);
  line(
    'ceiling SET/s',
    int(f.ceiling),
    '',
    `p50 / p99 ${f.cp50.toFixed(2)} / ${ms(f.cp99)}; ${rounds(
      plain.ceilings.map((c) => c.perSec),
      int,
    )}`,
  );
  line('ratio replies/SET', f.ratio.toFixed(2), 'target: ≥ 0.5', `per round: ${plain.writes.map((w, i) => (w.perSec / plain.ceilings[i]!.perSec).toFixed(2)).join(' · ')}`);
  if (fa && aof) {
    console.log('');
    console.log(`  with AOF (appendfsync everysec), same rounds on a second private server:`);
    line(
      'replies/s',
      int(fa.perSec),
      '',
      rounds(
        aof.writes.map((w) => w.perSec),
        int,
      ),
    );
    line('write p50 / p99', `${fa.p50.toFixed(2)} / ${ms(fa.p99)}`);
    line(
      'ceiling SET/s',
      int(fa.ceiling),
      '',
      rounds(
        aof.ceilings.map((c) => c.perSec),
        int,
      ),
    );
    line('ratio replies/SET', fa.ratio.toFixed(2), 'target: ≥ 0.5', `per round: ${aof.writes.map((w, i) => (w.perSec / aof.ceilings[i]!.perSec).toFixed(2)).join(' · ')}`);
  } else {
    console.log(`\n  AOF run skipped: REDIS_URL given (its appendonly is ${plain.aof})`);
  }

  console.log('');
  const cpu = (xs: Array<WriteStats>) => {
    const c = xs.map((x) => x.cpu).filter((x) => x !== undefined);
    return `client ${median(c.map((x) => x.client)).toFixed(1)} µs + server ${median(c.map((x) => x.server)).toFixed(1)} µs`;
  };
  console.log(`  CPU per operation (medians): reply ${cpu(plain.writes)}; bare SET ${cpu(plain.ceilings)} (${os.availableParallelism()} CPUs shared by both)`);
  console.log(
    `  Server time per call (INFO commandstats, round 1; evalsha's time includes the commands it runs): ` +
      (plain.commands ?? [])
        .filter((c) => c.cmd !== 'get')
        .map((c) => `${c.cmd} ${c.calls}× ${(c.usec / c.calls).toFixed(1)} µs`)
        .join(', ') +
      `; bare set ${(plain.ceilingCommands ?? [])
        .filter((c) => c.cmd === 'set')
        .map((c) => `${(c.usec / c.calls).toFixed(1)} µs`)
        .join('')}`,
  );
  if (plain.breakdown) {
    const b = plain.breakdown;
    console.log(
      `  Reads of ${BIG} (best of 3): anonymousReplies ${ms(b.anonymousReplies)} (its ZRANGE alone ${ms(b.zrangeAnonymous)}), namedReplies ${ms(b.namedReplies)} (its HGETALL alone ${ms(b.hgetallNamed)})`,
    );
  }
  console.log(`  Memory by key kind (MEMORY USAGE, round 1; per reply = bytes / ${int(REPLIES)}):`);
  for (const [kind, k] of plain.kinds ?? []) {
    console.log(
      `    ${kind.padEnd(16)}${`${int(k.keys)} keys`.padStart(12)}${`${int(k.bytes)} B`.padStart(14)}${`${(k.bytes / REPLIES).toFixed(0)} B/reply`.padStart(14)}   biggest ${int(k.biggest)} B`,
    );
  }

  // After the Redis servers have stopped, so they take nothing from it.
  const embedded = process.argv.includes('--redis') ? undefined : await embeddedRun(replies);
  if (embedded) {
    console.log('');
    printEmbedded(embedded);
  }

  const round = (n: number, digits: number) => Number(n.toFixed(digits));
  console.log(
    JSON.stringify({
      repliesPerSec: Math.round(f.perSec),
      p50WriteMs: round(f.p50, 2),
      p99WriteMs: round(f.p99, 2),
      summaryMs: round(all.total, 1),
      bytesPerReply: Math.round(bytesPerReply),
      ceilingRatio: round(f.ratio, 2),
      ceilingPerSec: Math.round(f.ceiling),
      aof: fa ? { repliesPerSec: Math.round(fa.perSec), p50WriteMs: round(fa.p50, 2), p99WriteMs: round(fa.p99, 2) } : null,
      ...(embedded ? embeddedFigures(embedded) : {}),
    }),
  );
}

// On success everything is closed and Node exits by itself; on failure a store connection may still be open.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
