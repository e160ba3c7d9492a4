// Entry point of the `sparring` command; all logic is in cli/ so tests can run it in-process.
import { runCli } from './cli/run.ts';
import { ConfigError } from './config-error.ts';

/**
 * The store is opened only by the commands that need it (export, erase, status), from the same configuration as
 * the bot; the configuration's and the store's code (a Redis client among it) is loaded only then.
 */
async function openFromConfig() {
  const [{ loadConfig }, store] = await Promise.all([import('./config.ts'), import('./store/open.ts')]);
  return { config: loadConfig(), store };
}

// Output piped into a reader that stops early (`sparring plan | head`) ends the command quietly, as other tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = await runCli(
    process.argv.slice(2),
    { out: process.stdout, err: process.stderr },
    {
      openStore: async () => {
        const { config, store } = await openFromConfig();
        return store.openStore(config);
      },
      openOutbox: async () => {
        const { config, store } = await openFromConfig();
        return store.openOutbox(config);
      },
    },
  );
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
