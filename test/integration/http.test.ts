import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.ts';
import { createApp } from '../../src/http/server.ts';
import { loadProgrammes } from '../../src/programmes/load.ts';

describe('HTTP server', () => {
  let server: ReturnType<ReturnType<typeof createApp>['listen']>;
  let base: string;
  beforeAll(async () => {
    server = createApp({ programmes: loadProgrammes() }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('GET /healthz answers ok with the loaded programmes', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; programmes: string[] };
    expect(body.status).toBe('ok');
    expect(body.programmes).toHaveLength(5);
  });

  it('an unknown path is a 404', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('HTTP server started with listen()', () => {
  it('serves the app on the port the OS chose and closes cleanly', async () => {
    const server = await listen(createApp({ programmes: loadProgrammes() }), 0, '127.0.0.1');
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
