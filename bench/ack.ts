// `npm run bench:ack`: how fast the server acks Slack's `/sparring` slash command. Slack gives a command
// 3 s for its ack; ours acks first, then works out the answer and posts it to the command's response_url.
// Four processes: this one (the load and the figures); a child with the web process as `npm start` builds it
// with PROCESS_ROLE=web (on Redis, Slack on, its Web API at a fake: it acks and queues each command) and,
// beside it on its own port, a bare Bolt app whose command handler only acks (plain node http); a child with
// the command workers (PROCESS_ROLE=worker, at nice 10: it answers what the web process queued); and a
// child with the fake Slack Web API and response_url.
// (a) Signed `/sparring status` requests from staff members, open-loop at 200 per second (request i sent at
//     t0 + i·5 ms whatever the earlier ones did): the time from sending one to its HTTP answer (the ack),
//     p50 and p99; the answers posted to response_url are then awaited, all of them.
// (b) Throughput at full load, closed loop with CONCURRENCY requests in flight: ours and the bare app in
//     alternate rounds (ours, bare, ours, …), ROUNDS each; the medians and ours / bare. Ours is the web
//     process: its worker is paused (SIGSTOP) during the round, standing in for workers on other machines,
//     and answers the round's commands once resumed (all of them are awaited).
// (c) Ours again, ROUNDS rounds, with the worker answering on the same cores meanwhile.
// `-- --duration S`: (a) lasts S seconds (default 30) and each round of (b) S/6 (at least 1 s).
// Uses REDIS_URL if set, else a private redis-server; every key is under a random namespace, deleted at the
// end. Last line: one JSON object of the figures.
import { type ChildProcess, fork } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Logger, Run, TeamRef } from '../src/app/ports.ts';
import { startServer } from '../src/compose/server.ts';
import { loadConfig } from '../src/config.ts';
import { PLATFORM_LIMITS } from '../src/delivery/limits.ts';
import { connectDelivery } from '../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../src/store/redis/redis-store.ts';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { aRun } from '../test/support/plans.ts';
import { removeServerFolder, type RedisServer, startRedisServer, deleteNamespace } from '../test/support/redis-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../test/support/teams-activities.ts';

const SECRET = 'bench-ack-signing-secret-0123456789';
const RATE = 200;
const INTERVAL_MS = 1000 / RATE;
const CONCURRENCY = 32;
/** The worker process's niceness (0 normal, 19 lowest). */
const WORKER_NICE = 19;
const ROUNDS = 3;
const TEAM: TeamRef = { tenant: 'T1', team: 'C1' };
const STAFF = Array.from({ length: 10 }, (_, i) => `U${i + 2}`);
/** The programme's title: the status card names it, an error card does not. */
const PROGRAMME_TITLE = 'Teams-prøve';
/** A safeguard against a hang, not an expected duration. */
const OUTER_LIMIT_MS = 120_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

// ---------------------------------------------------------------------------------------------------------
// The children: each reports `ready` over IPC, answers the parent's messages, and closes on `stop`.

type Message = { type: string } & Record<string, unknown>;

interface FakeCounts {
  /** Ephemeral answers at response_url that are the status card. */
  statusCards: number;
  /** Any other post at response_url (an error card, say). */
  otherAnswers: number;
  /** Web API calls (the scheduler's posts). */
  apiCalls: number;
}

/** The fake Slack Web API and response_url, counting what arrives and forgetting the bodies (memory). */
async function fakeChild() {
  // The parent gone (it failed): nothing left to serve.
  process.once('disconnect', () => process.exit(0));
  const fake = await startFakeSlackApi();
  const counts: FakeCounts = { statusCards: 0, otherAnswers: 0, apiCalls: 0 };
  process.on('message', async (message: Message) => {
    if (message.type === 'count') {
      for (const call of fake.calls) {
        if (call.method !== 'response_url') counts.apiCalls++;
        else if (call.body['response_type'] === 'ephemeral' && JSON.stringify(call.body).includes(PROGRAMME_TITLE)) counts.statusCards++;
        else counts.otherAnswers++;
      }
      fake.calls.length = 0;
      process.send!({ type: 'counts', ...counts });
    } else if (message.type === 'stop') {
      await fake.close();
      process.send!({ type: 'stopped' });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready', url: fake.url });
}

/**
 * Our command workers (startServer with PROCESS_ROLE=worker): they answer the commands the web process
 * queued. At nice 10, standing in for the other replicas a deployment answers on: the acks come first.
 */
async function workerChild() {
  process.once('disconnect', () => process.exit(0));
  setPriority(WORKER_NICE);
  const env = JSON.parse(process.env['BENCH_ACK_ENV'] ?? '{}') as Record<string, string>;
  const silent: Logger = { info() {}, warn() {}, error() {} };
  const server = await startServer(loadConfig({ ...env, PROCESS_ROLE: 'worker' }), silent);
  process.on('message', async (message: Message) => {
    if (message.type === 'cpu') process.send!({ type: 'cpu', ...process.cpuUsage() });
    else if (message.type === 'stop') {
      await server.stop();
      process.send!({ type: 'stopped' });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready' });
}

/** Our server (startServer with PROCESS_ROLE=web: it acks and queues) and the bare Bolt app, each on its own port of plain node http. */
async function serverChild() {
  process.once('disconnect', () => process.exit(0));
  const env = JSON.parse(process.env['BENCH_ACK_ENV'] ?? '{}') as Record<string, string>;
  const logged = { error: 0, warn: 0, samples: [] as string[] };
  const note = (level: 'error' | 'warn', message: string) => {
    logged[level]++;
    if (logged.samples.length < 5) logged.samples.push(`${level}: ${message}`);
  };
  const logger: Logger = { info() {}, warn: (_fields, message) => note('warn', message), error: (_fields, message) => note('error', message) };
  const server = await startServer(loadConfig({ ...env, PROCESS_ROLE: 'web' }), logger);

  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bare = new App({ receiver, logLevel: LogLevel.ERROR, authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B1', botUserId: 'U0' }) });
  bare.command('/sparring', async ({ ack }) => {
    await ack();
  });
  const bareServer = createServer(receiver.app);
  await new Promise<void>((resolve) => bareServer.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/`;

  process.on('message', async (message: Message) => {
    if (message.type === 'logged') process.send!({ type: 'logged', ...logged });
    else if (message.type === 'cpu') process.send!({ type: 'cpu', ...process.cpuUsage() });
    else if (message.type === 'stop') {
      await server.stop();
      bareServer.closeAllConnections();
      await new Promise<void>((resolve) => bareServer.close(() => resolve()));
      process.send!({ type: 'stopped', ...logged });
      process.disconnect();
    }
  });
  process.send!({ type: 'ready', ours: server.url, bare: bareUrl });
}

// ---------------------------------------------------------------------------------------------------------
// The parent: IPC with the children.

function spawnChild(role: 'fake' | 'server' | 'worker', env: Record<string, string> = {}): ChildProcess {
  // fork keeps this process's execArgv: tsx's loader comes along.
  return fork(fileURLToPath(import.meta.url), [`--role=${role}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next message of `type` (after sending `send`, if given); rejects should the child exit first. */
function ask<T extends Message>(child: ChildProcess, type: string, send?: Message): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`a child process exited (${code}) before answering ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (send) child.send(send);
  });
}

async function stopChild(child: ChildProcess): Promise<Message | undefined> {
  if (child.exitCode !== null || !child.connected) return undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answer = await ask(child, 'stopped', { type: 'stop' }).catch(() => undefined);
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  return answer;
}

// ---------------------------------------------------------------------------------------------------------
// The load: signed slash commands over keep-alive sockets.

/** Slack's signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"), with the current timestamp. */
function signedHeaders(body: string): Record<string, string | number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

interface Target {
  url: URL;
  responseBase: string;
}

let sequence = 0;
function commandBody(target: Target): string {
  const n = sequence++;
  return new URLSearchParams({
    token: 'legacy',
    team_id: TEAM.tenant,
    channel_id: TEAM.team,
    channel_name: 'sparring',
    user_id: STAFF[n % STAFF.length]!,
    user_name: 'bench',
    command: '/sparring',
    text: 'status',
    response_url: `${target.responseBase}/respond/${n}`,
    trigger_id: `trigger-${n}`,
    api_app_id: 'A1',
  }).toString();
}

interface Answer {
  status: number;
  /** From sending to the end of the HTTP answer. */
  ms: number;
  sentAt: number;
  error?: string;
}

function send(target: Target, agent: Agent): Promise<Answer> {
  const body = commandBody(target);
  const headers = signedHeaders(body);
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const req = request({ host: target.url.hostname, port: target.url.port, path: target.url.pathname, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sentAt, sentAt }));
      res.once('error', (error) => resolve({ status: 0, ms: performance.now() - sentAt, sentAt, error: error.message }));
    });
    req.once('error', (error) => resolve({ status: 0, ms: performance.now() - sentAt, sentAt, error: error.message }));
    req.end(body);
  });
}

const agentFor = (sockets: number) => new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

/** Open loop: request i at t0 + i·interval whatever became of the earlier ones. */
async function openLoop(target: Target, count: number) {
  const agent = agentFor(1024);
  const answers: Array<Promise<Answer>> = [];
  const lateness: number[] = [];
  const t0 = performance.now() + 20;
  let i = 0;
  while (i < count) {
    const now = performance.now();
    while (i < count && t0 + i * INTERVAL_MS <= now) {
      lateness.push(now - (t0 + i * INTERVAL_MS));
      answers.push(send(target, agent));
      i++;
    }
    if (i < count) await sleep(Math.max(0, t0 + i * INTERVAL_MS - performance.now()));
  }
  const done = await Promise.all(answers);
  agent.destroy();
  const fromSchedule = done.map((a, n) => a.sentAt + a.ms - (t0 + n * INTERVAL_MS));
  return { answers: done, lateness: lateness.sort((a, b) => a - b), fromSchedule: fromSchedule.sort((a, b) => a - b), wallMs: performance.now() - t0 };
}

/** Closed loop: `concurrency` requests in flight for `ms`; the answers that came back within it count. */
async function closedLoop(target: Target, concurrency: number, ms: number) {
  const agent = agentFor(concurrency);
  const started = performance.now();
  const deadline = started + ms;
  let inTime = 0;
  let acked = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const answer = await send(target, agent);
      if (answer.status === 200) acked++;
      else failed++;
      if (answer.sentAt + answer.ms <= deadline) inTime++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { rps: inTime / (ms / 1000), acked, failed };
}

// ---------------------------------------------------------------------------------------------------------

function durationArg(): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--duration' || a.startsWith('--duration='));
  if (at < 0) return 30;
  const raw = args[at]!.includes('=') ? args[at]!.slice('--duration='.length) : args[at + 1];
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--duration wants a number of seconds above 0, not ${raw}`);
  return seconds;
}

async function main() {
  const duration = durationArg();
  const roundMs = Math.max(1000, Math.round((duration * 1000) / 6));
  const loadBefore = load();
  const own: RedisServer | undefined = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const redisUrl = process.env['REDIS_URL'] ?? own!.url;
  const namespace = `bench-ack-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-bench-ack-'));
  writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
  const store = RedisStore.connect(redisUrl, { id: randomUUID, next: Math.random }, namespace);
  const delivery = connectDelivery(redisUrl, PLATFORM_LIMITS, namespace);
  const children: ChildProcess[] = [];

  try {
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

    // The CPU the server process, the worker and this one (the load) used while measuring, in % of one core.
    const cpuMeter = async () => {
      const cpuOf = (child: ChildProcess) => ask<Message & NodeJS.CpuUsage>(child, 'cpu', { type: 'cpu' }).then((u) => u.user + u.system);
      const serverBefore = await cpuOf(serverProcess);
      const workerBefore = await cpuOf(workerProcess);
      const clientBefore = process.cpuUsage();
      const started = performance.now();
      return async () => {
        const serverAfter = await cpuOf(serverProcess);
        const workerAfter = await cpuOf(workerProcess);
        const client = process.cpuUsage(clientBefore);
        const wallUs = (performance.now() - started) * 1000;
        const percent = (us: number) => Math.round((us / wallUs) * 100);
        return { server: percent(serverAfter - serverBefore), worker: percent(workerAfter - workerBefore), client: percent(client.user + client.system) };
      };
    };
    // Answers at response_url: counted by the fake; `expected` is every 200 ack from our server so far.
    let expected = 0;
    const counts = () => ask<Message & FakeCounts>(fakeProcess, 'counts', { type: 'count' });
    const allAnswered = async (what: string) => {
      const started = performance.now();
      let seen = await counts();
      while (seen.statusCards + seen.otherAnswers < expected) {
        if (performance.now() - started > OUTER_LIMIT_MS) {
          console.error(`gave up waiting for ${what} after ${OUTER_LIMIT_MS} ms: ${seen.statusCards + seen.otherAnswers} of ${expected} answers`);
          break;
        }
        await sleep(20);
        seen = await counts();
      }
      return { seen, ms: performance.now() - started };
    };

    // The start-up tick catches up on today's occurrences and delivery posts them: let that settle first.
    let stableSince = performance.now();
    let last = '';
    for (const started = performance.now(); performance.now() - stableSince < 1000 && performance.now() - started < OUTER_LIMIT_MS; ) {
      const now = JSON.stringify([(await delivery.claims.fired(TEAM)).size, await delivery.outbox.pending()]);
      if (now !== last || !now.endsWith(',0]')) stableSince = performance.now();
      last = now;
      await sleep(50);
    }

    // Warm-up, not counted: both apps at full load for a moment, our answers all in.
    const warmUpMs = Math.min(1000, roundMs);
    for (const target of [ours, bare]) {
      const warm = await closedLoop(target, CONCURRENCY, warmUpMs);
      if (target === ours) expected += warm.acked;
    }
    const beforeA = (await allAnswered('the warm-up’s answers')).seen;

    // (a) Open loop at RATE per second.
    const count = Math.round(duration * RATE);
    const cpuA = await cpuMeter();
    const a = await openLoop(ours, count);
    const aCpu = await cpuA();
    const acks = a.answers.filter((x) => x.status === 200).length;
    const non200 = a.answers.length - acks;
    const socketErrors = a.answers.filter((x) => x.error).length;
    expected += acks;
    const drainA = await allAnswered('the answers of (a)');
    const answered = drainA.seen.statusCards - beforeA.statusCards;
    const otherAnswersA = drainA.seen.otherAnswers - beforeA.otherAnswers;
    const times = a.answers.map((x) => x.ms).sort((x, y) => x - y);
    const loadAfterA = load();

    // (b) Closed loop, alternating: our web process alone (its workers paused, SIGSTOP, as if they ran on
    // other machines; they answer the round's commands once resumed) and the bare app.
    type Round = { app: 'ours' | 'bare' | 'ours+worker'; rps: number; failed: number; cpu: { server: number; worker: number; client: number }; drainMs?: number };
    const rounds: Round[] = [];
    const oursRound = async (app: 'ours' | 'ours+worker') => {
      const paused = app === 'ours';
      const cpuOurs = await cpuMeter();
      if (paused) workerProcess.kill('SIGSTOP');
      const o = await closedLoop(ours, CONCURRENCY, roundMs);
      if (paused) workerProcess.kill('SIGCONT');
      const oursCpu = await cpuOurs();
      expected += o.acked;
      const drained = await allAnswered('the answers of a round');
      rounds.push({ app, rps: round(o.rps), failed: o.failed, cpu: oursCpu, drainMs: Math.round(drained.ms) });
    };
    for (let r = 0; r < ROUNDS; r++) {
      await oursRound('ours');
      const cpuBare = await cpuMeter();
      const b = await closedLoop(bare, CONCURRENCY, roundMs);
      rounds.push({ app: 'bare', rps: round(b.rps), failed: b.failed, cpu: await cpuBare() });
    }
    // (c) Ours again with its workers answering on the same two cores meanwhile: the whole deployment on one machine.
    for (let r = 0; r < ROUNDS; r++) await oursRound('ours+worker');
    const final = (await allAnswered('the answers of (b)')).seen;
    const rps = median(rounds.filter((x) => x.app === 'ours').map((x) => x.rps));
    const bareRps = median(rounds.filter((x) => x.app === 'bare').map((x) => x.rps));
    const rpsWithWorker = median(rounds.filter((x) => x.app === 'ours+worker').map((x) => x.rps));
    const failedB = rounds.reduce((sum, x) => sum + x.failed, 0);
    const serverLogged = await ask<Message>(serverProcess, 'logged', { type: 'logged' });

    const figures = {
      p50Ms: round(percentile(times, 50), 2),
      p99Ms: round(percentile(times, 99), 2),
      rps,
      bareRps,
      ratio: round(rps / bareRps, 3),
      rpsWithWorker,
      ratioWithWorker: round(rpsWithWorker / bareRps, 3),
      requests: count,
      acks,
      errors: non200,
      answered,
      maxMs: round(times.at(-1)!, 2),
      p99FromScheduleMs: round(percentile(a.fromSchedule, 99), 2),
      concurrency: CONCURRENCY,
      roundSeconds: roundMs / 1000,
      rounds: rounds.filter((x) => x.app !== 'ours+worker').map((x) => x.rps),
      roundsWithWorker: rounds.filter((x) => x.app === 'ours+worker').map((x) => x.rps),
      failedInRounds: failedB,
      answeredInRounds: final.statusCards - drainA.seen.statusCards,
      loadAverage: loadBefore,
    };
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('Slack slash command ack: signed `/sparring status` POSTed to /slack/events (Bolt 5 on ExpressReceiver)');
    console.log('  our server: startServer with PROCESS_ROLE=web (Redis, Slack on) and a worker process (PROCESS_ROLE=worker, nice 10) answering');
    console.log('  at response_url (a fake in its own process), one run in');
    console.log(`  T1/C1 (teams-test programme, 1 leader + ${STAFF.length} staff), commands from the staff in turn; the load from a third process,`);
    console.log('  node http with keep-alive sockets, a fresh signature per request');
    console.log(`  load average (1/5/15 min): ${loadBefore} at the start, ${loadAfterA} after (a), ${load()} at the end; 2 cores shared by all`);
    console.log(`(a) open loop at ${RATE} req/s for ${duration} s: ${count} requests sent, ${acks} acked 200, ${non200} not (${socketErrors} socket errors)`);
    console.log(`  ack time (send → HTTP answer): p50 ${figures.p50Ms} ms, p90 ${round(percentile(times, 90), 2)} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms`);
    console.log(`  from the scheduled send: p99 ${figures.p99FromScheduleMs} ms; the sender's lateness: p99 ${round(percentile(a.lateness, 99), 2)} ms, max ${round(a.lateness.at(-1)!, 2)} ms`);
    console.log(`  CPU while sending: server process ${aCpu.server}%, worker ${aCpu.worker}%, load process ${aCpu.client}% of a core`);
    console.log(`  answers at response_url: ${answered} status cards of ${acks} acked (${otherAnswersA} other answers), all in ${round(drainA.ms)} ms after the last ack`);
    const line = (x: Round) => {
      const drain = x.drainMs === undefined ? '' : `; its answers all in ${x.drainMs} ms after the round`;
      console.log(
        `  ${x.app.padEnd(11)} ${String(x.rps).padStart(8)} req/s${x.failed ? `, ${x.failed} not 200` : ''} (CPU: server ${x.cpu.server}%, worker ${x.cpu.worker}%, load ${x.cpu.client}% of a core)${drain}`,
      );
    };
    console.log(`(b) closed loop, ${CONCURRENCY} in flight, ${ROUNDS} rounds of ${roundMs / 1000} s each, alternating (after a warm-up of each); ours = the web process, its worker paused:`);
    for (const x of rounds.filter((r) => r.app !== 'ours+worker')) line(x);
    console.log(`  median: ours ${rps} req/s, bare Bolt app ${bareRps} req/s, ratio ${figures.ratio}`);
    console.log(`(c) the same load on ours with its worker answering meanwhile on the same cores (nice ${WORKER_NICE}):`);
    for (const x of rounds.filter((r) => r.app === 'ours+worker')) line(x);
    console.log(`  median: ${rpsWithWorker} req/s, ${figures.ratioWithWorker} of the bare app; ${figures.answeredInRounds} answers posted in (b) and (c)`);
    console.log(
      `  server log lines: ${serverLogged['error']} errors, ${serverLogged['warn']} warnings${(serverLogged['samples'] as string[]).length ? ` (${(serverLogged['samples'] as string[]).join('; ')})` : ''}`,
    );
    console.log(`targets: p99 ack < 100 ms at ${RATE} req/s: ${met(figures.p99Ms < 100)}; ratio ≥ 0.8: ${met(figures.ratio >= 0.8)}`);
    console.log(JSON.stringify(figures));
    const allIn = answered === acks && final.statusCards + final.otherAnswers >= expected;
    if (non200 > 0 || failedB > 0 || !allIn || otherAnswersA > 0 || Number(serverLogged['error']) > 0) process.exitCode = 1;
  } finally {
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
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
const entry = role === 'fake' ? fakeChild : role === 'server' ? serverChild : role === 'worker' ? workerChild : main;
// On success everything is closed and Node exits by itself; on failure a connection may still be open.
entry().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
