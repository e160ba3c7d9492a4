import type { Clock } from '../app/ports.ts';
import type { DeliveryObserver } from '../delivery/loop.ts';
import type { SchedulerObserver } from '../scheduler/loop.ts';
import type { Metrics } from './metrics.ts';

type Loop = 'scheduler' | 'delivery';

/**
 * How long a loop may go without finishing a pass before it counts as stuck: a tick runs every minute; delivery
 * passes every second when idle, but one pass of a fan-out to thousands can take minutes.
 */
const STALE_MS: Record<Loop, number> = { scheduler: 3 * 60_000, delivery: 5 * 60_000 };

/**
 * The loops' reports, into the metrics and into /readyz. A loop that has not finished a pass for longer than it
 * ever should is not running, and /readyz takes the replica out of the load balancer until it runs again. Only
 * the loops this process started are checked (a web process runs none).
 */
export function loopHealth(metrics: Metrics, clock: Clock) {
  const startedAt = clock.now().getTime();
  const last: Partial<Record<Loop, number>> = {};
  const watched = new Set<Loop>();
  const finished = (loop: Loop) => {
    last[loop] = clock.now().getTime();
  };
  return {
    /** The scheduler's observer; asking for it is starting the scheduler. */
    scheduler(): SchedulerObserver {
      watched.add('scheduler');
      return {
        ticked(result, durationMs) {
          finished('scheduler');
          metrics.ticks.inc({ outcome: 'ok' });
          metrics.tickSeconds.observe(durationMs / 1000);
          metrics.lastTick.set(clock.now().getTime() / 1000);
          metrics.scheduled.inc({ result: 'fired' }, result.fired.length);
          metrics.scheduled.inc({ result: 'stale' }, result.stale.length);
          metrics.scheduled.inc({ result: 'answered' }, result.answered.length);
          metrics.failedRuns.inc(result.failed);
          for (const lag of result.lagMs) metrics.schedulerLagSeconds.observe(lag / 1000);
        },
        failed() {
          metrics.ticks.inc({ outcome: 'failed' });
        },
      };
    },
    /** Delivery's observer; asking for it is starting delivery. */
    delivery(): DeliveryObserver {
      watched.add('delivery');
      return {
        delivered() {
          finished('delivery');
        },
        outcome(platform, event) {
          if (event === 'resumed') metrics.resumedDeliveries.inc({ platform });
          else metrics.deliveries.inc({ platform, outcome: event });
        },
      };
    },
    checks(): Record<string, boolean> {
      const now = clock.now().getTime();
      return Object.fromEntries([...watched].map((loop) => [loop, now - (last[loop] ?? startedAt) < STALE_MS[loop]]));
    },
  };
}
