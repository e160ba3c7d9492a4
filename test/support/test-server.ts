// The server as `npm start` builds it (in-process, on Redis), started before a describe's tests beside a fake
// of the platform it talks to, with its own Redis namespace and programme folder: what the Slack and Teams
// integration tests start from (slack-server.ts, teams-server.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { botEnv } from './bot-env.ts';
import { memoryLogger } from './fakes.ts';
import { deleteNamespace } from './redis-server.ts';
import { countingRandom } from './stores.ts';

export interface TestServerOptions<Fake> {
  /** Names the Redis namespace and the temp folder. */
  name: string;
  /** Programme files by file name. */
  programmes: Record<string, string>;
  startFake: () => Promise<Fake>;
  /** The platform's part of the environment, pointing at the fake. */
  platformEnv: (fake: Fake) => Record<string, string | undefined>;
  /** More or other environment (e.g. PROCESS_ROLE=web, OAuth instead of a bot token). */
  env?: Record<string, string | undefined>;
  /** What the store holds before the server starts. */
  seed?: (store: RedisStore, fake: Fake) => Promise<void>;
}

export interface TestServer<Fake> {
  /** The Redis key prefix of this server's store and delivery. */
  readonly namespace: string;
  readonly fake: Fake;
  readonly store: RedisStore;
  readonly server: RunningServer;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** The environment the server started with: another process of the same deployment starts from it. */
  readonly env: Record<string, string | undefined>;
}

/**
 * Starts the fake and the server before the describe's tests and stops them after, deleting every key of
 * its own namespace and its temp folder. The fields are there from the first test on.
 */
export function useTestServer<Fake extends { close(): Promise<void> }>(options: TestServerOptions<Fake>): TestServer<Fake> {
  const namespace = `${options.name}-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), `sparringsbot-${options.name}-`));
  const logger = memoryLogger();
  let fake: Fake | undefined;
  let store: RedisStore | undefined;
  let server: RunningServer | undefined;
  let env: Record<string, string | undefined> | undefined;

  beforeAll(async () => {
    fake = await options.startFake();
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    for (const [file, text] of Object.entries(options.programmes)) writeFileSync(join(dir, file), text);
    await options.seed?.(store, fake);
    env = botEnv(namespace, dir, { ANONYMITY_SECRET: `${options.name}-test-secret-0123456789abcdef`, ...options.platformEnv(fake), ...options.env });
    server = await startServer(loadConfig(env), logger);
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await fake?.close();
    await deleteNamespace(inject('redisUrl'), namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    namespace,
    logger,
    get fake() {
      return ready(fake, 'the fake platform');
    },
    get store() {
      return ready(store, 'the store');
    },
    get server() {
      return ready(server, 'the server');
    },
    get env() {
      return ready(env, 'the environment');
    },
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is there once beforeAll has run`);
  return value;
}
