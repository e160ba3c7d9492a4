import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Outbox } from '../app/ports.ts';

/**
 * What an operator watches (Prometheus, at /metrics): the traffic in, the scheduler's and delivery's work,
 * and the outbox waiting. One registry per running server, so two servers in one process (tests) do not mix.
 * Labels name routes, outcomes and platforms, never a team or a person.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpSeconds: Histogram<'route'>;
  ticks: Counter<'outcome'>;
  tickSeconds: Histogram;
  scheduled: Counter<'result'>;
  /** How late a send went out after it was due: the scheduler's lag. */
  schedulerLagSeconds: Histogram;
  deliveries: Counter<'platform' | 'outcome'>;
  resumedDeliveries: Counter<'platform'>;
  failedRuns: Counter;
  /** When the scheduler last finished a tick (seconds since the epoch). */
  lastTick: Gauge;
}

export function createMetrics(sources: { outbox?: Pick<Outbox, 'pending'> } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sparring_' });
  const outbox = sources.outbox;
  if (outbox) {
    new Gauge({
      name: 'sparring_outbox_depth',
      help: 'Work items queued in the outbox (taken ones included), across all teams.',
      registers: [registry],
      async collect() {
        this.set(await outbox.pending());
      },
    });
  }
  return {
    registry,
    httpRequests: new Counter({ name: 'sparring_http_requests_total', help: 'Inbound requests by route, method and status.', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    httpSeconds: new Histogram({
      name: 'sparring_http_request_duration_seconds',
      help: 'Time to answer an inbound request (a card click, a command, a page), by route.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ticks: new Counter({ name: 'sparring_scheduler_ticks_total', help: 'Scheduler ticks by outcome (ok, failed).', labelNames: ['outcome'], registers: [registry] }),
    tickSeconds: new Histogram({
      name: 'sparring_scheduler_tick_duration_seconds',
      help: 'How long a scheduler tick took.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    scheduled: new Counter({
      name: 'sparring_scheduler_sends_total',
      help: 'Sends the scheduler handled: fired (queued), stale (skipped after downtime), answered (a reminder not needed).',
      labelNames: ['result'],
      registers: [registry],
    }),
    schedulerLagSeconds: new Histogram({
      name: 'sparring_scheduler_lag_seconds',
      help: 'How long after its due time a send was queued.',
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'sparring_deliveries_total',
      help: 'Delivery outcomes by platform (teams, slack, local, mail; unknown: no conversation to send to): sent, waiting (for the platform limits), throttled (a 429), retrying (failed, to try again), dead (dead letter).',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    failedRuns: new Counter({
      name: 'sparring_scheduler_run_failures_total',
      help: 'Runs a scheduler tick could not serve (each logged with its error; tried again, less often while it keeps failing).',
      registers: [registry],
    }),
    resumedDeliveries: new Counter({
      name: 'sparring_deliveries_resumed_total',
      help: 'Items taken again after the worker that had them stopped mid-send (a crash): each may have reached its recipient twice.',
      labelNames: ['platform'],
      registers: [registry],
    }),
    lastTick: new Gauge({ name: 'sparring_scheduler_last_tick_seconds', help: 'When the scheduler last finished a tick (Unix time).', registers: [registry] }),
  };
}

/** The routes requests are counted under: a fixed few, so a scanner's random paths cannot grow the metrics without bound. */
const ROUTES = ['/healthz', '/readyz', '/metrics', '/api/messages', '/slack/events', '/slack/install', '/slack/oauth_redirect', '/calendar/', '/playground/api/', '/playground'];

export function routeLabel(path: string): string {
  return ROUTES.find((route) => path === route || (route.endsWith('/') ? path.startsWith(route) : path.startsWith(`${route}/`))) ?? 'other';
}
