// One Redis client per process: the store, delivery, the limiter, the seen activities and the command queue of
// a running bot share one connection (src/store/redis/client.ts), instead of one each.
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { buildCore, type Core } from '../../src/compose/core.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../support/fakes.ts';
import { type RedisServer, removeServerFolder, startRedisServer } from '../support/redis-server.ts';
import { waitFor } from '../support/wait-for.ts';

let server: RedisServer | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  await server?.stop();
  if (server) removeServerFolder(server);
});

it('has every Redis part of the process on one connection, closed with the process', async () => {
  server = await startRedisServer();
  const admin = new Redis(server.url);
  // Connections to this private server, besides the one counting them.
  const others = async () =>
    String(await admin.client('LIST'))
      .trim()
      .split('\n').length - 1;
  try {
    core = await buildCore(loadConfig({ REDIS_URL: server.url, REDIS_NAMESPACE: 'shared' }), memoryLogger());
    await core.store.listTeams();
    await core.outbox.pending();
    await core.seen.firstTime('activity-1', 60_000);
    await core.commands.push({ platform: 'slack', tenant: 'T1', channel: 'C1', userId: 'U1', text: 'status', responseUrl: 'http://127.0.0.1:1/', receivedAt: new Date().toISOString() });
    expect(await others()).toBe(1);
    await core.close();
    core = undefined;
    await waitFor(async () => (await others()) === 0 || 'still connected', { what: 'the shared connection to close' });
  } finally {
    admin.disconnect();
  }
});
