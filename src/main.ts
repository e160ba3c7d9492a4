// Composition root: config → programmes → store → the server. The only place that exits the process.
import { pino } from 'pino';
import { applyRetention } from './app/apply-retention.ts';
import { startPlayground } from './channels/local/start.ts';
import { ConfigError, loadConfig } from './config.ts';
import { BUILT_IN_DIR, loadProgrammes, ProgrammeFileError } from './programmes/load.ts';
import { openStore } from './store/open.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

async function start() {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const programmes = loadProgrammes(config.PROGRAMMES_DIR ? [BUILT_IN_DIR, config.PROGRAMMES_DIR] : [BUILT_IN_DIR]);
  if (!programmes.has(config.DEMO_PROGRAMME)) {
    throw new ConfigError(`invalid configuration (see .env.example): DEMO_PROGRAMME: no programme "${config.DEMO_PROGRAMME}"; choose one of ${[...programmes.keys()].join(', ')}`);
  }
  const store = openStore(config);
  const clock = { now: () => new Date() };
  // Old replies go once at start and then daily; a failed sweep is logged and tried again the next day.
  const sweep = () =>
    applyRetention({ store, clock, logger }, config.RETENTION_DAYS).catch((error: unknown) => logger.error({ err: error }, 'retention sweep failed'));
  void sweep();
  const daily = setInterval(sweep, DAY_MS);
  daily.unref();

  // With no Teams or Slack credentials the bot runs its playground: the demo team on the local channel.
  // The Teams and Slack channels (their own issues) plug in beside it through src/scheduler/loop.ts and
  // src/delivery/loop.ts, on the same store and outbox.
  const server = await startPlayground({
    port: config.PORT,
    host: config.HOST,
    programmes,
    store,
    programmeId: config.DEMO_PROGRAMME,
    ...(config.DEMO_START ? { demoStart: config.DEMO_START } : {}),
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    logger,
  });
  logger.info({ url: server.url, programmes: [...programmes.keys()] }, 'Sparringsbot is running');
  process.stdout.write(`Sparringsbot is running at ${server.url} (open it to try the demo team; health: ${server.url}healthz)\n`);

  const stop = () => {
    clearInterval(daily);
    void server
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  await start();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ProgrammeFileError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
