// `npm start` binds its port before it loads the server's code (src/main.ts, src/http/starting.ts): while it
// starts, /healthz says it is alive, /readyz that it is not ready, and everything else is a JSON 503 to retry;
// once the server is built on that port, every request is the server's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { listenStarting, type StartingServer } from '../../src/http/starting.ts';
import { memoryLogger } from '../support/fakes.ts';

async function answer(url: string, path: string, init?: RequestInit) {
  const response = await fetch(new URL(path, url), init);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), requestId: response.headers.get('x-request-id'), body: (await response.json()) as Record<string, unknown> };
}

describe('the port bound before the server is built', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-starting-'));
  let starting: StartingServer | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await (server ? server.stop() : starting?.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('is alive but not ready while starting, and serves the built server on the same port once it is there', async () => {
    starting = await listenStarting(0, '127.0.0.1');
    const url = `${starting.url}/`;

    expect(await answer(url, 'healthz')).toMatchObject({ status: 200, body: { status: 'starting' } });
    expect(await answer(url, 'readyz')).toMatchObject({ status: 503, retryAfter: '1', body: { status: 'unready', checks: { started: false } } });
    const early = await answer(url, 'playground/api/state?as=leder', { headers: { 'x-request-id': 'req-1' } });
    expect(early).toEqual({ status: 503, retryAfter: '1', requestId: 'req-1', body: { error: { code: 'starting', message: 'Sparringsbot is starting. Please try again shortly.' } } });
    expect(await answer(url, 'api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' })).toMatchObject({
      status: 503,
      body: { error: { code: 'starting' } },
    });

    server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_FILE: join(dir, 'data.json'), LOG_FORMAT: 'json' }), memoryLogger(), { listening: starting });
    expect(server.url).toBe(url);
    expect(await answer(url, 'healthz')).toMatchObject({ status: 200, body: { status: 'ok', channels: ['playground'] } });
    expect(await answer(url, 'readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    const state = await answer(url, 'playground/api/state?as=leder');
    expect(state.status).toBe(200);
    expect(JSON.stringify(state.body)).toContain('Forløbet er sat op');
  });
});
