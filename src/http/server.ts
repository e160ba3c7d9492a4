import express, { type Express } from 'express';
import type { Logger } from '../app/ports.ts';
import { renderAdaptiveCard } from '../cards/render.ts';
import type { Receiver } from '../channels/receiver.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { LOCALES, type Locale } from '../domain/programme/schema.ts';
import { errorHandler, notFound } from './errors.ts';
import { type Metrics, routeLabel } from '../observability/metrics.ts';
import { requestIdFrom, withRequestId } from '../observability/request-context.ts';
import { performance } from 'node:perf_hooks';

export interface AppDeps {
  programmes: ReadonlyMap<string, Programme>;
  /** The process's metrics, served at /metrics; inbound requests are counted in it. */
  metrics?: Metrics;
  /** What /readyz checks (Redis reachable, loops running): every check true is ready. */
  readiness?: () => Record<string, boolean>;
  receivers?: readonly Receiver[];
  /** Routes of the server's own (the calendar links), mounted before the receivers'. */
  routes?: ReadonlyArray<(app: Express) => void>;
  logger?: Logger;
}

const silent: Logger = { info() {}, warn() {}, error() {} };
const localeOf = (value: unknown): Locale => ((LOCALES as readonly unknown[]).includes(value) ? (value as Locale) : 'da');

/**
 * The one HTTP server: /healthz, /readyz, /metrics, every receiver's routes (the playground's page and API; Teams'
 * /api/messages and Slack's /slack/events with their apps), and JSON answers for every failure.
 * A receiver that knows the team's language puts it in `res.locals.locale` for the error card.
 */
export function createApp({ programmes, receivers = [], routes = [], logger = silent, metrics, readiness = () => ({}) }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every request gets an id (the caller's x-request-id when it is one), answered in the same header and
  // carried by every log line written while handling it; it is counted and timed by route.
  app.use((req, res, next) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    if (metrics) {
      const started = performance.now();
      res.on('finish', () => {
        const route = routeLabel(req.path);
        metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
        metrics.httpSeconds.observe({ route }, (performance.now() - started) / 1000);
      });
    }
    withRequestId(requestId, next);
  });
  /** Alive: the process answers. */
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', channels: receivers.map((r) => r.name), programmes: [...programmes.keys()] });
  });
  /** Ready for traffic: Redis reachable and the loops running; a load balancer sends nothing here until it is. */
  app.get('/readyz', (_req, res) => {
    const checks = readiness();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unready', checks });
  });
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', metrics.registry.contentType);
      res.send(await metrics.registry.metrics());
    });
  }
  for (const route of routes) route(app);
  for (const receiver of receivers) receiver.mount(app);
  app.use(notFound());
  app.use(
    errorHandler({
      logger,
      errorCard: (req) => {
        const card = renderAdaptiveCard('error', { code: 'internal', choices: [] }, { locale: localeOf(req.res?.locals['locale']), timeZone: 'Europe/Copenhagen' });
        return { card, text: String(card['fallbackText'] ?? '') };
      },
    }),
  );
  return app;
}
