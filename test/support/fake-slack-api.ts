// A stand-in for Slack's Web API (the methods Sparringsbot calls) and for a slash command's response_url:
// records every call, answers like Slack (`{ ok: true, … }`, `{ ok: false, error }`), and answers a 429
// with Retry-After or an error when told to.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  /** The call's arguments; JSON-valued form fields (blocks, view) parsed. */
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeSlackApi {
  /** With no trailing slash; the Web API is at `${url}/api/`. */
  url: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Where a slash command's response_url points: posts there are recorded as method `response_url`. */
  responseUrl(id?: string): string;
  /** The next call of `method` answers with HTTP `status` (429 with Retry-After `retryAfter` seconds) or `{ ok: false, error }`. */
  failNext(method: string, failure: { status: 429; retryAfter: number } | { status: number } | { error: string }): void;
  close(): Promise<void>;
}

function parseBody(req: IncomingMessage, raw: string): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      body[key] = value;
    }
  }
  return body;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const failures = new Map<string, Array<{ status: 429; retryAfter: number } | { status: number } | { error: string }>>();
  let ts = 1_700_000_000;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const method = path.startsWith('/respond/') ? 'response_url' : path.replace(/^\/api\//, '');
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const failure = failures.get(method)?.shift();
      if (failure && 'retryAfter' in failure) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      if (failure && 'status' in failure) return answer(failure.status, { ok: false, error: 'fatal_error' });
      if (failure && 'error' in failure) return answer(200, { ok: false, error: failure.error });
      const body = parseBody(req, raw);
      calls.push({ method, body, authorization: req.headers.authorization });
      switch (method) {
        case 'response_url':
          return answer(200, { ok: true });
        case 'conversations.open':
          return answer(200, { ok: true, channel: { id: `D${String(body['users'] ?? '').replace(/^U/, '')}` } });
        case 'chat.postMessage':
        case 'chat.postEphemeral':
          return answer(200, { ok: true, channel: body['channel'], ts: `${++ts}.000100`, message_ts: `${ts}.000100` });
        case 'chat.update':
          return answer(200, { ok: true, channel: body['channel'], ts: body['ts'] });
        case 'conversations.members':
          return answer(200, { ok: true, members: ['U1', 'U2'], response_metadata: { next_cursor: '' } });
        case 'views.open':
        case 'views.publish':
          return answer(200, { ok: true, view: { id: `V${++ts}`, ...(body['view'] as object) } });
        case 'auth.test':
          return answer(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
        default:
          return answer(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id = 'r1') => `${url}/respond/${id}`,
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
