// (b) and (c): throughput at full load, closed loop with CONCURRENCY requests in flight, in rounds; ours
// against the bare Bolt app, then ours with its worker answering meanwhile.
import { CONCURRENCY, ROUNDS } from './config.ts';
import { closedLoop } from './load.ts';
import { type Answers, type CpuPercents, cpuMeter } from './measure.ts';
import type { Children } from './setup.ts';
import { median, round } from './stats.ts';

export type Round = { app: 'ours' | 'bare' | 'ours+worker'; rps: number; failed: number; cpu: CpuPercents; drainMs?: number };
export type ClosedPhase = Awaited<ReturnType<typeof closedPhase>>;

export async function closedPhase(children: Children, answers: Answers, roundMs: number) {
  const { ours, bare, workerProcess } = children;
  // (b) Closed loop, alternating: our web process alone (its workers paused, SIGSTOP, as if they ran on
  // other machines; they answer the round's commands once resumed) and the bare app.
  const rounds: Round[] = [];
  const oursRound = async (app: 'ours' | 'ours+worker') => {
    const paused = app === 'ours';
    const cpuOurs = await cpuMeter(children);
    if (paused) workerProcess.kill('SIGSTOP');
    const o = await closedLoop(ours, CONCURRENCY, roundMs);
    if (paused) workerProcess.kill('SIGCONT');
    const oursCpu = await cpuOurs();
    answers.expected += o.acked;
    const drained = await answers.allAnswered('the answers of a round');
    rounds.push({ app, rps: round(o.rps), failed: o.failed, cpu: oursCpu, drainMs: Math.round(drained.ms) });
  };
  for (let r = 0; r < ROUNDS; r++) {
    await oursRound('ours');
    const cpuBare = await cpuMeter(children);
    const b = await closedLoop(bare, CONCURRENCY, roundMs);
    rounds.push({ app: 'bare', rps: round(b.rps), failed: b.failed, cpu: await cpuBare() });
  }
  // (c) Ours again with its workers answering on the same two cores meanwhile: the whole deployment on one machine.
  for (let r = 0; r < ROUNDS; r++) await oursRound('ours+worker');
  const final = (await answers.allAnswered('the answers of (b)')).seen;
  const rps = median(rounds.filter((x) => x.app === 'ours').map((x) => x.rps));
  const bareRps = median(rounds.filter((x) => x.app === 'bare').map((x) => x.rps));
  const rpsWithWorker = median(rounds.filter((x) => x.app === 'ours+worker').map((x) => x.rps));
  const failedB = rounds.reduce((sum, x) => sum + x.failed, 0);
  return { rounds, final, rps, bareRps, rpsWithWorker, failedB };
}
