import { schedule } from 'node-cron';
import type { Logger } from '../app/ports.ts';
import { tick, type SchedulerDeps } from './tick.ts';

/**
 * The scheduler in production: a tick at start-up (to catch up after downtime) and then every
 * minute. Every replica runs it; the claims in tick() make each occurrence fire once. A failed
 * tick is logged and the next minute tries again.
 */
export function startScheduler(deps: SchedulerDeps & { logger: Logger }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = tick(deps).catch((error: unknown) => deps.logger.error({ err: error }, 'scheduler tick failed'));
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
