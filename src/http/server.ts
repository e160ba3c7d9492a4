import express, { type Express } from 'express';
import type { Logger } from '../app/ports.ts';
import { renderAdaptiveCard } from '../cards/render.ts';
import type { Receiver } from '../channels/receiver.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { LOCALES, type Locale } from '../domain/programme/schema.ts';
import { errorHandler, notFound } from './errors.ts';

export interface AppDeps {
  programmes: ReadonlyMap<string, Programme>;
  receivers?: readonly Receiver[];
  /** Routes of the server's own (the calendar links), mounted before the receivers'. */
  routes?: ReadonlyArray<(app: Express) => void>;
  logger?: Logger;
}

const silent: Logger = { info() {}, warn() {}, error() {} };
const localeOf = (value: unknown): Locale => ((LOCALES as readonly unknown[]).includes(value) ? (value as Locale) : 'da');

/**
 * The one HTTP server: /healthz, every receiver's routes (the playground's page and API; Teams'
 * /api/messages and Slack's /slack/events with their apps), and JSON answers for every failure.
 * A receiver that knows the team's language puts it in `res.locals.locale` for the error card.
 */
export function createApp({ programmes, receivers = [], routes = [], logger = silent }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', channels: receivers.map((r) => r.name), programmes: [...programmes.keys()] });
  });
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
