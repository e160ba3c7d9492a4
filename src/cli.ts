// Entry point of the `sparring` command; all logic is in cli/ so tests can run it in-process.
import { runCli } from './cli/run.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openOutbox, openStore } from './store/open.ts';

try {
  // The store is opened only by the commands that need it (export, erase), from the same configuration as the bot.
  process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr }, { openStore: () => openStore(loadConfig()), openOutbox: () => openOutbox(loadConfig()) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
