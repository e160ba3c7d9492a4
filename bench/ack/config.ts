// The benchmark's settings: the signing secret, the load's rate and concurrency, the run's team and staff, the
// rounds, the limits, and `--duration` from the command line. Every module of bench/ack reads its settings from here.
import type { TeamRef } from '../../src/app/ports.ts';

export const SECRET = 'bench-ack-signing-secret-0123456789';
export const RATE = 200;
export const INTERVAL_MS = 1000 / RATE;
export const CONCURRENCY = 32;
/** The worker process's niceness (0 normal, 19 lowest). */
export const WORKER_NICE = 19;
export const ROUNDS = 3;
export const TEAM: TeamRef = { tenant: 'T1', team: 'C1' };
export const STAFF = Array.from({ length: 10 }, (_, i) => `U${i + 2}`);
/** The programme's title: the status card names it, an error card does not. */
export const PROGRAMME_TITLE = 'Teams-prøve';
/** A safeguard against a hang, not an expected duration. */
export const OUTER_LIMIT_MS = 120_000;

export function durationArg(): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--duration' || a.startsWith('--duration='));
  if (at < 0) return 30;
  const raw = args[at]!.includes('=') ? args[at]!.slice('--duration='.length) : args[at + 1];
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--duration wants a number of seconds above 0, not ${raw}`);
  return seconds;
}
