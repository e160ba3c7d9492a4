import { inject } from 'vitest';

/**
 * The environment of a bot (a process of `bin/main.js`, or `startServer` in the test's own) over the test run's
 * Redis: any free port on loopback, a namespace and a programmes folder of its own, JSON logs, and what the test adds.
 */
export function botEnv(namespace: string, programmesDir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: inject('redisUrl'),
    REDIS_NAMESPACE: namespace,
    PROGRAMMES_DIR: programmesDir,
    LOG_FORMAT: 'json',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
