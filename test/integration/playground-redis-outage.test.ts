// The playground while its store is away (on Redis, stopped): a click or a command gets an error card that
// asks to try again, never a false "thank you", and it answers again once Redis is back. The server as
// `npm start` builds it with nothing but REDIS_URL set (in-process), on a private redis-server.
import { afterEach, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../support/fakes.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { waitFor } from '../support/wait-for.ts';

let redis: RedisServer | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  await redis?.stop();
  if (redis) removeServerFolder(redis);
});

interface Message {
  id: string;
  card?: { actions?: Array<{ verb?: string; data?: unknown }> };
}

it('answers a click and a command with "try again" while Redis is away, and answers again once it is back', async () => {
  redis = await startRedisServer({ aof: true });
  server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_NAMESPACE: `playground-outage-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', LOG_FORMAT: 'json' }),
    memoryLogger(),
  );
  const api = (path: string, body?: unknown) =>
    fetch(new URL(`playground/api/${path}`, server!.url), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const state = (await (await api('state')).json()) as { me: { userId: string }; chat: Message[] };
  const me = state.me.userId;
  const welcome = state.chat.at(-1)!;
  const click = { as: me, messageId: welcome.id, verb: 'help', data: {}, inputs: {} };

  const { port, dir } = redis;
  await redis.stop();
  for (const [path, body] of [
    ['action', click],
    ['command', { as: me, text: 'status' }],
  ] as const) {
    const response = await api(path, body);
    expect(response.status, path).toBeGreaterThanOrEqual(500);
    const answer = (await response.json()) as { error: { message: string }; card?: unknown };
    expect(answer.error.message, path).toContain('Prøv igen');
    expect(JSON.stringify(answer.card), path).toContain('Prøv igen');
    expect(JSON.stringify(answer), path).not.toMatch(/Tak for|Godt gået/);
  }

  redis = await startRedisServer({ aof: true, port, dir });
  await waitFor(async () => (await api('state')).status === 200, { what: 'the playground once Redis is back' });
  expect((await api('command', { as: me, text: 'status' })).status).toBe(200);
});
