// The playground as `npm start` runs it (the composition root with no platform channel), on a free
// port and a data file of the test's own, with logs kept for the test to read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from './fakes.ts';

export async function startPlaygroundServer(options: { demoStart: string; dataFile?: string; env?: Record<string, string> }) {
  const dataFile = options.dataFile ?? join(mkdtempSync(join(tmpdir(), 'sparringsbot-playground-')), 'data.json');
  const logger = memoryLogger();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_FILE: dataFile, DEMO_START: options.demoStart, ...options.env });
  const server = await startServer(config, logger);
  return { url: server.url, logger, dataFile, close: () => server.stop() };
}
