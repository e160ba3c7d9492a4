// Composition root: config → programmes → HTTP server. The only place that exits the process.
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createApp } from './http/server.ts';
import { BUILT_IN_DIR, loadProgrammes, ProgrammeFileError } from './programmes/load.ts';

function start() {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const programmes = loadProgrammes(config.PROGRAMMES_DIR ? [BUILT_IN_DIR, config.PROGRAMMES_DIR] : [BUILT_IN_DIR]);
  const server = createApp({ programmes }).listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST}:${port}/`;
    logger.info({ url, programmes: [...programmes.keys()] }, 'Sparringsbot is running');
    process.stdout.write(`Sparringsbot is running at ${url} (health: ${url}healthz)\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  start();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ProgrammeFileError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
