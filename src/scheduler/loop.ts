import { schedule } from 'node-cron';
import type { Logger } from '../app/ports.ts';
import { FailedRuns } from './failed-runs.ts';
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
 *
 * Before the first tick every run is marked due in the due-time index, so that tick works out every run's
 * times afresh: this release may plan differently (a programme file or the planner changed), and a run
 * written by a release before the index is not in it yet. That first tick reads every run, as each tick did
 * before the index; the ones after read only what is due.
 */
export function startScheduler(deps: SchedulerDeps & { logger: Logger; observer?: SchedulerObserver }): { stop(): Promise<void> } {
  const served: SchedulerDeps = { ...deps, failedRuns: deps.failedRuns ?? new FailedRuns() };
  let running: Promise<unknown> = Promise.resolve();
  // Until it has succeeded once, each tick tries the reindex first (Redis may be down at start-up).
  let reindexed = Boolean(deps.teams);
  const pass = async () => {
    if (!reindexed) {
      const runs = await deps.store.markAllDue();
      reindexed = true;
      deps.logger.info({ runs }, 'every run marked due for the first tick');
    }
    return tick(served);
  };
  const run = () => {
    running = running.then(async () => {
      const started = performance.now();
      try {
        const result = await pass();
        deps.observer?.ticked(result, performance.now() - started);
      } catch (error) {
        deps.observer?.failed();
        deps.logger.error({ err: error }, 'scheduler tick failed');
      }
    });
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
