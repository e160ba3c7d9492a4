import { createRequire } from 'node:module';
import { pino } from 'pino';
import type pretty from 'pino-pretty';
import type { Config } from './config.ts';

/**
 * The process's logger: JSON lines for a log collector, or readable lines for a person at a
 * terminal (LOG_FORMAT, by default pretty exactly when stdout is a terminal).
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, stdoutIsTerminal = Boolean(process.stdout.isTTY)) {
  const format = config.LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json');
  if (format === 'json') return pino({ level: config.LOG_LEVEL });
  // Loaded only for a person at a terminal: a server logging JSON starts without it.
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as typeof pretty;
  // Synchronous, in this thread: a worker-thread transport can drop the last lines when the process exits.
  return pino({ level: config.LOG_LEVEL }, prettyStream({ sync: true, colorize: stdoutIsTerminal, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}
