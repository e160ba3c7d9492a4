// What an operator sees of a running Sparringsbot: /readyz that follows Redis going away and coming back, the
// Prometheus metrics at /metrics, a request id on every answer and on every log line written for it, and log
// lines that name no person and hold no token.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { type Channel, ChannelError } from '../../src/app/ports.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/server.ts';
import { listen } from '../../src/http/listen.ts';
import { startDelivery } from '../../src/delivery/loop.ts';
import { createLogger, pseudonym } from '../../src/log.ts';
import { loopHealth } from '../../src/observability/loop-health.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { RecordingChannel } from '../support/delivery.ts';
import { memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { waitFor } from '../support/wait-for.ts';

const SECRET = 'observability-test-secret-0123456789abcdef';

/** A pino logger writing JSON lines into an array. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, 'log-key', false, stream) };
}

describe('logs', () => {
  it('name people by a keyed pseudonym, keep the team channel, and redact tokens', () => {
    const { lines, logger } = capturedLogger();
    logger.info({ tenant: 'T1', userId: '29:anna', member: 'U0BO', recipient: 'channel:19:abc', installation: { botToken: 'xoxb-secret' } }, 'role changed');
    expect(lines[0]).toMatchObject({
      tenant: 'T1',
      userId: pseudonym('29:anna', 'log-key'),
      member: pseudonym('U0BO', 'log-key'),
      recipient: 'channel:19:abc',
      installation: { botToken: '[redacted]' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/anna|U0BO|xoxb/);
    // The same person is the same pseudonym on every line; another key, another pseudonym.
    expect(pseudonym('29:anna', 'log-key')).toBe(lines[0]!['userId']);
    expect(pseudonym('29:anna', 'another-key')).not.toBe(lines[0]!['userId']);
  });

  it('carry the request id of the request they were written for, the caller’s or a new one', async () => {
    const { lines, logger } = capturedLogger();
    const probe = (app: Express) =>
      app.get('/probe', async (_req, res) => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info({}, 'handled after an await');
        res.json({ ok: true });
      });
    const server = await listen(createApp({ programmes: new Map(), logger, routes: [probe] }), 0, '127.0.0.1');
    try {
      const given = await fetch(`${server.url}/probe`, { headers: { 'x-request-id': 'lb-1234' } });
      expect(given.headers.get('x-request-id')).toBe('lb-1234');
      const made = await fetch(`${server.url}/probe`, { headers: { 'x-request-id': 'no spaces or <tags> please' } });
      const madeId = made.headers.get('x-request-id')!;
      expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.filter((l) => l['msg'] === 'handled after an await').map((l) => l['requestId'])).toEqual(['lb-1234', madeId]);
    } finally {
      await server.close();
    }
  });
});

describe('/readyz and /metrics on the server as npm start builds it', () => {
  let redis: RedisServer | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    await redis?.stop().catch(() => {});
    if (redis) removeServerFolder(redis);
    server = undefined;
    redis = undefined;
  });

  const serve = async (url: string) =>
    startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: url, REDIS_NAMESPACE: 'observability', TEAMS_AUTH_DISABLED: 'true', ANONYMITY_SECRET: SECRET, LOG_FORMAT: 'json' }),
      memoryLogger(),
    );
  const readyz = async () => {
    const response = await fetch(new URL('readyz', server!.url));
    return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, boolean> } };
  };

  it('is ready with Redis and its loops, unready while Redis is away, and ready again once it is back', async () => {
    redis = await startRedisServer();
    server = await serve(redis.url);
    // Ready once the connection to Redis is up (a moment after start-up).
    await waitFor(async () => (await readyz()).status === 200, { what: '/readyz once connected' });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { store: true, scheduler: true, delivery: true } } });
    const port = redis.port;
    const dir = redis.dir;
    await redis.stop();
    await waitFor(async () => (await readyz()).status === 503, { what: '/readyz to fail with Redis gone' });
    expect((await readyz()).body).toMatchObject({ status: 'unready', checks: { store: false } });
    // /healthz still answers: the process is alive, only not ready.
    expect((await fetch(new URL('healthz', server.url))).status).toBe(200);
    redis = await startRedisServer({ port, dir });
    await waitFor(async () => (await readyz()).status === 200, { what: '/readyz to recover once Redis is back' });
  });

  it('serves Prometheus metrics: requests by route and status, the outbox depth, the scheduler’s ticks', async () => {
    redis = await startRedisServer();
    server = await serve(redis.url);
    await fetch(new URL('healthz', server.url));
    await fetch(new URL('no/such/page?userId=29:anna', server.url));
    await waitFor(async () => (await (await fetch(new URL('metrics', server!.url))).text()).includes('sparring_scheduler_ticks_total{outcome="ok"}'), { what: 'the first tick in the metrics' });
    const response = await fetch(new URL('metrics', server.url));
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/sparring_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1/);
    expect(text).toMatch(/sparring_http_requests_total\{route="other",method="GET",status="404"\} 1/);
    expect(text).toMatch(/sparring_outbox_depth 0/);
    expect(text).toContain('sparring_http_request_duration_seconds_bucket');
    expect(text).toContain('sparring_process_cpu_seconds_total');
    // Labels say routes and outcomes, never a person or a path's query.
    expect(text).not.toContain('anna');
  });
});

describe('delivery metrics by platform', () => {
  it('count sends, 429s, retries and dead letters per platform (teams, slack, mail) at /metrics', async () => {
    const metrics = createMetrics();
    const clock = { now: () => new Date() };
    const health = loopHealth(metrics, clock);
    const store = new EmbeddedStore(join(mkdtempSync(join(tmpdir(), 'sparring-metrics-')), 'data.json'), countingRandom());
    const outbox = new MemoryOutbox(clock);
    const server = await listen(createApp({ programmes: new Map(), metrics }), 0, '127.0.0.1');
    const team = { tenant: 'odense', team: 'solsikken' };
    const teams = new RecordingChannel();
    teams.failures.push(new ChannelError('bad gateway', 'transient', undefined, 502));
    const slack: Channel = {
      platform: 'slack',
      send: async () => {
        throw new ChannelError('ratelimited', 'throttled', 3_600_000, 429);
      },
      update: async () => {},
    };
    await store.saveConversation(team, { platform: 'teams', key: 'anna', reference: { conversation: { id: 'a:anna' } } });
    await store.saveConversation(team, { platform: 'slack', key: 'U0BO', reference: { conversation: { id: 'D0BO' } } });
    const card = { name: 'help', data: { commands: ['help'] }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' };
    await outbox.enqueue(
      [
        { team, occurrenceId: 'hjaelp', recipient: 'anna', card },
        { team, occurrenceId: 'hjaelp', recipient: 'U0BO', card },
        { team, occurrenceId: 'mail:besoeg-1', recipient: 'mail:mette@example.org', mail: { to: 'mette@example.org', subject: 'Plan', text: 'Hej' } },
      ],
      Date.now(),
    );
    const delivery = startDelivery(
      { outbox, limiter: new MemoryRateLimiter({}), store, channels: { teams, slack }, clock, random: countingRandom(), logger: memoryLogger(), observer: health.delivery() },
      { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1, firstRetryMs: 1 },
    );
    try {
      const text = async () => (await fetch(new URL('metrics', server.url))).text();
      await waitFor(async () => (await text()).includes('sparring_deliveries_total{platform="teams",outcome="sent"} 1'), { what: 'the Teams send in the metrics' });
      const shown = await text();
      expect(shown).toContain('sparring_deliveries_total{platform="teams",outcome="retrying"} 1');
      expect(shown).toContain('sparring_deliveries_total{platform="slack",outcome="throttled"} 1');
      expect(shown).toContain('sparring_deliveries_total{platform="mail",outcome="dead"} 1');
      expect(shown).not.toContain('platform="all"');
    } finally {
      await delivery.stop();
      await server.close();
      await store.close();
    }
  });

  it('count and log a card taken over from a worker that stopped mid-send, which may reach its recipient twice', async () => {
    const metrics = createMetrics();
    let nowMs = Date.now();
    const clock = { now: () => new Date(nowMs) };
    const store = new EmbeddedStore(join(mkdtempSync(join(tmpdir(), 'sparring-metrics-')), 'data.json'), countingRandom());
    const outbox = new MemoryOutbox(clock);
    const server = await listen(createApp({ programmes: new Map(), metrics }), 0, '127.0.0.1');
    const team = { tenant: 'odense', team: 'solsikken' };
    await store.saveConversation(team, { platform: 'teams', key: 'anna', reference: { conversation: { id: 'a:anna' } } });
    await outbox.enqueue([{ team, occurrenceId: 'hjaelp', recipient: 'anna', card: { name: 'help', data: { commands: ['help'] }, locale: 'da', timeZone: 'Europe/Copenhagen' } }], nowMs);
    // A worker takes it and dies; its lease runs out.
    expect(await outbox.take(nowMs, 1, 30_000)).toHaveLength(1);
    nowMs += 31_000;
    const { lines, logger } = capturedLogger();
    const teams = new RecordingChannel();
    const delivery = startDelivery(
      { outbox, limiter: new MemoryRateLimiter({}), store, channels: { teams }, clock, random: countingRandom(), logger, observer: loopHealth(metrics, clock).delivery() },
      { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1 },
    );
    try {
      const text = async () => (await fetch(new URL('metrics', server.url))).text();
      await waitFor(async () => (await text()).includes('sparring_deliveries_total{platform="teams",outcome="sent"} 1'), { what: 'the send in the metrics' });
      expect(await text()).toContain('sparring_deliveries_resumed_total{platform="teams"} 1');
      const said = lines.filter((line) => line['msg'] === 'delivery resumed after its worker stopped mid-send: the card may reach its recipient twice');
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ occurrenceId: 'hjaelp', platform: 'teams', recipient: pseudonym('anna', 'log-key') });
    } finally {
      await delivery.stop();
      await server.close();
      await store.close();
    }
  });
});
