// What the phases measure besides the load's own answers: the CPU each process used, and the answers the fake
// received at response_url.
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeCounts } from './children.ts';
import { OUTER_LIMIT_MS } from './config.ts';
import { ask, type Message } from './ipc.ts';
import type { Children } from './setup.ts';

export type CpuPercents = { server: number; worker: number; client: number };

// The CPU the server process, the worker and this one (the load) used while measuring, in % of one core.
export async function cpuMeter({ serverProcess, workerProcess }: Children): Promise<() => Promise<CpuPercents>> {
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
}

// Answers at response_url: counted by the fake; `expected` is every 200 ack from our server so far.
export class Answers {
  expected = 0;
  readonly fakeProcess: ChildProcess;
  constructor(fakeProcess: ChildProcess) {
    this.fakeProcess = fakeProcess;
  }
  counts() {
    return ask<Message & FakeCounts>(this.fakeProcess, 'counts', { type: 'count' });
  }
  async allAnswered(what: string) {
    const started = performance.now();
    let seen = await this.counts();
    while (seen.statusCards + seen.otherAnswers < this.expected) {
      if (performance.now() - started > OUTER_LIMIT_MS) {
        console.error(`gave up waiting for ${what} after ${OUTER_LIMIT_MS} ms: ${seen.statusCards + seen.otherAnswers} of ${this.expected} answers`);
        break;
      }
      await sleep(20);
      seen = await this.counts();
    }
    return { seen, ms: performance.now() - started };
  }
}
