// Phase 2: the same fan-out delivered by worker processes (test/support/delivery-worker.ts), one SIGKILLed
// mid-way and replaced, to count what a kill loses or duplicates.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { connectBench } from '../../test/support/bench-redis.ts';
import { startFakeBotConnector } from '../../test/support/fake-bot-connector.ts';
import { cpuMsOf } from './child-cpu.ts';
import { FAULTS, KILL_AT, KILL_JITTER_MS, KILL_OPTIONS, LATENCY_MS, PHASE_LIMIT_MS, REDIS_OPTIONS, ROOT, WORKER_SCRIPT, WORKERS } from './config.ts';
import { deadLettersOf, enqueue, type Recipient, saveConversations } from './fan-out.ts';
import { outcome } from './outcome.ts';
import { type Admin, waitUntilDrained } from './redis-admin.ts';

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

export async function killPhase(url: string, admin: Admin, list: Recipient[]) {
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

export type KillResult = Awaited<ReturnType<typeof killPhase>>;
