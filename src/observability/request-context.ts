import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The inbound request (or event) a piece of work belongs to, carried across awaits so that every log line
 * written while handling it names the same request id, without passing it through every function.
 */
const context = new AsyncLocalStorage<{ requestId: string }>();

/** A caller's own id is kept when it looks like one (a load balancer's `x-request-id`), else a new one. */
const USABLE_ID = /^[\w.:-]{1,64}$/;

export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && USABLE_ID.test(header) ? header : randomUUID();
}

export function withRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
