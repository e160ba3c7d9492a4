import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { type DestinationStream, pino } from 'pino';
import type pretty from 'pino-pretty';
import type { Config } from './config.ts';
import { currentRequestId } from './observability/request-context.ts';

/** Fields that name a person: logged as a keyed pseudonym, so a log line can be followed but not read back to a person. */
const PERSON_FIELDS = new Set(['userId', 'member', 'platformUserId', 'installedBy', 'recipient', 'user']);
/** Recipients that are not people keep their name: a team channel is not personal data. */
const NOT_A_PERSON = /^channel(:|$)/;
/** Secrets that must never reach a log line, wherever a careless object puts them. */
const SECRET_PATHS = ['*.token', '*.botToken', '*.password', '*.secret', '*.authorization', '*.Authorization', 'headers.authorization', 'headers.cookie'];

/** `u_` and 12 hex digits of an HMAC of the id: the same person is the same pseudonym in every line of this deployment. */
export function pseudonym(id: string, key: string): string {
  return `u_${createHmac('sha256', key).update(id).digest('hex').slice(0, 12)}`;
}

function pseudonymised(fields: Record<string, unknown>, key: string): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(fields)) {
    if (!PERSON_FIELDS.has(name) || typeof value !== 'string' || NOT_A_PERSON.test(value)) continue;
    out ??= { ...fields };
    out[name] = pseudonym(value, key);
  }
  return out ?? fields;
}

/**
 * The process's logger: JSON lines for a log collector, or readable lines for a person at a terminal
 * (LOG_FORMAT, by default pretty exactly when stdout is a terminal). Every line carries the request id of
 * the inbound request it was written for; person ids become keyed pseudonyms (`personKey`, derived from the
 * deployment's secret); tokens and passwords are redacted.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  personKey: string,
  stdoutIsTerminal = Boolean(process.stdout.isTTY),
  /** Where JSON lines go: stdout, or a test's stream. */
  destination?: DestinationStream,
) {
  const format = config.LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json');
  const options = {
    level: config.LOG_LEVEL,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    formatters: { log: (fields: Record<string, unknown>) => pseudonymised(fields, personKey) },
  };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  // Loaded only for a person at a terminal: a server logging JSON starts without it.
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as typeof pretty;
  // Synchronous, in this thread: a worker-thread transport can drop the last lines when the process exits.
  return pino(options, prettyStream({ sync: true, colorize: stdoutIsTerminal, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}
