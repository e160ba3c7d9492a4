import express, { type Express } from 'express';
import type { Programme } from '../domain/programme/schema.ts';

export interface AppDeps {
  programmes: ReadonlyMap<string, Programme>;
}

/** The one HTTP server; later it also carries /api/messages (Teams) and /slack/events. */
export function createApp({ programmes }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', programmes: [...programmes.keys()] });
  });
  return app;
}
