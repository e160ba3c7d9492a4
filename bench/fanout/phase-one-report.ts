// The report of phase 1: its headline figures against the targets, then where the time went, from the
// instrumented ports, this process's CPU, Redis's commands and each tenant's deliveries.
import {
  ALLOWED_RATE,
  CEILING_RATIO,
  CONCURRENCY,
  FAKE_IN_PROCESS,
  FAULTS,
  IDEAL_RUNS,
  IDEAL_SEED,
  ITEMS,
  PHASE_LIMIT_MS,
  RATIO_TARGET,
  SCHEDULE_MS,
  TENANT_LIMIT,
  TENANTS,
  WORKERS,
} from './config.ts';
import { mean, percentile, sorted, sum } from './figures.ts';
import { type IdealFigures, idealRatios } from './ideal-scheduler.ts';
import { limiterPlan } from '../../src/delivery/limit-windows.ts';
import { LIMITER_RULES, TEAMS_LIMITS } from '../../src/delivery/limits.ts';
import type { InProcessResult } from './in-process-phase.ts';
import type { Attempt } from './instrumented-ports.ts';
import { int, line, load, ms, pct } from './report-format.ts';

/** What the later reports take from phase 1: its ratio, and its attempts and sends per delivered message. */
export interface PhaseOneFigures {
  ratio: number;
  attemptsPerDelivered: number;
  sendsPerDelivered: number;
}

/** How delivery paces a Teams tenant's fan-out (the interval the ideal scheduler is paced at). */
const PACE_INTERVAL_MS = limiterPlan(TEAMS_LIMITS).paceIntervalMs;
let idealOfThisRun: { unpaced: IdealFigures; paced: IdealFigures } | undefined;

/**
 * The ideal scheduler on this run's shape (--quick or full) and faults, computed once: with every item due at
 * once, and with the items paced as delivery paces them (limiterPlan's interval: the limit less the headroom,
 * each window widened by the margin).
 */
export function idealForThisRun() {
  if (!idealOfThisRun) {
    const shape = {
      itemsPerTenant: ITEMS / TENANTS,
      tenants: TENANTS,
      limit: TEAMS_LIMITS.tenant[0]!.limit,
      windowMs: TEAMS_LIMITS.tenant[0]!.windowMs,
      throttleRate: FAULTS.throttleRate,
      serverErrorRate: FAULTS.serverErrorRate,
      retryAfterMs: FAULTS.throttleRetryAfterSeconds * 1_000,
    };
    idealOfThisRun = {
      unpaced: idealRatios(shape, IDEAL_RUNS, IDEAL_SEED, RATIO_TARGET),
      paced: idealRatios({ ...shape, paceIntervalMs: PACE_INTERVAL_MS }, IDEAL_RUNS, IDEAL_SEED, RATIO_TARGET),
    };
  }
  return idealOfThisRun;
}

export function reportPhaseOne(p1: InProcessResult): PhaseOneFigures {
  const r1 = p1.result;
  const ratio = r1.achievedRate / ALLOWED_RATE;
  console.log(
    `Phase 1: ${WORKERS} delivery loops (startDelivery) in this process, concurrency ${CONCURRENCY} each, real TeamsChannel; the fake ${FAKE_IN_PROCESS ? 'in this process too' : 'in a process of its own'}`,
  );
  console.log(`  (${int(ITEMS)} items enqueued in ${ms(p1.enqueueMs)} ahead of time, each tenant's spread at its rate, then moved to start at once: enqueueing is not in the figures)`);
  if (!p1.drained) console.log(`  (gave up ${ms(PHASE_LIMIT_MS.inProcess)} after due: the queue was emptied, what was not delivered counts as lost)`);
  line('allowed rate', `${int(ALLOWED_RATE)}/s`, '', `${TENANTS} tenants × ${TENANT_LIMIT}/s`);
  line('achieved rate', `${int(r1.achievedRate)}/s`, '', `${int(r1.accepted)} accepted sends in ${ms(r1.wallMs)} from due to the last`);
  line('ratio', ratio.toFixed(2), `target: ≥ ${RATIO_TARGET}`);
  line(
    'ratio to the ceiling',
    (ratio / CEILING_RATIO).toFixed(2),
    '',
    `the ceiling is ${CEILING_RATIO.toFixed(2)}: a ${ms(SCHEDULE_MS)} schedule at the allowed rate, plus the Retry-After (${FAULTS.throttleRetryAfterSeconds} s) of a 429 in its last second`,
  );
  const ideal = idealForThisRun();
  const idealLine = (name: string, figures: IdealFigures, how: string) =>
    line(
      name,
      figures.median.toFixed(2),
      '',
      `${how}; a tenth of the runs below ${figures.p10.toFixed(2)}, a tenth above ${figures.p90.toFixed(2)}; ${(figures.reachingTarget * 100).toFixed(1)}% reach ${RATIO_TARGET}`,
    );
  line('best any scheduler', '', '', `an ideal one (no latency, no cost, retries first) in ${int(IDEAL_RUNS)} simulated runs of these faults (seed ${IDEAL_SEED}), median:`);
  idealLine('  all due at once', ideal.unpaced, 'a window full at a time');
  idealLine(
    '  paced as delivery paces',
    ideal.paced,
    `one every ${PACE_INTERVAL_MS.toFixed(1)} ms (the limit less ${pct(LIMITER_RULES.paceHeadroom)}, each window ${TEAMS_LIMITS.marginMs} ms longer)`,
  );
  line('lost', int(r1.lost), 'target: 0', `${p1.drained ? 'never accepted' : 'not accepted when it gave up'}; ${p1.deadLetters} dead letters`);
  line('duplicated', int(r1.duplicates), 'target: 0');
  line('due → delivered p50 / p99', `${ms(r1.p50)} / ${ms(r1.p99)}`, '', `max ${ms(r1.max)}${p1.drained ? '' : ', of those delivered'}`);
  const firstTriedBy = Math.max(...p1.probe.firstTried.values()) - p1.dueAt;
  line(
    'tail',
    `${ms(r1.wallMs - firstTriedBy)}`,
    '',
    `every item first tried by ${ms(firstTriedBy)} after due (at ${TENANT_LIMIT}/s a tenant's ${int(ITEMS / TENANTS)} take ${ms((ITEMS / TENANTS / TENANT_LIMIT) * 1000)}), the last accepted ${ms(r1.wallMs)}: after that, retries only, each 429 held ${FAULTS.throttleRetryAfterSeconds} s by its Retry-After; the last send's tries (status@ms): ${r1.lastTries.join(' ')}`,
  );
  line(
    'fake answered',
    `${int(r1.accepted)} accepted`,
    '',
    `${int(r1.rejected.injected429)} injected 429, ${int(r1.rejected.injected5xx)} injected 5xx, ${int(r1.rejected.limit429)} 429 for exceeding its limits, ${int(r1.rejected.other)} other`,
  );
  console.log('');

  const probe = p1.probe;
  const attempts = probe.attempts.filter((a) => a.done);
  const span = (pick: (a: Attempt) => [number, number] | undefined) =>
    attempts
      .map((a) => pick(a))
      .filter((s) => s !== undefined)
      .map(([a, b]) => b - a);
  const total = sum(attempts.map((a) => a.done![1] - a.taken));
  const getConv = sum(span((a) => a.getConversation));
  const renderGap = sum(attempts.filter((a) => a.getConversation && a.acquire).map((a) => a.acquire![0] - a.getConversation![1]));
  const acquire = sum(span((a) => a.acquire));
  const send = sum(span((a) => a.send));
  const write = sum(span((a) => a.done));
  const other = total - getConv - renderGap - acquire - send - write;
  const byOutcome = (o: Attempt['outcome']) => attempts.filter((a) => a.outcome === o).length;
  const sends = probe.sendOutcomes.sent + probe.sendOutcomes.throttled + probe.sendOutcomes.transient + probe.sendOutcomes.permanent;
  const commandsTotal = sum([...p1.commands.values()]);
  const cpuMs = (p1.cpu.user + p1.cpu.system) / 1000;
  const sendsSorted = sorted(probe.sendMs);
  console.log('  Where the time goes (phase 1)');
  line(
    'attempts per delivered',
    (attempts.length / Math.max(1, r1.delivered)).toFixed(2),
    '',
    `${int(attempts.length)} items taken: ${int(byOutcome('sent'))} sent, ${int(byOutcome('limited'))} refused by the limiter, ${int(byOutcome('throttled'))} 429, ${int(byOutcome('failed'))} 5xx, ${int(byOutcome('dead'))} dead`,
  );
  line(
    'limiter',
    `${int(probe.acquires)} acquires`,
    '',
    `${int(probe.granted)} granted (${int(probe.granted - probe.sendOutcomes.sent)} of them spent on sends the fake refused), ${int(probe.refusedThrottled)} refused as a 429 held the conversation, ${int(probe.refusedWindow)} for a full window (and given a slot); median wait answered ${ms(percentile(sorted(probe.refusedWaits), 50))}`,
  );
  line(
    '429s',
    `${int(probe.throttleCalls)}`,
    '',
    `each holds its conversation for the Retry-After (p50 ${ms(percentile(sorted(probe.throttleLeftMs), 50))} left when recorded) and gives its slot back, as do ${int(probe.releases)} 5xx; only repeated ones slow the tenant`,
  );
  line(
    'item time, share',
    `${int(total / 1000)} item-s`,
    '',
    `from take to done: render (+ event-loop wait) ${pct(renderGap / total)}, limiter ${pct(acquire / total)}, send ${pct(send / total)}, outbox write ${pct(write / total)}, getConversation ${pct(getConv / total)}, other ${pct(other / total)}; mean ${ms(total / Math.max(1, attempts.length))} an item`,
  );
  line(
    'in flight',
    `${(total / Math.max(1, r1.wallMs) / WORKERS).toFixed(0)} of ${CONCURRENCY}`,
    '',
    `mean per worker (rolling pool); ${int(probe.takes)} takes (${int(probe.emptyTakes)} empty), ${(probe.taken / Math.max(1, probe.takes - probe.emptyTakes)).toFixed(1)} items each, take p50 / p99 ${ms(percentile(sorted(probe.takeMs), 50))} / ${ms(percentile(sorted(probe.takeMs), 99))} (one HGET per item, in turn)`,
  );
  line(
    'send (botbuilder → fake)',
    `p50 ${ms(percentile(sendsSorted, 50))}`,
    '',
    `p99 ${ms(percentile(sendsSorted, 99))}; ${int(sends)} sends: ${probe.sendOutcomes.sent} ok, ${probe.sendOutcomes.throttled} 429, ${probe.sendOutcomes.transient} 5xx`,
  );
  line(
    'CPU, this process',
    `${pct(p1.elu.utilization)} busy`,
    '',
    `event loop utilisation over the run; ${ms(cpuMs / Math.max(1, r1.accepted))} CPU per accepted send (${FAKE_IN_PROCESS ? 'workers + fake' : 'the workers'}); ${p1.fakeCpuMs === undefined ? '' : `the fake's process ${ms(p1.fakeCpuMs / Math.max(1, r1.accepted))}; `}Redis ${ms(p1.redisCpuMs / Math.max(1, r1.accepted))}`,
  );
  line(
    'Redis commands',
    `${(commandsTotal / Math.max(1, r1.accepted)).toFixed(1)} per send`,
    '',
    [...p1.commands]
      .slice(0, 8)
      .map(([cmd, n]) => `${cmd} ${(n / Math.max(1, r1.accepted)).toFixed(2)}`)
      .join(', '),
  );
  const slowest = [...r1.perTenant].sort((a, b) => b.lastMs - a.lastMs)[0];
  // From a send's start to its markSent's end: a kill in this window can leave a delivered message unrecorded (resent later).
  const exposure = attempts.filter((a) => a.outcome === 'sent' && a.send).map((a) => a.done![1] - a.send![0]);
  line(
    'send → recorded as sent',
    `p50 ${ms(percentile(sorted(exposure), 50))}`,
    '',
    `p99 ${ms(percentile(sorted(exposure), 99))}; at a random moment ${(sum(exposure) / Math.max(1, r1.wallMs) / WORKERS).toFixed(1)} sends per worker are in this window: what a SIGKILL would duplicate`,
  );
  const firsts = r1.perTenant.map((t) => t.firstMs);
  line(
    'per tenant',
    `${int(mean(r1.perTenant.map((t) => (t.delivered / Math.max(1, t.lastMs - t.firstMs)) * 1000)))}/s mean`,
    '',
    `first delivery ${ms(Math.min(...firsts))} … ${ms(Math.max(...firsts))} after due (the queue hands out equal due times by member name, tenant by tenant); slowest tenant done at ${ms(slowest?.lastMs ?? NaN)} (${TENANT_LIMIT}/s would take ${ms((ITEMS / TENANTS / TENANT_LIMIT) * 1000)})`,
  );
  console.log(`  (load average now ${load()})`);
  console.log('');
  return { ratio, attemptsPerDelivered: attempts.length / Math.max(1, r1.delivered), sendsPerDelivered: sends / Math.max(1, r1.delivered) };
}
