import type { WorkItem } from '../app/ports.ts';
import type { DeliveryOptions } from './deliver.ts';

/** Exponential backoff with "full jitter" between half and all of the delay, so retries do not arrive together. */
export function backoff(attempt: number, baseMs: number, random: () => number): number {
  const delay = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(delay / 2 + (random() * delay) / 2);
}

/**
 * How long a failed send waits (`attempts` failures so far): a card's first retry soon (the tenant's limit,
 * not the wait, keeps it from crowding the platform), then exponential backoff; a mail backs off from the start.
 */
export function retryDelay(item: WorkItem, attempts: number, options: DeliveryOptions, random: () => number): number {
  if (item.mail) return backoff(attempts, options.backoffMs, random);
  if (attempts === 1) return backoff(1, options.firstRetryMs ?? Math.min(250, options.backoffMs), random);
  return backoff(attempts - 1, options.backoffMs, random);
}
