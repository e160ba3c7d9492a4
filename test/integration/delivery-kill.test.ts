// A delivery worker SIGKILLed mid-fan-out, and another started after it: no recipient is lost, and
// only the sends in flight at the kill go out twice. Real processes (test/support/delivery-worker.ts),
// real botbuilder against the fake Bot Connector, real Redis, the real clock. The test waits on
// conditions, never on durations: it kills on the fake's own request callback and watches the outbox
// until the second worker has drained it, so a busy machine makes it slower, not red. The one wait on
// the clock is the product's recovery: the dead worker's items stay hidden until their lease runs out
// (hidden in turn behind the second worker's start-up).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import type { ConversationRef, TeamRef, WorkItem } from '../../src/app/ports.ts';
import { parseQueueMember, queueKey, SHARD_NUMBERS } from '../../src/store/keys.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { dropNamespace, newNamespace } from '../support/delivery.ts';
import { startFakeBotConnector, type AcceptedMessage, type FakeBotConnector } from '../support/fake-bot-connector.ts';
import { countingRandom } from '../support/stores.ts';
import { OUTER_LIMIT_MS, waitFor } from '../support/wait-for.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = 'test/support/delivery-worker.ts';

/** 10 tenants of 30: below Teams' 50 per second per tenant, which the worker keeps to, so nobody waits on a limit. */
const TENANTS = 10;
const PER_TENANT = 30;
const RECIPIENTS = TENANTS * PER_TENANT;
const KILL_AFTER = Math.round(RECIPIENTS / 3);
const CONCURRENCY = 4;
/**
 * Short, so the dead worker's sends come back soon: the second worker's start (2–3 s of node, tsx
 * and botbuilder, more on a busy machine) outlasts it, so it adds no time. A send slower than the
 * lease is no harm: the worker that holds it skips it when it comes back due (deliver.ts).
 */
const LEASE_MS = 1_000;
/**
 * A send that timed out would go out again: a duplicate the assertions rightly refuse. So the
 * timeout is far above what a send to the local fake takes even on a busy machine, not a few seconds.
 */
const SEND_TIMEOUT_MS = 60_000;
const OCCURRENCE = 'kickoff';
/** Each phase's outer limit, plus set-up and the checks: a run takes seconds, a busy one tens. */
const TEST_LIMIT_MS = 2 * OUTER_LIMIT_MS + 60_000;

const teamOf = (t: number): TeamRef => ({ tenant: `tenant-${t}`, team: 'team' });
const userOf = (t: number, u: number) => `29:user-${t}-${u}`;
/** What TeamsChannel sends as `channelData.sparringsbot.key` (see deliver.ts). */
const keyOf = (team: TeamRef, occurrenceId: string, recipient: string) => `${team.tenant}/${team.team}/${occurrenceId}/${recipient}`;
const sparringKey = (m: AcceptedMessage) => (m.activity['channelData'] as { sparringsbot?: { key?: string } } | undefined)?.sparringsbot?.key;

interface Worker {
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  stderr(): string;
  /** What it printed (one line per delivery pass), with when the test got each line. */
  lines: Array<{ at: number; line: string }>;
}

/**
 * `node --import tsx`, not `node_modules/.bin/tsx`: the tsx CLI runs the script in a child node
 * process of its own, and a SIGKILL of the CLI would leave that grandchild sending.
 */
function startWorker(namespace: string): Worker {
  const options = { redisUrl: inject('redisUrl'), namespace, concurrency: CONCURRENCY, leaseMs: LEASE_MS, maxAttempts: 3, backoffMs: 200, timeoutMs: SEND_TIMEOUT_MS };
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  const printed: Worker['lines'] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) printed.push({ at: Date.now(), line });
  });
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  return { child, exited, stderr: () => err, lines: printed };
}

const running = (w: Worker) => w.child.exitCode === null && w.child.signalCode === null;
const how = (w: Worker) => w.child.signalCode ?? `exit ${w.child.exitCode}`;

let namespace: string;
let fake: FakeBotConnector | undefined;
let workers: Worker[];
let closers: Array<() => Promise<unknown>>;

beforeEach(() => {
  namespace = newNamespace();
  fake = undefined;
  workers = [];
  closers = [];
});
afterEach(async () => {
  for (const w of workers) if (running(w)) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await Promise.all(closers.map((close) => close()));
  await fake?.close();
  await dropNamespace(namespace);
  // Stopping processes and dropping keys is quick, but vitest's 10 s default for a hook is a wall-clock deadline too.
}, OUTER_LIMIT_MS);

it(
  `loses no recipient and resends at most the ${CONCURRENCY} in flight when a worker is SIGKILLed mid-fan-out of ${RECIPIENTS}`,
  async ({ annotate }) => {
    const started = Date.now();
    const url = inject('redisUrl');
    const redis = new Redis(url);
    const store = RedisStore.connect(url, countingRandom(), namespace);
    closers.push(
      () => store.close(),
      () => redis.quit(),
    );
    const outbox = new RedisOutbox(redis, namespace);

    // The fake calls its clock once per request, after reading it and before answering: the only
    // per-request callback it offers. It stays the real clock; the callback also checks, right after the
    // request has been handled, whether the kill is due. So the kill lands the moment the fake accepts
    // send number KILL_AFTER, whose answer (latencyMs later) the killed worker then never gets.
    let onRequest = () => {};
    const generous = [{ limit: 1_000_000, windowMs: 1_000 }];
    fake = await startFakeBotConnector({
      now: () => {
        queueMicrotask(onRequest);
        return Date.now();
      },
      tenantLimits: generous,
      conversationLimits: generous,
      latencyMs: 5,
    });

    const items: Parameters<RedisOutbox['enqueue']>[0] = [];
    const allKeys: string[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const team = teamOf(t);
      for (let u = 0; u < PER_TENANT; u++) {
        const userId = userOf(t, u);
        const ref: ConversationRef = {
          platform: 'teams',
          key: userId,
          reference: {
            serviceUrl: fake.url,
            channelId: 'msteams',
            conversation: { id: `a:1conv-${t}-${u}`, tenantId: team.tenant, conversationType: 'personal' },
            bot: { id: 'bot' },
            user: { id: userId },
          },
        };
        await store.saveConversation(team, ref);
        items.push({ team, occurrenceId: OCCURRENCE, recipient: userId, card: { name: 'help', data: { commands: ['help'] }, locale: 'da', timeZone: 'Europe/Copenhagen' } });
        allKeys.push(keyOf(team, OCCURRENCE, userId));
      }
    }
    const enqueuedAt = Date.now();
    expect(await outbox.enqueue(items, enqueuedAt)).toBe(RECIPIENTS);

    // Phase 1: a worker fans out until the fake has accepted a third of the sends, then SIGKILL.
    const first = startWorker(namespace);
    workers.push(first);
    let killedAt = 0;
    let acceptedAtKill = 0;
    let killedMidAnswer: string | undefined;
    onRequest = () => {
      const accepted = fake!.accepted();
      if (accepted.length < KILL_AFTER || !running(first)) return;
      first.child.kill('SIGKILL');
      killedAt = Date.now();
      onRequest = () => {};
      acceptedAtKill = accepted.length;
      // Accepted in this same turn of the event loop: its answer is still latencyMs away.
      killedMidAnswer = sparringKey(accepted.at(-1)!);
    };
    await waitFor(
      () => {
        if (killedAt > 0) return true;
        if (!running(first)) throw new Error(`the first worker stopped (${how(first)}) before the kill: ${first.stderr()}`);
        return `${fake!.accepted().length} sends accepted; the worker printed ${first.lines.length} lines; stderr: ${first.stderr()}`;
      },
      { what: `the fake to accept ${KILL_AFTER} sends and the first worker's kill` },
    );
    expect(await first.exited).toBe('SIGKILL');

    // In flight at the kill, as the outbox sees it: items the dead worker had taken (their score moved
    // to take time + lease) and not recorded as sent. Untaken items still have their enqueue time.
    const shards = await Promise.all(SHARD_NUMBERS.map((shard) => redis.zrangebyscore(queueKey(shard, namespace), `(${enqueuedAt}`, '+inf')));
    const inFlight = shards.flat().map((member) => {
      const { team, occurrenceId, recipient } = parseQueueMember(member);
      return keyOf(team, occurrenceId, recipient);
    });

    // Phase 2: another worker. It finds the dead worker's items once their lease has run out; the test
    // watches the outbox until nothing is pending.
    const second = startWorker(namespace);
    workers.push(second);
    await waitFor(
      async () => {
        if (!running(second)) throw new Error(`the second worker stopped (${how(second)}) before the outbox was drained: ${second.stderr()}`);
        const pending = await outbox.pending();
        if (pending === 0) return true;
        const lastLines = second.lines.slice(-3).map((l) => ({ ...l, at: l.at - killedAt }));
        return `${pending} items pending; the worker printed ${second.lines.length} lines, the last ${JSON.stringify(lastLines)} (ms after the kill); stderr: ${second.stderr()}`;
      },
      { what: 'the second worker to drain the outbox' },
    );
    const drainedAt = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe('exit 0');

    const sends = fake.accepted().filter((m) => m.kind === 'send');
    const timesAccepted = new Map<string, number>();
    const idsByKey = new Map<string, Set<string>>();
    for (const m of sends) {
      const key = sparringKey(m) ?? '(no key)';
      timesAccepted.set(key, (timesAccepted.get(key) ?? 0) + 1);
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(m.activityId));
    }
    const duplicates = fake.duplicates();
    // Informational: a request the dead worker wrote just before the kill can reach the fake just after
    // it; the second worker needs seconds to start. 100 ms tells the two apart well enough for a report.
    const late = sends.filter((m) => m.at >= killedAt && m.at <= killedAt + 100);
    const resumed = sends.find((m) => m.at > killedAt + 100);
    const numbers = {
      recipients: RECIPIENTS,
      acceptedAtKill,
      inFlightAtKill: inFlight.length,
      duplicates: duplicates.length,
      accepted: sends.length,
      acceptedJustAfterKill: late.length,
      /** Kill to the second worker's first send: mostly its start-up (node, tsx, botbuilder). */
      resumedAfterMs: (resumed?.at ?? killedAt) - killedAt,
      killToDrainedMs: drainedAt - killedAt,
      totalMs: Date.now() - started,
    };
    console.info(`delivery-kill: ${JSON.stringify(numbers)} duplicated: ${JSON.stringify(duplicates)}`);
    await annotate(JSON.stringify({ ...numbers, duplicated: duplicates }));

    // No loss: every recipient's card was accepted at least once, and nothing else was sent.
    expect([...timesAccepted.keys()].sort()).toEqual([...allKeys].sort());
    // At most the ones in flight: the duplicates are among the items the dead worker held, which are
    // at most its concurrency; none went out more than twice. (No item waits on a rate limit here,
    // which would also put it in the future of the queue.)
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(duplicates.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(inFlight).toEqual(expect.arrayContaining(duplicates));
    expect(Math.max(...timesAccepted.values())).toBeLessThanOrEqual(2);
    // The kill really landed mid-send: the send accepted but not yet answered at the kill went out again.
    expect(killedMidAnswer).toBeDefined();
    expect(duplicates).toContain(killedMidAnswer);

    // Every item is recorded as sent, with the id of a message the fake accepted for that recipient.
    const stored: WorkItem[] = [];
    for (let t = 0; t < TENANTS; t++) {
      for (let u = 0; u < PER_TENANT; u++) {
        const item = await outbox.get(teamOf(t), OCCURRENCE, userOf(t, u));
        if (item) stored.push(item);
      }
    }
    expect(stored).toHaveLength(RECIPIENTS);
    expect(stored.filter((i) => i.state !== 'sent')).toEqual([]);
    expect(stored.filter((i) => !idsByKey.get(keyOf(i.team, i.occurrenceId, i.recipient))?.has(i.messageId ?? ''))).toEqual([]);
    for (let t = 0; t < TENANTS; t++) expect(await outbox.deadLetters(teamOf(t))).toEqual([]);
    expect(await outbox.pending()).toBe(0);
  },
  TEST_LIMIT_MS,
);
