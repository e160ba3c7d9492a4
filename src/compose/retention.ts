import { applyRetention } from '../app/apply-retention.ts';
import type { OutboxRecords } from '../app/ports.ts';
import type { Core } from './core.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Old replies, outbox items, dead letters and playground messages go once at start and then daily; a failed sweep is logged and tried again the next day. Returns its stop. */
export function startRetention(core: Core, playgroundOutbox?: OutboxRecords): () => Promise<void> {
  const outboxes = [core.outbox, ...(playgroundOutbox ? [playgroundOutbox] : [])];
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = applyRetention({ ...core, outboxes, transcript: core.store }, core.config.RETENTION_DAYS).catch((error: unknown) => core.logger.error({ err: error }, 'retention sweep failed'));
  };
  sweep();
  const daily = setInterval(sweep, DAY_MS);
  daily.unref();
  return async () => {
    clearInterval(daily);
    await running;
  };
}
