// The composition root in-process, on Redis: the playground beside Teams, its demo clock touching
// only the demo team, its controls refused off a loopback address, and JSON answers for bad requests.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aRun } from '../support/plans.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { DEMO_TEAM } from '../../src/channels/local/demo.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';
import { deleteNamespace } from '../support/redis-server.ts';

const REAL_TEAM: TeamRef = { tenant: 'tenant-real', team: '19:real@thread.tacv2' };
const today = DateTime.utc().startOf('day');

async function post(url: string, path: string, body: string) {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, type: response.headers.get('content-type') ?? '', json: (await response.json()) as Record<string, unknown> };
}

describe('one server for every channel', () => {
  const namespace = `compose-${Math.random().toString(36).slice(2)}`;
  const env = { REDIS_URL: inject('redisUrl'), REDIS_NAMESPACE: namespace, TEAMS_AUTH_DISABLED: 'true', PLAYGROUND: 'true', LOG_FORMAT: 'json' };
  let store: RedisStore;
  let delivery: ReturnType<typeof connectDelivery>;

  beforeAll(async () => {
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    // A real team whose programme starts in two months: nothing of it is due on the real clock.
    const run: Run = aRun({
      team: REAL_TEAM,
      programmeId: 'odense-science-boernehoejde',
      start: today.plus({ days: 60 }).toISODate()!,
      members: [
        { userId: '29:leder', roles: ['leader'] },
        { userId: '29:s1', roles: ['staff'] },
      ],
    });
    await store.saveRun(run);
  });
  afterAll(async () => {
    await store.close();
    await delivery.close();
    await deleteNamespace(inject('redisUrl'), namespace);
  });

  describe('the playground beside Teams, on a loopback address', () => {
    let server: RunningServer;
    beforeAll(async () => {
      // The demo runs four months ahead of the real clock, past the real team's first weeks.
      server = await startServer(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', DEMO_START: today.plus({ days: 120 }).toISODate()! }), memoryLogger());
    });
    afterAll(() => server.stop());

    it('names both channels and serves the demo team', async () => {
      expect(server.channels).toEqual(['teams', 'playground']);
      const health = (await (await fetch(new URL('healthz', server.url))).json()) as { channels: string[] };
      expect(health.channels).toEqual(['teams', 'playground']);
      // The demo begins on its first day: the channel has been told the programme started.
      const state = (await (await fetch(new URL('playground/api/state?as=leder', server.url))).json()) as { channel: unknown[] };
      expect(JSON.stringify(state.channel)).toContain('Forløbet er sat op');
    });

    it('moves the demo clock for the demo team only: a real team’s weeks stay unfired', async () => {
      for (let week = 0; week < 3; week++) expect((await post(server.url, 'playground/api/clock', JSON.stringify({ as: 'leder', step: 'week' }))).status).toBe(200);
      expect((await delivery.claims.fired(DEMO_TEAM)).size).toBeGreaterThan(0);
      expect([...(await delivery.claims.fired(REAL_TEAM))]).toEqual([]);
      expect(await delivery.outbox.pending()).toBe(0);
    });

    it('answers a malformed or oversized body with JSON, never an HTML page', async () => {
      const broken = await post(server.url, 'playground/api/command', '{"as": "leder", "text": ');
      expect(broken).toMatchObject({ status: 400, json: { error: { code: 'badJson' } } });
      expect(broken.type).toContain('application/json');
      const huge = await post(server.url, 'playground/api/command', JSON.stringify({ as: 'leder', text: 'x'.repeat(200_000) }));
      expect(huge).toMatchObject({ status: 413, json: { error: { code: 'tooLarge' } } });
      const nowhere = await fetch(new URL('no/such/page', server.url));
      expect(nowhere.status).toBe(404);
      expect(nowhere.headers.get('content-type')).toContain('application/json');
    });
  });

  describe('the playground on an address others can reach', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(loadConfig({ ...env, PORT: '0', HOST: '0.0.0.0' }), memoryLogger());
    });
    afterAll(() => server.stop());
    const local = (path: string) => new URL(path, server.url.replace('0.0.0.0', '127.0.0.1')).toString();

    it('shows the leader’s view, but refuses to move the clock, switch person or act', async () => {
      const view = await fetch(local('playground/api/state'));
      expect(view.status).toBe(200);
      expect(await view.json()).toMatchObject({ me: { userId: 'leder' }, local: false });
      const before = (await delivery.claims.fired(DEMO_TEAM)).size;
      const clock = await post(local('/'), 'playground/api/clock', JSON.stringify({ as: 'leder', step: 'week' }));
      expect(clock).toMatchObject({ status: 403, json: { error: { code: 'localOnly', message: expect.stringContaining('computer') } } });
      expect((await fetch(local('playground/api/state?as=s1'))).status).toBe(403);
      expect((await post(local('/'), 'playground/api/command', JSON.stringify({ as: 'leder', text: 'agenda' }))).status).toBe(403);
      expect((await delivery.claims.fired(DEMO_TEAM)).size).toBe(before);
    });
  });
});
