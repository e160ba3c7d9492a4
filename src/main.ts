// The process: configuration → the server (src/compose/server.ts) → signals. The only place that exits the process.
import { checkSomethingServed, ConfigError, loadConfig, logPseudonymKey } from './config.ts';
import { ListenError } from './http/listen.ts';
import { listenStarting } from './http/starting.ts';
import { createLogger } from './log.ts';
import { ProgrammeFileError } from './programmes/file-error.ts';

/** A stop that hangs (a platform that never answers) must not keep a deploy waiting for ever. */
const STOP_LIMIT_MS = 30_000;

async function main() {
  const config = loadConfig();
  checkSomethingServed(config);
  const logger = createLogger(config, logPseudonymKey(config));
  // Bound before the rest is loaded (src/http/starting.ts): alive at /healthz within a tenth of a second, unready at
  // /readyz until the server is built. A busy port is still told before any of that work.
  const listening = await listenStarting(config.PORT, config.HOST);
  const { startServer } = await import('./compose/server.ts');
  const server = await startServer(config, logger, { listening });
  logger.info({ url: server.url, channels: server.channels }, 'Sparringsbot is running');
  process.stdout.write(`Sparringsbot is running at ${server.url} with ${server.channels.join(', ')} (health: ${server.url}healthz)\n`);

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    const limit = setTimeout(() => {
      logger.error({ limitMs: STOP_LIMIT_MS }, 'stop took too long; exiting');
      process.exit(1);
    }, STOP_LIMIT_MS);
    limit.unref();
    void server.stop().then(
      () => {
        // Said only once every part has stopped: no new work, the sends in flight recorded, the store closed.
        logger.info({ signal }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  await main();
} catch (error) {
  // What an operator can fix is said in one line; anything else is a bug and keeps its stack.
  if (!(error instanceof ConfigError || error instanceof ProgrammeFileError || error instanceof ListenError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
