// The figures and their printing: what was measured, (a), (b) and (c) round by round, the targets, and the
// last line, one JSON object of the figures.
import os from 'node:os';
import type { ClosedPhase, Round } from './closed-phase.ts';
import { CONCURRENCY, RATE, ROUNDS, STAFF, WORKER_NICE } from './config.ts';
import type { Message } from './ipc.ts';
import type { OpenPhase } from './open-phase.ts';
import { load, percentile, round } from './stats.ts';

/** What the run was given: `--duration`, the length of a round of (b) and (c), and the load average at the start. */
export interface Settings {
  duration: number;
  roundMs: number;
  loadBefore: string;
}

function figuresOf({ roundMs, loadBefore }: Settings, open: OpenPhase, closed: ClosedPhase) {
  const { count, a, acks, non200, drainA, answered, times } = open;
  const { rounds, final, rps, bareRps, rpsWithWorker, failedB } = closed;
  return {
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
}

export function report(settings: Settings, open: OpenPhase, closed: ClosedPhase, serverLogged: Message) {
  const { duration, roundMs, loadBefore } = settings;
  const { count, a, aCpu, acks, non200, socketErrors, drainA, answered, otherAnswersA, times, loadAfterA } = open;
  const { rounds, rps, bareRps, rpsWithWorker } = closed;
  const figures = figuresOf(settings, open, closed);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('Slack slash command ack: signed `/sparring status` POSTed to /slack/events (Bolt 5 on ExpressReceiver)');
  console.log(`  our server: startServer with PROCESS_ROLE=web (Redis, Slack on) and a worker process (PROCESS_ROLE=worker, nice ${WORKER_NICE}) answering`);
  console.log('  at response_url (a fake in its own process), one run in');
  console.log(`  T1/C1 (teams-test programme, 1 leader + ${STAFF.length} staff), commands from the staff in turn; the load from a third process,`);
  console.log('  node http with keep-alive sockets, a fresh signature per request');
  console.log(`  load average (1/5/15 min): ${loadBefore} at the start, ${loadAfterA} after (a), ${load()} at the end; ${os.availableParallelism()} cores shared by all`);
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
}
