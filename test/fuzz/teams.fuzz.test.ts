// Fuzzed Teams traffic at POST /api/messages of the server as a web process of `npm start` builds it (Redis,
// real botbuilder, TEAMS_AUTH_DISABLED, replies at the fake Bot Connector): card clicks that must be refused,
// commands that must be refused or only read, other activities, and bodies that are no activity at all. Every
// one gets a clear answer (an error or expired card, a read-only command's card) or a JSON 4xx, never a 5xx
// or a dropped connection, and the teams' data in Redis is the same after every batch as before it.
import type { Activity } from 'botbuilder';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { commandText as teamsCommandText } from '../../src/channels/teams/translate.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { anyClick, type Click, inputs, refusedClick, type Side } from '../support/fuzz-clicks.ts';
import {
  brokenUtf8,
  cardKind,
  commandOutcome,
  commandText,
  deepJson,
  fuzz,
  fuzzRuns,
  fuzzSeed,
  hugeString,
  errorsSince,
  inParallel,
  nastyShortString,
  RAW,
  type TeamData,
  teamData,
  withRaw,
  wrongValue,
} from '../support/fuzz.ts';
import { aRun, programme as builtIn } from '../support/plans.ts';
import { activityId, cardAction, message, TEAMS_TEST_PROGRAMME, type Where } from '../support/teams-activities.ts';
import { seedTeamsRun, useTeamsServer } from '../support/teams-server.ts';

const SEED = fuzzSeed(1805);
/** Batches of requests sent at once; runs × batch = the payloads. */
const RUNS = fuzzRuns(500);
const BATCH = 8;

const now = new Date();
const started = DateTime.utc().minus({ days: 21 }).toISODate()!;
const A: TeamRef = { tenant: 'tenant-fuzz-a', team: '19:fuzz-a@thread.tacv2' };
const B: TeamRef = { tenant: 'tenant-fuzz-b', team: '19:fuzz-b@thread.tacv2' };
const programmeA = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');
const programmeB = builtIn('odense-science-boernehoejde');
const runA: Run = aRun({
  team: A,
  programmeId: programmeA.id,
  start: started,
  timeZone: 'UTC',
  members: [
    { userId: '29:a-leder', roles: ['leader'] },
    { userId: '29:a-s1', roles: ['staff'] },
    { userId: '29:a-s2', roles: ['staff'] },
  ],
  channelKey: `channel:${A.team}`,
});
const runB: Run = aRun({
  team: B,
  programmeId: programmeB.id,
  start: started,
  members: [
    { userId: '29:b-leder', roles: ['leader'] },
    { userId: '29:b-s1', roles: ['staff'] },
  ],
  channelKey: `channel:${B.team}`,
});
const sideA: Side = { run: runA, programme: programmeA, plan: planOf(runA, programmeA) };
const sideB: Side = { run: runB, programme: programmeB, plan: planOf(runB, programmeB) };
const MEMBERS = [...runA.members, ...runB.members].map((m) => m.userId);

/** What a payload must get. */
type Expect =
  /** An invoke: 200 with an error or expired card. */
  | 'refused'
  /** A set-up card's submit: 200 with an error card, or the form again naming what to fix. */
  | 'refusedSetup'
  /** A message: one reply, an error card (`error`) or any card (`card`); `none`: a message with no text is not a command. */
  | 'error'
  | 'card'
  | 'none'
  /** Another activity: 2xx, no reply. */
  | 'quiet'
  /** An invoke that is no card click: 2xx, or a JSON 4xx for one the bot does not handle; no reply. */
  | 'quietInvoke'
  /** No activity: a JSON 4xx. */
  | 'badRequest';

interface Payload {
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
  expect: Expect;
}

/**
 * Where an activity's id goes: each send puts a fresh one in, so a payload sent again (fast-check replays
 * them while it shrinks a failure) is a new activity, not a resend Teams' de-duplication drops.
 */
const ID = '1:fuzz-id';
/** The route's limit on a body (receiver.ts): a larger one is answered 413. */
const BODY_LIMIT = 256 * 1024;
const UNLIMITED = [{ limit: 1e9, windowMs: 1_000 }];

describe('fuzzed Teams traffic', () => {
  // A web process: it answers Teams and does no background work, so the store changes only by what it is sent.
  const bot = useTeamsServer({
    name: 'fuzz-teams',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    env: { PROCESS_ROLE: 'web' },
    // No rate limits at the fake: a reply refused with 429 is the connector's answer, not the fuzz's.
    connector: { tenantLimits: UNLIMITED, conversationLimits: UNLIMITED },
    seed: async (store, fake) => {
      for (const side of [sideA, sideB]) {
        const { team } = side.run;
        await seedTeamsRun(store, side.run, fake.url);
        // Replies already there, named and anonymous, which a forged payload must neither change nor erase.
        const [first] = side.plan.occurrences;
        const staff = side.run.members.find((m) => m.roles.includes('staff'))!.userId;
        const respondent = { userId: staff, platform: 'teams' as const, platformUserId: staff };
        await store.recordReply(team, {
          occurrenceId: first!.id,
          respondent,
          answers: { outcome: 'done', values: { note: 'Vi byggede en bro' } },
          at: now.toISOString(),
          anonymous: false,
          day: started,
        });
      }
    },
  });
  let data: TeamData;
  beforeAll(() => {
    data = teamData(inject('redisUrl'), bot.namespace);
  });
  afterAll(async () => {
    await data?.close();
  });

  // --- Where and who ---------------------------------------------------------------------------------------

  interface Place {
    where: Where;
    /** The team whose run a member is answered from here; none: a place with no run (a group chat, an unknown tenant). */
    side?: Side;
    group?: boolean;
  }
  const places = (): Place[] => [
    { where: { serviceUrl: bot.fake.url, tenant: A.tenant }, side: sideA },
    { where: { serviceUrl: bot.fake.url, tenant: A.tenant, team: A.team }, side: sideA },
    { where: { serviceUrl: bot.fake.url, tenant: B.tenant }, side: sideB },
    { where: { serviceUrl: bot.fake.url, tenant: B.tenant, team: B.team }, side: sideB },
    // B's team id under A's tenant: no team of A's tenant has it.
    { where: { serviceUrl: bot.fake.url, tenant: A.tenant, team: B.team } },
    { where: { serviceUrl: bot.fake.url, tenant: 'tenant-unknown' } },
    { where: { serviceUrl: bot.fake.url, tenant: A.tenant }, group: true },
  ];
  const rolesAt = (place: Place, userId: string) => place.side?.run.members.find((m) => m.userId === userId)?.roles;

  const userId = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...MEMBERS, '29:stranger') }, { weight: 1, arbitrary: nastyShortString.filter((s) => s.length > 0) });
  const place = () => fc.constantFrom(...places());

  /** A group chat's activity: its own conversation, a team of its own with no run. */
  function inGroup<T extends Record<string, unknown>>(activity: T): T {
    return { ...activity, conversation: { id: '19:group-chat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: A.tenant } };
  }

  // --- Payloads ----------------------------------------------------------------------------------------------

  /**
   * A payload of an activity (with `raw` JSON text where it holds RAW). A conversation id that is no printable ASCII (a personal chat's holds the person's
   * id) is no id Teams writes, and is refused as such.
   */
  const json = (activity: unknown, expect: Expect, raw?: string): Payload => {
    const conversation = (activity as { conversation?: { id?: unknown } } | null)?.conversation?.id;
    const routable = typeof conversation !== 'string' || /^[\x20-\x7e]*$/.test(conversation);
    const body = raw === undefined ? JSON.stringify(activity) : withRaw(JSON.stringify(activity), raw);
    return payload({ body, contentType: 'application/json', expect: routable && Buffer.byteLength(body) <= BODY_LIMIT ? expect : 'badRequest' });
  };

  function click(user: string, at: Place, c: Click): Payload {
    const activity = cardAction(user, c.verb, c.data, c.inputs, at.where, ID);
    return json(at.group ? inGroup(activity) : activity, c.data['card'] === 'team-setup' ? 'refusedSetup' : 'refused');
  }

  /** A card click that must be refused: forged for a member, anything at all from someone in no run there. */
  const clicks = () =>
    fc.tuple(userId, place()).chain(([user, at]) => {
      const roles = rolesAt(at, user);
      const arbitrary =
        at.side && roles
          ? refusedClick(
              at.side,
              user,
              [sideA, sideB].filter((s) => s !== at.side),
              now,
            )
          : anyClick([sideA, sideB], now);
      return arbitrary.map((c) => click(user, at, c));
    });

  /** A set-up card's submit that must be refused: another tenant's team, another verb, a team of the wrong shape, or by staff. */
  const setups = () =>
    fc
      .tuple(
        fc.oneof(
          fc.record({ team: fc.constant(B), verb: fc.constant('start'), user: fc.constantFrom('29:a-leder', '29:a-s1') }),
          fc.record({ team: fc.constant(A), verb: fc.constantFrom('stop', 'done', 'Start', ''), user: fc.constant('29:a-leder') }),
          fc.record({ team: wrongValue, verb: fc.constant('start'), user: fc.constant('29:a-leder') }),
          fc.record({ team: fc.constant(A), verb: fc.constant('start'), user: fc.constantFrom('29:a-s1', '29:a-s2', '29:stranger') }),
        ),
        inputs,
      )
      .filter(([s]) => s.verb !== '')
      .map(([s, values]) =>
        click(s.user, { where: { serviceUrl: bot.fake.url, tenant: A.tenant, team: A.team } }, { verb: s.verb, data: { card: 'team-setup', team: s.team, channelId: A.team }, inputs: values }),
      );

  /** An invoke whose value is no Action.Execute with data. */
  const notExecute = () =>
    fc
      .tuple(
        userId,
        place(),
        fc.oneof(wrongValue, fc.record({ action: fc.record({ type: fc.constantFrom('Action.Submit', 'Action.Execute', 'x'), verb: fc.oneof(wrongValue, fc.constant('')), data: wrongValue }) })),
      )
      .map(([user, at, value]) => {
        return json({ ...cardAction(user, 'done', {}, {}, at.where, ID), value }, 'refused');
      });

  /** A message: a command to refuse or to answer read-only, or a message without text. */
  const messages = () =>
    fc
      .tuple(userId, place(), commandText, fc.oneof({ weight: 7, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }))
      .map(([user, at, text, withText]) => {
        let activity: Record<string, unknown> = message(user, text, at.where, ID);
        if (at.group) activity = inGroup(activity);
        if (!withText) {
          const { text: _, ...rest } = activity;
          return { payload: json({ ...rest, value: { card: 'practice-prompt' } }, 'none'), outcome: 'card' as const };
        }
        const outcome = commandOutcome(teamsCommandText(activity as unknown as Activity) ?? '', rolesAt(at, user));
        return { payload: json(activity, outcome === 'writes' ? 'card' : outcome), outcome };
      })
      // A command that may change the store (a leader's agenda, a muted reminder) is no refusal: left out.
      .filter((m) => m.outcome !== 'writes')
      .map((m) => m.payload);

  /** Activities that are no command and no click, and that must change nothing. */
  const others = () =>
    fc
      .tuple(userId, place(), fc.constantFrom('typing', 'messageReaction', 'event', 'endOfConversation', 'invoke', 'conversationUpdate', 'installationUpdate', 'handoff', 'x'), otherInvoke)
      .map(([user, at, type, invokeName]) => {
        const base = message(user, 'plan', at.where, ID);
        const extra: Record<string, unknown> = { type, text: undefined };
        if (type === 'invoke') extra['name'] = invokeName;
        if (type === 'event') extra['name'] = 'application/vnd.microsoft.meetingStart';
        // A roster change that changes nothing: no member added or removed, an upgrade of the app.
        if (type === 'conversationUpdate') Object.assign(extra, { membersAdded: [], membersRemoved: [], channelData: { ...base.channelData, eventType: 'channelRenamed' } });
        if (type === 'installationUpdate') extra['action'] = 'add-upgrade';
        return json({ ...base, ...extra }, type === 'invoke' ? 'quietInvoke' : 'quiet');
      });

  /** Bodies that are no activity: not JSON, not UTF-8, too large, of the wrong shape, the wrong content type. */
  const badBodies = () => {
    const shaped = message('29:a-s1', 'plan', { serviceUrl: 'http://127.0.0.1:9/', tenant: A.tenant }, 'bad-1');
    const required = ['type', 'channelId', 'serviceUrl', 'from', 'conversation', 'recipient'] as const;
    return fc.oneof(
      nastyShortString.filter((s) => !isJson(s)).map((s) => payload({ body: `{"type":${s}`, contentType: 'application/json', expect: 'badRequest' })),
      brokenUtf8('{"type":"message","text":"', '"}').map((body) => payload({ body, contentType: 'application/json', expect: 'badRequest' })),
      hugeString(400)
        .filter((s) => Buffer.byteLength(s) > 300 * 1024)
        .map((s) => json({ ...shaped, text: s }, 'badRequest')),
      fc
        .oneof(wrongValue, fc.array(wrongValue))
        .filter((v) => !isActivityShaped(v))
        .map((v) => json(v, 'badRequest')),
      fc
        .tuple(fc.constantFrom(...required), wrongValue)
        .filter(([, v]) => !isValidField(v))
        .map(([key, v]) => json({ ...shaped, [key]: v }, 'badRequest')),
      // A service URL that is none: the reply would have nowhere to go.
      fc
        .oneof(nastyShortString, fc.constantFrom('ftp://x', 'file:///etc/passwd', 'javascript:alert(1)', '//x', 'localhost:3978'))
        .filter((u) => !/^https?:\/\/[^\s]/.test(u))
        .map((serviceUrl) => json({ ...shaped, serviceUrl }, 'badRequest')),
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16')
        .map((contentType) => payload({ body: JSON.stringify(shaped), contentType, expect: 'badRequest' })),
    );
  };

  /** Deep nesting where a payload holds any JSON: in a click's data or inputs, or as the whole value. */
  const deep = () =>
    fc.tuple(userId, place(), deepJson, fc.constantFrom('ref', 'input', 'value')).map(([user, at, raw, spot]) => {
      const data = spot === 'ref' ? { card: 'practice-prompt', ref: RAW } : { card: 'practice-prompt', ref: { programmeId: 'x', activityId: 'x', occurrenceId: 'x' } };
      const activity: Record<string, unknown> = cardAction(user, 'done', data, spot === 'input' ? { note: RAW } : {}, at.where, ID);
      if (spot === 'value') activity['value'] = RAW;
      return json(activity, 'refused', raw);
    });

  const payloads = () =>
    fc.oneof(
      { weight: 10, arbitrary: clicks() },
      { weight: 2, arbitrary: setups() },
      { weight: 1, arbitrary: notExecute() },
      { weight: 6, arbitrary: messages() },
      { weight: 1, arbitrary: others() },
      { weight: 2, arbitrary: badBodies() },
      { weight: 1, arbitrary: deep() },
    );

  /**
   * What the fuzz found, kept as an example it always tries first: each was a 500 before its fix. A conversation
   * id with a control or non-ASCII character, or half a surrogate pair, failed the reply's headers or URL after
   * the turn (translate.ts: activityShape); a card named `__proto__` found Object.prototype as its own keys
   * (translate.ts: cardSubmitOf); an invoke that is no card click went to botbuilder's handlers, which answered
   * a bare 501 or failed on its value (bot.ts). `handleplan` in a programme with none gave an error code no error
   * card took (view-models.ts), found by the Slack fuzz.
   */
  function regressions(): Payload[] {
    const personal = { serviceUrl: bot.fake.url, tenant: A.tenant };
    const invoke = (name: string) => ({ ...message('29:a-leder', 'plan', personal, ID), type: 'invoke', name, text: undefined });
    return [
      json(message('\u0000', '', personal, ID), 'badRequest'),
      json(message('Ā', 'plan', personal, ID), 'badRequest'),
      json(cardAction('\ud800', 'done', { card: 'practice-prompt', ref: {} }, {}, personal, ID), 'badRequest'),
      json(cardAction('29:b-leder', 'done', { card: '__proto__', ref: 0 }, {}, { serviceUrl: bot.fake.url, tenant: 'tenant-unknown' }, ID), 'refused'),
      json(cardAction('29:a-s1', 'done', { card: 'constructor', ref: 0 }, {}, personal, ID), 'refused'),
      json(invoke('composeExtension/submitAction'), 'quietInvoke'),
      json(invoke('composeExtension/query'), 'quietInvoke'),
      json({ ...message('29:a-s1', 'plan', personal, ID), serviceUrl: 'not a url' }, 'badRequest'),
      // Found by the Slack fuzz: an error code no error card took, so the reply failed (a 500 here).
      json(message('29:a-s1', 'handleplan', { ...personal, team: A.team }, ID), 'card'),
    ];
  }

  // --- The oracle --------------------------------------------------------------------------------------------

  interface Answer {
    /** The id the activity was sent with. */
    id: string;
    status: number;
    type: string;
    text: string;
  }

  async function send(p: Payload): Promise<Answer> {
    const id = activityId();
    const body = typeof p.body === 'string' ? p.body.replaceAll(JSON.stringify(ID), JSON.stringify(id)) : p.body;
    const response = await fetch(new URL('api/messages', bot.server.url), { method: 'POST', headers: { 'content-type': p.contentType }, body });
    return { id, status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  function check(p: Payload, answer: Answer): void {
    const what = `${p.expect} payload ${describePayload(p)} got ${answer.status} ${answer.text.slice(0, 300)}`;
    if (p.expect === 'badRequest') {
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(answer.status, what).toBeLessThan(500);
      expect(answer.type, what).toContain('application/json');
      expect(JSON.parse(answer.text), what).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      return;
    }
    if (p.expect === 'quiet' || p.expect === 'quietInvoke') {
      expect(repliesTo(answer.id), what).toEqual([]);
      if (p.expect === 'quietInvoke' && answer.status >= 400) {
        expect(answer.status, what).toBeLessThan(500);
        expect(JSON.parse(answer.text), what).toMatchObject({ error: { code: expect.any(String) } });
      } else expect([200, 201, 202, 204], what).toContain(answer.status);
      return;
    }
    if (p.expect === 'refused' || p.expect === 'refusedSetup') {
      expect(answer.status, what).toBe(200);
      const body = JSON.parse(answer.text) as { type?: string; value?: unknown };
      expect(body.type, what).toBe('application/vnd.microsoft.card.adaptive');
      expect(p.expect === 'refused' ? ['error', 'expired'] : ['error', 'setup'], what).toContain(cardKind(JSON.stringify(body.value)));
      return;
    }
    expect(answer.status, what).toBe(200);
    const replies = repliesTo(answer.id);
    if (p.expect === 'none') {
      expect(replies, what).toEqual([]);
      return;
    }
    expect(replies, what).toHaveLength(1);
    const attachment = (replies[0]!.activity['attachments'] as Array<{ contentType: string; content: unknown }>)[0]!;
    expect(attachment.contentType, what).toBe('application/vnd.microsoft.card.adaptive');
    if (p.expect === 'error') expect(cardKind(JSON.stringify(attachment.content)), what).toBe('error');
  }

  let replyIndex = new Map<string, Array<{ activity: Record<string, unknown> }>>();
  const repliesTo = (id: string) => replyIndex.get(id) ?? [];

  it(`answers ${RUNS * BATCH} fuzzed payloads each with a refusal, a read-only card or a 4xx, and changes no team's data`, async () => {
    const before = await data.digest();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const counts = new Map<Expect, number>();
    await fuzz(
      'Teams /api/messages',
      fc.array(payloads(), { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        bot.fake.reset();
        const logged = bot.logger.entries.length;
        const answers = await inParallel(
          batch.map((p) => () => send(p)),
          BATCH,
        );
        replyIndex = new Map();
        for (const m of bot.fake.accepted()) {
          const to = m.activity['replyToId'];
          if (typeof to === 'string') replyIndex.set(to, [...(replyIndex.get(to) ?? []), m]);
        }
        batch.forEach((p, i) => {
          check(p, answers[i]!);
          counts.set(p.expect, (counts.get(p.expect) ?? 0) + 1);
        });
        expect(await data.digest()).toEqual(before);
        expect(errorsSince(bot.logger.entries, logged)).toEqual([]);
      },
      { seed: SEED, numRuns: RUNS, examples: [regressions()] },
    );
    console.info(`[fuzz] Teams payloads by expectation: ${JSON.stringify(Object.fromEntries(counts))}`);
    const health = await fetch(new URL('healthz', bot.server.url));
    expect(health.status).toBe(200);
  });

  // The oracle can fail: the digest sees a reply stored by one click the app takes.
  it('sees the store change when a click is taken', async () => {
    const before = await data.digest();
    const practice = sideA.plan.occurrences.find((o) => o.activityId === 'oevebane' && Date.parse(o.start) < now.getTime() - 24 * 3600_000)!;
    const taken = cardAction(
      '29:a-s2',
      'done',
      { card: 'practice-prompt', ref: { programmeId: programmeA.id, activityId: practice.activityId, occurrenceId: practice.id } },
      { note: 'Et svar' },
      { serviceUrl: bot.fake.url, tenant: A.tenant },
    );
    const answer = await send(json(taken, 'card'));
    expect(cardKind(JSON.stringify((JSON.parse(answer.text) as { value: unknown }).value))).toBe('card');
    const after = await data.digest();
    expect(Object.keys(after).filter((key) => after[key] !== before[key])).toEqual(expect.arrayContaining([expect.stringContaining(`:replies:${encodeURIComponent(practice.id)}`)]));
  });
});

/** Invokes that are no card click: Teams' other kinds (message extensions, task modules, tabs), and made-up names. */
const otherInvoke = fc.oneof(
  fc.constantFrom(
    'composeExtension/query',
    'composeExtension/submitAction',
    'task/fetch',
    'task/submit',
    'tab/fetch',
    'config/fetch',
    'fileConsent/invoke',
    'actionableMessage/executeAction',
    'signin/verifyState',
    'healthCheck',
    'adaptiveCard/Action',
    '',
  ),
  nastyShortString,
);

/** A payload that prints itself short in fast-check's report of a failure. */
function payload(p: Payload): Payload {
  return Object.assign(p, { [fc.toStringMethod]: () => `${p.expect}: ${describePayload(p)}` });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(`{"type":${text}`);
    return true;
  } catch {
    return false;
  }
}

/** Whether a value has the fields the route requires of an activity (then it is no bad body). */
function isActivityShaped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const id = (o: unknown) => typeof o === 'object' && o !== null && typeof (o as { id?: unknown }).id === 'string';
  return typeof v['type'] === 'string' && typeof v['channelId'] === 'string' && typeof v['serviceUrl'] === 'string' && id(v['from']) && id(v['conversation']) && id(v['recipient']);
}

/** Whether a value would pass as the required field it replaces (then the body is still an activity). */
function isValidField(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string');
}

function describePayload(p: Payload): string {
  const text = typeof p.body === 'string' ? p.body : `bytes ${Buffer.from(p.body).toString('hex').slice(0, 200)}`;
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}
