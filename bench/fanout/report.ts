// The report around phase 1: the run's header, phase 2's figures, the cost of the parts, and the last line,
// one JSON object of the headline figures.
import os from 'node:os';
import {
  ALLOWED_RATE,
  CARD,
  CEILING_RATIO,
  CHANNELS,
  CONCURRENCY,
  FAULTS,
  ITEMS,
  KILL_AT,
  KILL_JITTER_MS,
  KILL_OPTIONS,
  LATENCY_MS,
  PEOPLE,
  PHASE_LIMIT_MS,
  TEAMS_PER_TENANT,
  TENANT_LIMIT,
  TENANTS,
  WORKERS,
} from './config.ts';
import { sum } from './figures.ts';
import type { KillResult } from './kill-phase.ts';
import type { Outcome } from './outcome.ts';
import type { deliveryCost, renderCost, sendCost } from './part-costs.ts';
import { idealForThisRun, type PhaseOneFigures } from './phase-one-report.ts';
import { int, line, load, ms, pct } from './report-format.ts';

export function reportHeader(where: string, version: string) {
  console.log(`Fan-out benchmark: one occurrence (${CARD} card) to ${int(PEOPLE)} people in 1:1 chats + ${CHANNELS} channels = ${int(ITEMS)} sends, ${TENANTS} tenants × ${TEAMS_PER_TENANT} teams`);
  console.log(
    `  fake Bot Connector at Teams' limits (${TENANT_LIMIT}/s per tenant; per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h), ${pct(FAULTS.throttleRate)} 429 (Retry-After ${FAULTS.throttleRetryAfterSeconds} s) and ${pct(FAULTS.serverErrorRate)} 5xx injected, answer latency ${LATENCY_MS} ms`,
  );
  console.log(`  ${where}, Redis ${version}; ${os.availableParallelism()} CPUs shared by this process, the workers and Redis (and whatever else runs: load average ${load()})`);
  console.log('');
}

/** --own-cost: delivery's own cost per send, and its last line. */
export function reportOwnCost(own: Awaited<ReturnType<typeof deliveryCost>>) {
  line('delivery without a platform', `${own.cpuMs.toFixed(2)} ms CPU per send`, '', `${own.commands.toFixed(1)} Redis commands per send`);
  console.log(JSON.stringify({ ownCpuMsPerSend: Number(own.cpuMs.toFixed(3)), ownCommandsPerSend: Number(own.commands.toFixed(1)) }));
}

/** --phase1: the last line without the kill run. */
export function reportPhaseOneLastLine(r1: Outcome, ratio: number) {
  console.log(
    JSON.stringify({
      allowedRate: ALLOWED_RATE,
      achievedRate: Number(r1.achievedRate.toFixed(1)),
      ratio: Number(ratio.toFixed(3)),
      ratioToCeiling: Number((ratio / CEILING_RATIO).toFixed(3)),
      idealRatio: Number(idealForThisRun().unpaced.median.toFixed(3)),
      idealPacedRatio: Number(idealForThisRun().paced.median.toFixed(3)),
      lost: r1.lost,
      duplicates: r1.duplicates,
      p99DueToDeliveredMs: Math.round(r1.p99),
      killed: null,
    }),
  );
}

export function reportPhaseTwo(p2: KillResult) {
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
}

export function reportPartCosts(renders: ReturnType<typeof renderCost>, sendProbe: Awaited<ReturnType<typeof sendCost>>, own: Awaited<ReturnType<typeof deliveryCost>>, phaseOne: PhaseOneFigures) {
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
  const budget = (renders[CARD] ?? 0) * phaseOne.attemptsPerDelivered + sendProbe.botbuilder.cpuMs * phaseOne.sendsPerDelivered;
  line(
    'CPU needed at the limit',
    `${((budget * ALLOWED_RATE) / 1000).toFixed(2)} CPUs`,
    '',
    `(${budget.toFixed(1)} ms of render + send per delivered message at phase 1's attempts per delivery) × ${int(ALLOWED_RATE)}/s; ${os.availableParallelism()} CPUs here`,
  );
}

export function reportLastLine(r1: Outcome, ratio: number, p2: KillResult) {
  const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
  console.log(
    JSON.stringify({
      allowedRate: ALLOWED_RATE,
      achievedRate: round(r1.achievedRate, 1),
      ratio: round(ratio, 3),
      ratioToCeiling: round(ratio / CEILING_RATIO, 3),
      idealRatio: round(idealForThisRun().unpaced.median, 3),
      idealPacedRatio: round(idealForThisRun().paced.median, 3),
      lost: r1.lost,
      duplicates: r1.duplicates,
      p99DueToDeliveredMs: round(r1.p99),
      killed: { kills: p2.kills, lost: p2.result.lost, duplicates: p2.result.duplicates },
    }),
  );
}
