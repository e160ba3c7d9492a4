// The server's failures, seen from a client over real HTTP: always JSON, never Express's HTML page or a stack trace.
import { Agent, request } from 'node:http';
import express, { type Request } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import { errorHandler, jsonBody, notFound } from '../../src/http/errors.ts';
import { isLoopback, listen, ListenError, type Listening } from '../../src/http/listen.ts';
import { memoryLogger } from '../support/fakes.ts';

const SECRET = 'min hemmelige refleksion om Mette';

/** What the integrator passes: the `internal` error card in the requester's language. */
function errorCard(req: Request) {
  const locale = req.get('accept-language')?.startsWith('sv') ? 'sv' : 'da';
  const card = renderAdaptiveCard('error', { code: 'internal' }, { locale });
  return { card, text: String(card.fallbackText) };
}

// Errors stringify to {}; spell out their message and stack so a leaked body would show.
const logText = (entries: unknown) => JSON.stringify(entries, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value));

function expectNoHtmlNorStack(text: string) {
  expect(text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('.ts:');
}

describe('HTTP failures', () => {
  const logger = memoryLogger();
  let server: Listening;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.post('/echo', jsonBody('100kb', logger), (req, res) => {
      res.json({ got: req.body as unknown });
    });
    app.post('/boom', jsonBody('100kb', logger), () => {
      throw new Error('sync boom');
    });
    app.get('/boom-async', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('async boom');
    });
    app.get('/half', (_req, res) => {
      res.write('partial');
      throw new Error('after the headers');
    });
    app.get('/card-fails', (_req, _res, next) => next(new Error('boom')));
    app.use(notFound());
    app.use(
      errorHandler({
        logger,
        errorCard: (req) => {
          if (req.path === '/card-fails') throw new Error('no card today');
          return errorCard(req);
        },
      }),
    );
    server = await listen(app, 0, '127.0.0.1');
    base = server.url;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    logger.entries.length = 0;
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('parses a valid body on a route that mounts jsonBody', async () => {
    const res = await post('/echo', JSON.stringify({ hello: 'verden' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { hello: 'verden' } });
  });

  it('answers malformed JSON with 400 badJson as JSON, and logs the route and type but not the body', async () => {
    const res = await post('/echo', `{"answer": "${SECRET}",`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expectNoHtmlNorStack(text);
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toEqual({ error: { code: 'badJson', message: expect.any(String) as string } });
    expect(logger.entries).toEqual([{ level: 'warn', fields: { method: 'POST', path: '/echo', type: 'entity.parse.failed' }, message: expect.any(String) as string }]);
    expect(logText(logger.entries)).not.toContain(SECRET);
  });

  it('answers a 200 KB body with 413 tooLarge as JSON', async () => {
    const res = await post('/echo', JSON.stringify({ text: 'x'.repeat(200 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('tooLarge');
  });

  it('answers a body in another charset with 415 as JSON', async () => {
    const res = await post('/echo', '{}', { 'content-type': 'application/json; charset=koi8-r' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupportedCharset');
  });

  it('answers a handler that throws with 500 and the Danish error card, and logs one error without the body', async () => {
    const res = await post('/boom', JSON.stringify({ answer: SECRET }), { 'accept-language': 'da' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expectNoHtmlNorStack(text);
    expect(text).not.toContain('sync boom');
    const body = JSON.parse(text) as { error: { code: string; message: string }; card: { type: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).toContain('Noget gik galt');
    expect(body.card.type).toBe('AdaptiveCard');
    expect(JSON.stringify(body.card)).toContain('Det gik ikke');

    const errors = logger.entries.filter((e) => e.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toMatchObject({ method: 'POST', path: '/boom' });
    expect((errors[0]!.fields.err as Error).message).toBe('sync boom');
    expect(logText(logger.entries)).not.toContain(SECRET);
  });

  it('answers an async handler that rejects with 500 and the Swedish error card', async () => {
    const res = await fetch(`${base}/boom-async?token=abc`, { headers: { 'accept-language': 'sv-SE' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expectNoHtmlNorStack(text);
    const body = JSON.parse(text) as { error: { code: string; message: string }; card: unknown };
    expect(body.error).toEqual({ code: 'internal', message: expect.stringContaining('Något gick fel') as string });
    expect(JSON.stringify(body.card)).toContain('Det gick inte');
    const errors = logger.entries.filter((e) => e.level === 'error');
    expect(errors).toHaveLength(1);
    // The query string is left out of the log: it can carry tokens.
    expect(errors[0]!.fields.path).toBe('/boom-async');
  });

  it('still answers JSON when the error card itself cannot be rendered', async () => {
    const res = await fetch(`${base}/card-fails`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string }; card?: unknown };
    expect(body.error.code).toBe('internal');
    expect(body.card).toBeUndefined();
  });

  it('closes the connection when a handler fails after its answer started', async () => {
    await expect(fetch(`${base}/half`).then((res) => res.text())).rejects.toThrow();
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
  });

  it('answers an unknown route with 404 notFound as JSON', async () => {
    for (const res of [await fetch(`${base}/nope`), await post('/nope', '{}')]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('notFound');
    }
  });
});

describe('listen', () => {
  it('rejects with one line naming the port when the port is taken', async () => {
    const taken = await listen(express(), 0, '127.0.0.1');
    try {
      const error = (await listen(express(), taken.port, '127.0.0.1').catch((e: unknown) => e)) as ListenError;
      expect(error).toBeInstanceOf(ListenError);
      expect(error.name).toBe('ListenError');
      expect(error.code).toBe('EADDRINUSE');
      expect(error.message).toBe(`port ${taken.port} on 127.0.0.1 is already in use (EADDRINUSE): stop the other process or set PORT`);
      expect(error.message).not.toContain('\n');
      expect(String(error.stack)).not.toContain('\n');
    } finally {
      await taken.close();
    }
  });

  it('gives the bound port and a bracketed URL for IPv6', async () => {
    const server = await listen(express(), 0, '::1').catch(() => undefined);
    if (!server) return; // no IPv6 loopback on this machine
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://[::1]:${server.port}`);
    } finally {
      await server.close();
    }
  });

  it('close() resolves while a client holds an idle keep-alive connection', async () => {
    const app = express();
    app.get('/', (_req, res) => res.send('ok'));
    const server = await listen(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(agent, `${server.url}/`)).toBe('ok');
      // A grace far longer than the test's own limit: resolving at all shows the idle socket did not hold it.
      await server.close(3_600_000);
    } finally {
      agent.destroy();
    }
  });

  it('close() lets a request in flight finish, then resolves without waiting for the keep-alive socket', async () => {
    const app = express();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    app.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.send('done');
    });
    const server = await listen(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = get(agent, `${server.url}/slow`);
      await arrival;
      const closed = server.close(3_600_000);
      release();
      expect(await answer).toBe('done');
      // The keep-alive socket is closed once its answer is out, long before the grace is over.
      await closed;
    } finally {
      agent.destroy();
    }
  });

  it('close() cuts a request that never finishes once the grace period is over', async () => {
    const app = express();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/hang', () => arrived());
    const server = await listen(app, 0, '127.0.0.1');
    const answer = fetch(`${server.url}/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await arrival;
    await server.close(200);
    expect(await answer).toBe('cut');
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.4.5.6', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '192.168.1.20', '128.0.0.1', '::2', 'example.org', ''])('%s is not loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

function get(agent: Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
