// Composition root: config → programmes → store → HTTP server. The only place that exits the process.
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createApp } from './http/server.ts';
import { applyRetention } from './app/apply-retention.ts';
import { BUILT_IN_DIR, loadProgrammes, ProgrammeFileError } from './programmes/load.ts';
import { startDelivery } from './delivery/loop.ts';
import { startScheduler } from './scheduler/loop.ts';
import { openDelivery, openStore, systemRandom } from './store/open.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function start() {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const programmes = loadProgrammes(config.PROGRAMMES_DIR ? [BUILT_IN_DIR, config.PROGRAMMES_DIR] : [BUILT_IN_DIR]);
  const store = openStore(config);
  const clock = { now: () => new Date() };
  // Old replies go once at start and then daily; a failed sweep is logged and tried again the next day.
  const sweep = () =>
    applyRetention({ store, clock, logger }, config.RETENTION_DAYS).catch((error: unknown) => logger.error({ err: error }, 'retention sweep failed'));
  void sweep();
  const daily = setInterval(sweep, DAY_MS);
  daily.unref();
  // Every replica schedules and delivers; Redis claims and leases keep each card to one send.
  const delivery = openDelivery(config);
  const owner = `${hostname()}:${process.pid}`;
  const scheduler = startScheduler({ store, ...delivery, programmes, clock, random: systemRandom, logger, owner });
  // The Teams, Slack and playground channels plug in here as they arrive.
  const worker = startDelivery({ ...delivery, store, channels: {}, clock, random: systemRandom, logger });
  const server = createApp({ programmes }).listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST}:${port}/`;
    logger.info({ url, programmes: [...programmes.keys()] }, 'Sparringsbot is running');
    process.stdout.write(`Sparringsbot is running at ${url} (health: ${url}healthz)\n`);
  });
  const stop = () => {
    clearInterval(daily);
    server.close(() => {
      void Promise.allSettled([scheduler.stop(), worker.stop()])
        .then(() => Promise.allSettled([delivery.close(), store.close()]))
        .finally(() => process.exit(0));
    });
  };
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
