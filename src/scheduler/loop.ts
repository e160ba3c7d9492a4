import { performance } from 'node:perf_hooks';
import { schedule } from 'node-cron';
import type { Logger } from '../app/ports.ts';
import { type TickResult, tick, type SchedulerDeps } from './tick.ts';

/** What the loop tells the process's metrics and readiness about each tick. */
export interface SchedulerObserver {
  ticked(result: TickResult, durationMs: number): void;
  failed(): void;
}

/**
 * The scheduler in production: a tick at start-up (to catch up after downtime) and then every
 * minute. Every replica runs it; the claims in tick() make each occurrence fire once. A failed
 * tick is logged and the next minute tries again.
 */
export function startScheduler(deps: SchedulerDeps & { logger: Logger; observer?: SchedulerObserver }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    const started = performance.now();
    running = tick(deps).then(
      (result) => deps.observer?.ticked(result, performance.now() - started),
      (error: unknown) => {
        deps.observer?.failed();
        deps.logger.error({ err: error }, 'scheduler tick failed');
      },
    );
    return running;
  };
  void run();
  // noOverlap: a slow tick (a Redis hiccup) is not run twice at once.
  const task = schedule('* * * * *', run, { name: 'sparringsbot-scheduler', noOverlap: true });
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
