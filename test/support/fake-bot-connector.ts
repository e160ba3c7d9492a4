// A local stand-in for the Bot Connector's send API, used as the `serviceUrl` of Teams conversation
// references in tests and benchmarks. It answers the calls botbuilder's ConnectorClient makes, enforces
// Teams' rate limits with sliding windows on an injectable clock, injects seeded faults, and records
// what it accepted so a test can check that each recipient got its message exactly once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seeded } from './seeded.ts';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface FakeBotConnectorOptions {
  /** The clock the windows run on (ms). Default `Date.now`. */
  now?: () => number;
  /** Per app per tenant. Default 50 per second. */
  tenantLimits?: RateLimit[];
  /** Per conversation. Default Teams': 7/1 s, 8/2 s, 60/30 s, 1,800/hour. */
  conversationLimits?: RateLimit[];
  /** Random faults, answered before a request counts as accepted. Deterministic for a seed. */
  faults?: {
    /** Share of requests answered 429. */
    throttleRate?: number;
    /** Retry-After of an injected 429, in seconds. Default 1. */
    throttleRetryAfterSeconds?: number;
    /** Share of requests answered 502, 503 or 504. */
    serverErrorRate?: number;
    seed?: number;
  };
  /** Delay before each answer (real time), to look like a network in benchmarks. Default 0. */
  latencyMs?: number;
}

export interface AcceptedMessage {
  kind: 'send' | 'update';
  conversationId: string;
  tenantId: string | undefined;
  activityId: string;
  /** The parsed JSON body botbuilder sent. */
  activity: Record<string, unknown>;
  /** By the fake's clock. */
  at: number;
  /** The request path as received (still URL-encoded). */
  path: string;
}

export interface CreatedConversation {
  conversationId: string;
  tenantId: string | undefined;
  parameters: Record<string, unknown>;
  at: number;
}

export interface RejectedRequest {
  method: string;
  path: string;
  conversationId: string | undefined;
  tenantId: string | undefined;
  status: number;
  reason: 'throttled' | 'fault' | 'forced' | 'blocked' | 'notFound' | 'badRequest';
  retryAfterSeconds?: number;
  at: number;
}

export interface FakeBotConnector {
  /** The serviceUrl to put in conversation references (with a path, like the real `…/emea/`). */
  readonly url: string;
  accepted(): AcceptedMessage[];
  acceptedFor(conversationId: string): AcceptedMessage[];
  /** The latest version of a message (after updates), or undefined. */
  message(activityId: string): Record<string, unknown> | undefined;
  created(): CreatedConversation[];
  rejected(): RejectedRequest[];
  counts(): { accepted: number; throttled: number; failed: number };
  /** Idempotency keys (`channelData.sparringsbot.key`) of sends accepted more than once. */
  duplicates(): string[];
  /** Answer every request to this conversation with this status (403 ConversationBlockedByUser by default) until reset. */
  block(conversationId: string, status?: number): void;
  /** Answer the next `count` requests with this status (a 429 carries Retry-After: 1). */
  failNext(status: number, count?: number): void;
  /**
   * Holds every answer from now on (the request is taken and recorded as usual) until the returned function is
   * called: a platform that answers slowly, for as long as a test needs.
   */
  holdAnswers(): () => void;
  /** Forgets records, windows, blocks, forced failures and rosters. */
  reset(): void;
  close(): Promise<void>;
  /**
   * The members Teams reports for a team or chat (TeamsChannelAccount objects: id, name, aadObjectId,
   * userRole…), answered on GET …/pagedmembers (paged by `pageSize`, at most `options.pageSize`) and
   * GET …/members/{id}. Unknown conversations have no members (404).
   */
  roster(conversationId: string, members: Array<Record<string, unknown>>, options?: { pageSize?: number }): void;
  /** The roster requests answered, as "pagedmembers <conversation>" or "member <conversation> <user>". */
  rosterReads(): string[];
}

const DEFAULT_TENANT_LIMITS: RateLimit[] = [{ limit: 50, windowMs: 1_000 }];
const DEFAULT_CONVERSATION_LIMITS: RateLimit[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Error codes and messages as Teams documents them for the bot APIs. */
const ERRORS: Record<number, [code: string, message: string]> = {
  400: ['BadArgument', 'The request is malformed.'],
  403: ['ConversationBlockedByUser', 'User blocked the conversation with the bot.'],
  404: ['ConversationNotFound', 'Conversation not found.'],
  412: ['PreconditionFailed', 'Precondition failed, please try again.'],
  429: ['Throttled', 'Too many requests.'],
  502: ['ServiceError', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'Service unavailable.'],
  504: ['GatewayTimeout', 'Gateway timeout.'],
};

/** Accepted-request times per key, checked against a set of sliding windows. */
class SlidingWindows {
  private readonly limits: RateLimit[];
  private readonly times = new Map<string, number[]>();
  private readonly longest: number;

  constructor(limits: RateLimit[]) {
    this.limits = limits;
    this.longest = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /** Ms until a request for `key` would fit every window; 0 if it fits now. */
  waitMs(key: string, now: number): number {
    const times = this.prune(key, now);
    let wait = 0;
    for (const { limit, windowMs } of this.limits) {
      const inWindow = times.filter((t) => t > now - windowMs);
      if (inWindow.length >= limit) {
        // Free once all but limit-1 of the requests in the window have left it.
        const freeing = inWindow[inWindow.length - limit]!;
        wait = Math.max(wait, freeing + windowMs - now);
      }
    }
    return wait;
  }

  record(key: string, now: number): void {
    this.prune(key, now).push(now);
  }

  private prune(key: string, now: number): number[] {
    const kept = (this.times.get(key) ?? []).filter((t) => t > now - this.longest);
    this.times.set(key, kept);
    return kept;
  }
}

type Route = { kind: 'create' } | { kind: 'send'; conversationId: string } | { kind: 'update'; conversationId: string; activityId: string };

/** GET …/pagedmembers and …/members/{id}: the roster calls of botbuilder's TeamsInfo. */
function rosterRoute(method: string, path: string): { conversationId: string; memberId?: string } | undefined {
  const at = path.indexOf('/v3/conversations/');
  if (method !== 'GET' || at < 0) return undefined;
  const parts = path
    .slice(at + '/v3/conversations/'.length)
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts.length === 2 && parts[1] === 'pagedmembers') return { conversationId: parts[0]! };
  if (parts.length === 3 && parts[1] === 'members') return { conversationId: parts[0]!, memberId: parts[2]! };
  return undefined;
}

/** Paths as botbuilder calls them, after any serviceUrl path prefix; ids are URL-encoded segments. */
function route(method: string, path: string): Route | undefined {
  const at = path.indexOf('/v3/conversations');
  if (at < 0) return undefined;
  const parts = path
    .slice(at + '/v3/conversations'.length)
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (method === 'POST' && parts.length === 0) return { kind: 'create' };
  if (parts[1] !== 'activities' || parts[0] === undefined) return undefined;
  const conversationId = parts[0];
  // POST …/activities is "send to conversation"; POST …/activities/{id} is "reply to activity", which is
  // what botbuilder's proactive path calls (with a made-up id): both post a new message.
  if (method === 'POST' && parts.length <= 3) return { kind: 'send', conversationId };
  if (method === 'PUT' && parts.length === 3) return { kind: 'update', conversationId, activityId: parts[2]! };
  return undefined;
}

function tenantOf(body: Record<string, unknown>): string | undefined {
  const conversation = body['conversation'] as { tenantId?: unknown } | undefined;
  const channelData = body['channelData'] as { tenant?: { id?: unknown } } | undefined;
  const tenant = conversation?.tenantId ?? body['tenantId'] ?? channelData?.tenant?.id;
  return typeof tenant === 'string' ? tenant : undefined;
}

function keyOf(activity: Record<string, unknown>): string | undefined {
  const channelData = activity['channelData'] as { sparringsbot?: { key?: unknown } } | undefined;
  const key = channelData?.sparringsbot?.key;
  return typeof key === 'string' ? key : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeBotConnector(options: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const now = options.now ?? Date.now;
  const latencyMs = options.latencyMs ?? 0;
  const faults = options.faults ?? {};
  const random = seeded(faults.seed ?? 1);
  const tenantLimits = options.tenantLimits ?? DEFAULT_TENANT_LIMITS;
  const conversationLimits = options.conversationLimits ?? DEFAULT_CONVERSATION_LIMITS;

  let tenants = new SlidingWindows(tenantLimits);
  let conversations = new SlidingWindows(conversationLimits);
  let accepted: AcceptedMessage[] = [];
  let created: CreatedConversation[] = [];
  let rejected: RejectedRequest[] = [];
  let latest = new Map<string, { conversationId: string; activity: Record<string, unknown> }>();
  let rosters = new Map<string, { members: Array<Record<string, unknown>>; pageSize?: number }>();
  let rosterReads: string[] = [];
  let oneOnOne = new Map<string, string>();
  let blocked = new Map<string, number>();
  let forced: number[] = [];
  let sequence = 0;
  let held: Array<() => void> | undefined;

  function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (held) held.push(send);
    else if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  }

  function reject(res: ServerResponse, request: Omit<RejectedRequest, 'status' | 'reason' | 'retryAfterSeconds'>, status: number, reason: RejectedRequest['reason'], retryAfterSeconds?: number): void {
    rejected.push({ ...request, status, reason, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    const [code, message] = ERRORS[status] ?? [status >= 500 ? 'ServiceError' : 'BadArgument', `Status ${status}.`];
    const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
    answer(res, status, { error: { code, message } }, headers);
  }

  /** A page of a roster (the continuation token is the next offset) or one member, as the Bot Connector answers them. */
  function answerRoster(res: ServerResponse, target: { conversationId: string; memberId?: string }, query: URLSearchParams): void {
    const roster = rosters.get(target.conversationId);
    const notFound = (code: string, message: string) => answer(res, 404, { error: { code, message } });
    if (target.memberId !== undefined) {
      rosterReads.push(`member ${target.conversationId} ${target.memberId}`);
      const member = roster?.members.find((m) => m['id'] === target.memberId || m['aadObjectId'] === target.memberId);
      if (member) answer(res, 200, member);
      else notFound('MemberNotFoundInConversation', 'The member was not found in the conversation.');
      return;
    }
    rosterReads.push(`pagedmembers ${target.conversationId}`);
    if (!roster) {
      notFound('ConversationNotFound', 'Conversation not found.');
      return;
    }
    const asked = Number(query.get('pageSize') ?? 200);
    const size = Math.max(1, Math.min(Number.isFinite(asked) ? asked : 200, roster.pageSize ?? 500));
    const offset = Number(query.get('continuationToken') ?? 0) || 0;
    const next = offset + size < roster.members.length ? String(offset + size) : undefined;
    answer(res, 200, { members: roster.members.slice(offset, offset + size), ...(next ? { continuationToken: next } : {}) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const text = await readBody(req);
    const at = now();
    const target = route(method, path);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    const wellFormed = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    const body = wellFormed ? (parsed as Record<string, unknown>) : {};
    const conversationId = target && target.kind !== 'create' ? target.conversationId : undefined;
    const tenantId = tenantOf(body);
    const request = { method, path, conversationId, tenantId, at };

    const rosterTarget = rosterRoute(method, path);
    if (rosterTarget) {
      answerRoster(res, rosterTarget, new URL(req.url ?? '/', 'http://fake').searchParams);
      return;
    }
    if (!target) return reject(res, request, 404, 'notFound');
    if (!wellFormed || (target.kind !== 'create' && typeof body['type'] !== 'string')) {
      return reject(res, request, 400, 'badRequest');
    }

    // Refusals that happen before a request counts: blocked conversations, forced and random faults.
    const blockedStatus = conversationId === undefined ? undefined : blocked.get(conversationId);
    if (blockedStatus !== undefined) return reject(res, request, blockedStatus, 'blocked');
    const forcedStatus = forced.shift();
    if (forcedStatus !== undefined) return reject(res, request, forcedStatus, 'forced', forcedStatus === 429 ? 1 : undefined);
    if (faults.throttleRate && random() < faults.throttleRate) {
      return reject(res, request, 429, 'fault', faults.throttleRetryAfterSeconds ?? 1);
    }
    if (faults.serverErrorRate && random() < faults.serverErrorRate) {
      const status = [502, 503, 504][Math.floor(random() * 3)]!;
      return reject(res, request, status, 'fault');
    }
    if (target.kind === 'update') {
      const known = latest.get(target.activityId);
      if (!known || known.conversationId !== target.conversationId) return reject(res, request, 404, 'notFound');
    }

    // Teams' limits: per app per tenant, and per conversation; only accepted requests count.
    const tenantKey = tenantId ?? '';
    const waitMs = Math.max(tenants.waitMs(tenantKey, at), conversationId === undefined ? 0 : conversations.waitMs(conversationId, at));
    if (waitMs > 0) return reject(res, request, 429, 'throttled', Math.max(1, Math.ceil(waitMs / 1000)));
    tenants.record(tenantKey, at);
    if (conversationId !== undefined) conversations.record(conversationId, at);

    if (target.kind === 'create') {
      const members = (body['members'] as Array<{ id?: string }> | undefined) ?? [];
      const memberKey = `${tenantKey}|${members.map((m) => m.id).join(',')}`;
      // Teams gives a bot and a user one 1:1 conversation: creating it again returns the same id.
      let id = oneOnOne.get(memberKey);
      if (!id) {
        id = `a:1fake${++sequence}`;
        oneOnOne.set(memberKey, id);
      }
      created.push({ conversationId: id, tenantId, parameters: body, at });
      return answer(res, 201, { id });
    }

    const activityId = target.kind === 'update' ? target.activityId : `1:${++sequence}`;
    accepted.push({ kind: target.kind, conversationId: target.conversationId, tenantId, activityId, activity: body, at, path });
    latest.set(activityId, { conversationId: target.conversationId, activity: body });
    answer(res, target.kind === 'send' ? 201 : 200, { id: activityId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { error: { code: 'ServiceError', message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const isThrottled = (r: RejectedRequest) => r.status === 429;
  return {
    url: `http://127.0.0.1:${port}/emea/`,
    accepted: () => [...accepted],
    acceptedFor: (conversationId) => accepted.filter((m) => m.conversationId === conversationId),
    message: (activityId) => latest.get(activityId)?.activity,
    created: () => [...created],
    rejected: () => [...rejected],
    counts: () => ({
      accepted: accepted.length + created.length,
      throttled: rejected.filter(isThrottled).length,
      failed: rejected.filter((r) => !isThrottled(r)).length,
    }),
    duplicates: () => {
      const seen = new Map<string, number>();
      for (const m of accepted) {
        const key = m.kind === 'send' ? keyOf(m.activity) : undefined;
        if (key !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
    },
    block: (conversationId, status = 403) => void blocked.set(conversationId, status),
    failNext: (status, count = 1) => void forced.push(...Array<number>(count).fill(status)),
    roster: (conversationId, members, rosterOptions = {}) => void rosters.set(conversationId, { members: structuredClone(members), ...rosterOptions }),
    rosterReads: () => [...rosterReads],
    holdAnswers: () => {
      const answers: Array<() => void> = [];
      held = answers;
      return () => {
        if (held === answers) held = undefined;
        for (const send of answers) send();
      };
    },
    reset: () => {
      tenants = new SlidingWindows(tenantLimits);
      conversations = new SlidingWindows(conversationLimits);
      accepted = [];
      created = [];
      rejected = [];
      latest = new Map();
      oneOnOne = new Map();
      rosters = new Map();
      rosterReads = [];
      blocked = new Map();
      forced = [];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
