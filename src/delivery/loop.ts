import { prepareRenderer } from '../cards/render.ts';
import { deliverDue, DEFAULT_DELIVERY, type DeliveryDeps, type DeliveryEvent, type DeliveryOptions, type DeliveryPlatform } from './deliver.ts';

/** How long an idle worker sleeps at most before looking again: new items from other replicas appear without notice. */
const IDLE_MS = 1_000;

/**
 * The delivery worker in production: send what is due, then sleep until the next item is due
 * (at most a second). Every replica runs one; the outbox's leases keep them from sending twice.
 * `stop()` takes nothing more and resolves when the sends in flight have been recorded.
 */
/** What the loop tells the process's metrics and readiness after each pass. */
export interface DeliveryObserver {
  delivered(counts: Awaited<ReturnType<typeof deliverDue>>): void;
  /** Each item's outcome and where it went (a 429 is `throttled`; `resumed` an item taken again after its worker stopped mid-send), for the metrics by platform. */
  outcome?(platform: DeliveryPlatform, event: DeliveryEvent): void;
}

export function startDelivery(deps: DeliveryDeps & { observer?: DeliveryObserver }, options: DeliveryOptions = DEFAULT_DELIVERY): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  // Off the first pass's path, but before a fan-out is due: the first card then renders without loading the package.
  const warming = setTimeout(prepareRenderer, 0);
  warming.unref();
  const observer = deps.observer;
  const observed: DeliveryDeps = observer?.outcome ? { ...deps, observe: (platform, outcome) => observer.outcome?.(platform, outcome) } : deps;
  const loop = (async () => {
    while (!stopped) {
      try {
        const counts = await deliverDue(observed, options, () => stopped);
        deps.observer?.delivered(counts);
      } catch (error) {
        deps.logger.error({ err: error }, 'delivery pass failed');
      }
      const next = await deps.outbox.nextDue().catch(() => undefined);
      const sleep = Math.max(0, Math.min(IDLE_MS, (next ?? Infinity) - deps.clock.now().getTime()));
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, sleep);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearTimeout(warming);
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
