// The benchmark's command line and the fan-out's shape: how many people, tenants, workers, faults and limits,
// and how long each phase may take. Every module of bench/fanout reads its settings from here.
import { fileURLToPath } from 'node:url';
import { DEFAULT_DELIVERY, type DeliveryOptions } from '../../src/delivery/deliver.ts';
import { TEAMS_LIMITS } from '../../src/delivery/limits.ts';
import { SHARED_CLIENT_OPTIONS } from '../../src/store/redis/client.ts';

const args = process.argv.slice(2);
export const QUICK = args.includes('--quick');
export const LATENCY_MS = Number(args.find((a) => a.startsWith('--latency='))?.slice('--latency='.length) ?? 0);
export const CARD = args.find((a) => a.startsWith('--card='))?.slice('--card='.length) ?? 'questionnaire';
/** Phase 1 alone (no kill phase, no probes): for profiling and quick comparisons. */
export const PHASE1_ONLY = args.includes('--phase1');
/** Only delivery's own cost per send, without a platform (the probe at the end): seconds, not minutes. */
export const OWN_COST_ONLY = args.includes('--own-cost');
/** Phase 1's fake Bot Connector in this process, sharing the senders' event loop, as the benchmark ran it first. */
export const FAKE_IN_PROCESS = args.includes('--fake-in-process');
/** Each command written on its own, as before delivery's connections pipelined a tick's commands: for comparing. */
export const REDIS_OPTIONS_USED = args.includes('--no-autopipelining') ? { ...SHARED_CLIENT_OPTIONS, enableAutoPipelining: false } : SHARED_CLIENT_OPTIONS;

export const PEOPLE = QUICK ? 1_000 : 10_000;
export const TENANTS = 10;
export const TEAMS_PER_TENANT = 2;
/** One channel per team: 20. */
export const CHANNELS = TENANTS * TEAMS_PER_TENANT;
export const ITEMS = PEOPLE + CHANNELS;
export const WORKERS = 3;
export const CONCURRENCY = 64;
export const FAULTS = { throttleRate: 0.1, serverErrorRate: 0.03, throttleRetryAfterSeconds: 1 };
export const OCCURRENCE = 'spoergeskema-1';
export const TENANT_LIMIT = TEAMS_LIMITS.tenant[0]!.limit * (1000 / TEAMS_LIMITS.tenant[0]!.windowMs);
export const ALLOWED_RATE = TENANTS * TENANT_LIMIT;
/** In-process phase: the production defaults but for concurrency. */
export const OPTIONS: DeliveryOptions = { ...DEFAULT_DELIVERY, concurrency: CONCURRENCY };
/** Kill phase: a shorter lease (and send timeout under it), so the killed worker's items come back within the run. */
export const KILL_OPTIONS = QUICK ? { ...OPTIONS, leaseMs: 8_000, timeoutMs: 3_000 } : { ...OPTIONS, leaseMs: 20_000, timeoutMs: 8_000 };
export const KILL_AT = 0.4;
/**
 * The best `ratio` any scheduler reaches under these faults, an upper bound: each tenant's items take ITEMS / TENANTS
 * / TENANT_LIMIT seconds at its rate, and a send the fake answers 429 in that schedule's last Retry-After (1 s) is
 * accepted at least that much after the schedule ends (at 10% 429s of ~500 sends a second, there is always one).
 * So `ratio` (accepted over due → last accepted) cannot pass schedule / (schedule + Retry-After): 0.67 with --quick,
 * 0.95 for the full run. Repeated 429s, 5xx and the per-conversation limits lower the real ceiling further.
 */
export const SCHEDULE_MS = (ITEMS / TENANTS / TENANT_LIMIT) * 1000;
export const CEILING_RATIO = SCHEDULE_MS / (SCHEDULE_MS + FAULTS.throttleRetryAfterSeconds * 1000);
/** The ideal scheduler's simulation (ideal-scheduler.ts): this many runs of the fan-out's shape, from this seed. */
export const IDEAL_RUNS = 2_000;
export const IDEAL_SEED = 1;
export const RATIO_TARGET = 0.9;
/**
 * The kill comes a random 0–1 s after KILL_AT is reached: the count crosses it while the fake accepts a
 * burst (a tenant's throttle ending), so killing right then would always hit a burst in flight.
 */
export const KILL_JITTER_MS = 1_000;
/** Each phase gives up after this long from due: the queue is emptied, passes end, what was not delivered counts as lost. */
export const PHASE_LIMIT_MS = QUICK ? { inProcess: 12_000, kill: 25_000 } : { inProcess: 180_000, kill: 180_000 };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WORKER_SCRIPT = fileURLToPath(new URL('../../test/support/delivery-worker.ts', import.meta.url));
export const FAKE_SCRIPT = fileURLToPath(new URL('../../test/support/fake-bot-connector-process.ts', import.meta.url));
export const REDIS_OPTIONS = { maxRetriesPerRequest: null };
