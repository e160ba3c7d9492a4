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
  /** The path called: a response_url's names its id (`/respond/<id>`). */
  path: string;
}

export interface FakeSlackApi {
  /** With no trailing slash; the Web API is at `${url}/api/`. */
  url: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Where a slash command's response_url points: posts there are recorded as method `response_url`. */
  responseUrl(id?: string): string;
  /** Who is in a channel (`conversations.members`, two pages when over 2): default U1 and U2. */
  setMembers(channel: string, userIds: string[]): void;
  /** Who a user is (`users.info`): default a person named "Person <id>"; the bot of auth.test is UBOT. */
  setUser(userId: string, user: { name?: string; bot?: boolean }): void;
  /** What `oauth.v2.access` answers for a code: the workspace, its bot token and bot user, and who installed. */
  setOAuthGrant(code: string, grant: { team: string; token: string; botUserId: string; installer: string }): void;
  /**
   * The next call of `method` answers with HTTP `status` (429 with Retry-After `retryAfter` seconds) or `{ ok: false, error }`,
   * or, with `silent`, takes the request and never answers (a Slack that hangs).
   */
  failNext(method: string, failure: Failure): void;
  close(): Promise<void>;
}

type Failure = { status: 429; retryAfter: number } | { status: number } | { error: string } | { silent: true };

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
  const members = new Map<string, string[]>();
  const users = new Map<string, { name?: string; bot?: boolean }>([['UBOT', { name: 'sparringsbot', bot: true }]]);
  const grants = new Map<string, { team: string; token: string; botUserId: string; installer: string }>();
  const failures = new Map<string, Failure[]>();
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
      if (failure && 'silent' in failure) return;
      if (failure && 'retryAfter' in failure) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      if (failure && 'status' in failure) return answer(failure.status, { ok: false, error: 'fatal_error' });
      if (failure && 'error' in failure) return answer(200, { ok: false, error: failure.error });
      const body = parseBody(req, raw);
      calls.push({ method, body, authorization: req.headers.authorization, path });
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
        case 'conversations.members': {
          const all = members.get(String(body['channel'])) ?? ['U1', 'U2'];
          // Two pages, so a reader that stops after the first is caught.
          const from = body['cursor'] === 'page-2' ? 2 : 0;
          const page = all.length > 2 && from === 0 ? all.slice(0, 2) : all.slice(from);
          return answer(200, { ok: true, members: page, response_metadata: { next_cursor: all.length > 2 && from === 0 ? 'page-2' : '' } });
        }
        case 'users.info': {
          const id = String(body['user']);
          const user = users.get(id) ?? {};
          return answer(200, { ok: true, user: { id, name: id.toLowerCase(), real_name: user.name ?? `Person ${id}`, is_bot: Boolean(user.bot), profile: { display_name: '' } } });
        }
        case 'oauth.v2.access': {
          const grant = grants.get(String(body['code']));
          if (!grant) return answer(200, { ok: false, error: 'invalid_code' });
          return answer(200, {
            ok: true,
            app_id: 'A1',
            access_token: grant.token,
            token_type: 'bot',
            scope: 'chat:write,commands',
            bot_user_id: grant.botUserId,
            team: { id: grant.team, name: `Skole ${grant.team}` },
            enterprise: null,
            is_enterprise_install: false,
            authed_user: { id: grant.installer },
          });
        }
        case 'views.open':
        case 'views.publish':
          return answer(200, { ok: true, view: { id: `V${++ts}`, ...(body['view'] as object) } });
        case 'auth.test': {
          const grant = [...grants.values()].find((g) => req.headers.authorization === `Bearer ${g.token}`);
          return answer(200, { ok: true, user_id: grant?.botUserId ?? 'UBOT', bot_id: 'BBOT', team_id: grant?.team ?? 'T1', url: 'https://skole.slack.com/' });
        }
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
    setMembers: (channel, userIds) => void members.set(channel, userIds),
    setUser: (userId, user) => void users.set(userId, user),
    setOAuthGrant: (code, grant) => void grants.set(code, grant),
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
