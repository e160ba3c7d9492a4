// Phase 1: delivery loops in this process (startDelivery, as production runs it), instrumented, against the
// fake Bot Connector at Teams' limits with faults injected.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDelivery } from '../../src/delivery/loop.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { connectBench } from '../../test/support/bench-redis.ts';
import { type AcceptedMessage, type FakeBotConnectorOptions, type RejectedRequest, startFakeBotConnector } from '../../test/support/fake-bot-connector.ts';
import { cpuMsOf } from './child-cpu.ts';
import { FAKE_IN_PROCESS, FAKE_SCRIPT, FAULTS, LATENCY_MS, OPTIONS, PHASE_LIMIT_MS, REDIS_OPTIONS, ROOT, WORKERS } from './config.ts';
import { deadLettersOf, enqueue, type Recipient, saveConversations } from './fan-out.ts';
import { instrumentedDeps, Probe } from './instrumented-ports.ts';
import { type FakeRecords, outcome } from './outcome.ts';
import { type Admin, commandDelta, waitUntilDrained } from './redis-admin.ts';

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

export async function inProcessPhase(url: string, admin: Admin, list: Recipient[]) {
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

export type InProcessResult = Awaited<ReturnType<typeof inProcessPhase>>;
