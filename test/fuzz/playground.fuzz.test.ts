// Fuzzed requests at the playground's JSON API (/playground/api/*) of the server as `npm start` runs it with no
// platform channel, on Redis, beside another tenant's team in the same store: the `/sparring` box, card clicks,
// the clock and the language, and the state, each with bodies and query strings that must be refused (or, for a
// command, only read). Every one gets a JSON 4xx, an error or expired card, or a read-only command's card, never
// a 5xx or a dropped connection, and the store (the demo's and the other team's data) is the same after every batch.
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { DEMO_MEMBERS, DEMO_TEAM } from '../../src/channels/local/demo.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { memoryLogger } from '../support/fakes.ts';
import { anyClick, refusedClick, type Side } from '../support/fuzz-clicks.ts';
import {
  brokenUtf8,
  cardKind,
  commandOutcome,
  commandText,
  deepJson,
  errorsSince,
  fuzz,
  fuzzRuns,
  fuzzSeed,
  hugeString,
  inParallel,
  nastyKey,
  nastyShortString,
  RAW,
  type TeamData,
  teamData,
  withRaw,
  wrongValue,
} from '../support/fuzz.ts';
import { aRun, programme as builtIn } from '../support/plans.ts';
import { deleteNamespace } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';

const SEED = fuzzSeed(1807);
const RUNS = fuzzRuns(320);
const BATCH = 8;

/** Another tenant's team in the same store: the playground must not reach it. */
const OTHER: TeamRef = { tenant: 'tenant-fuzz-other', team: '19:fuzz-other@thread.tacv2' };
const demoProgramme = builtIn('odense-science-boernehoejde');
const otherProgramme = builtIn('sevu-kollegial-sparring');
const otherRun: Run = aRun({
  team: OTHER,
  programmeId: otherProgramme.id,
  start: DateTime.utc().minus({ days: 30 }).toISODate()!,
  members: [
    { userId: 'other-leder', roles: ['leader'] },
    { userId: 's1-other', roles: ['staff'] },
  ],
});
const otherSide: Side = { run: otherRun, programme: otherProgramme, plan: planOf(otherRun, otherProgramme) };
const PEOPLE = DEMO_MEMBERS.map((m) => m.userId);

type Expect = 'badRequest' | 'notFound' | 'commandError' | 'commandCard' | 'clickRefused' | 'state';

interface Payload {
  method: 'GET' | 'POST';
  /** Under /playground/api/, with its query. */
  path: string;
  body?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  expect: Expect;
}

function payload(p: Payload): Payload {
  const body = p.body === undefined ? '' : typeof p.body === 'string' ? p.body : `bytes ${Buffer.from(p.body).toString('hex').slice(0, 100)}`;
  return Object.assign(p, { [fc.toStringMethod]: () => `${p.expect}: ${p.method} ${p.path.slice(0, 200)} ${body.length > 500 ? `${body.slice(0, 500)}… (${body.length})` : body}` });
}
const describePayload = (p: Payload) => (p as unknown as { [fc.toStringMethod]: () => string })[fc.toStringMethod]();

/** The playground's body limit (compose/playground.ts): a larger body is answered 413. */
const BODY_LIMIT = 100 * 1024;

describe('fuzzed playground API', () => {
  const namespace = `fuzz-playground-${process.pid}-${Date.now().toString(36)}`;
  const logger = memoryLogger();
  let server: RunningServer;
  let store: RedisStore;
  let data: TeamData;
  let demo: Side;
  let demoNow: Date;

  const api = async (path: string, body?: unknown) => {
    const response = await fetch(
      new URL(`playground/api/${path}`, server.url),
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return (await response.json()) as { now: string; state?: { now: string } };
  };

  beforeAll(async () => {
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    await store.saveRun(otherRun);
    await store.recordReply(OTHER, {
      occurrenceId: otherSide.plan.occurrences[0]!.id,
      respondent: { userId: 's1-other', platform: 'teams', platformUserId: 's1-other' },
      answers: { outcome: 'answered', values: { note: 'Kun i det andet team' } },
      at: new Date().toISOString(),
      anonymous: false,
      day: otherRun.start,
    });
    data = teamData(inject('redisUrl'), namespace);
    // The playground alone (no platform channel), on the store the other team is in; nothing swept meanwhile.
    const env = { PORT: '0', HOST: '127.0.0.1', REDIS_URL: inject('redisUrl'), REDIS_NAMESPACE: namespace, DEMO_START: '2026-08-10', RETENTION_DAYS: '0', LOG_FORMAT: 'json' };
    server = await startServer(loadConfig(env), logger);
    // Ten weeks into the demo: øvebaner out, questionnaires open and closed, summaries posted. The clock stays here.
    for (let week = 0; week < 10; week++) await api('clock', { as: 'leder', step: 'week' });
    demoNow = new Date((await api('state?as=leder')).now);
    const run = (await store.getRun(DEMO_TEAM))!;
    demo = { run, programme: demoProgramme, plan: planOf(run, demoProgramme) };
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await data?.close();
    await deleteNamespace(inject('redisUrl'), namespace);
  });

  // --- Payloads ----------------------------------------------------------------------------------------------

  const person = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...PEOPLE) },
    { weight: 2, arbitrary: fc.constantFrom('other-leder', 's1-other', 'ukendt', 'Leder', 'leder ', '') },
    { weight: 1, arbitrary: nastyShortString },
  );
  const isPerson = (as: unknown) => typeof as === 'string' && PEOPLE.includes(as);
  const rolesOf = (as: string) => DEMO_MEMBERS.find((m) => m.userId === as)?.roles;
  const json = (path: string, body: unknown, expect: Expect): Payload => {
    const text = JSON.stringify(body) ?? 'null';
    return payload({ method: 'POST', path, body: text, contentType: 'application/json', expect: Buffer.byteLength(text) > BODY_LIMIT ? 'badRequest' : expect });
  };

  /** The `/sparring` box: a command to refuse or to answer read-only; never one that writes (the agenda, a muted reminder). */
  const commands = fc
    .tuple(person, commandText)
    .map(([as, text]) => {
      const outcome = isPerson(as) ? commandOutcome(text, rolesOf(as)) : 'error';
      // Someone not in the demo team, or text past the box's 500 characters: the body is refused whole.
      const refused = !isPerson(as) || text.length > 500;
      return { outcome, p: json('command', { as, text }, refused ? 'badRequest' : outcome === 'error' ? 'commandError' : 'commandCard') };
    })
    .filter((c) => c.outcome !== 'writes')
    .map((c) => c.p);

  /** A card click that must be refused, on a message that is not in the person's chat (so no card is replaced). */
  const clicks = () =>
    person
      .chain((as) => {
        const click = isPerson(as) ? refusedClick(demo, as, [otherSide], demoNow) : anyClick([demo, otherSide], demoNow);
        return fc.tuple(
          fc.constant(as),
          click,
          fc.oneof(
            fc.constantFrom('local-unknown', 'msg-1'),
            nastyShortString.filter((s) => s.length > 0),
          ),
        );
      })
      .map(([as, click, messageId]) =>
        json('action', { as, messageId, verb: click.verb, data: click.data, inputs: click.inputs }, isPerson(as) && click.verb.length > 0 && click.verb.length <= 100 ? 'clickRefused' : 'badRequest'),
      );

  /** Bodies of the wrong shape for each route: wrong types, keys too many or missing, values out of range. */
  const badBodies = fc
    .tuple(
      fc.constantFrom('command', 'action', 'clock', 'locale'),
      fc.record(
        {
          as: fc.oneof(person, wrongValue),
          text: fc.oneof(wrongValue, fc.constant('x'.repeat(501))),
          messageId: fc.oneof(wrongValue, fc.constant('')),
          verb: fc.oneof(wrongValue, fc.constant('')),
          data: wrongValue,
          inputs: fc.oneof(wrongValue, fc.constant([])),
          step: fc.oneof(fc.constantFrom('month', 'DAY', 'back', ''), wrongValue),
          locale: fc.oneof(fc.constantFrom('de', 'DA', 'da-DK', ''), wrongValue),
          extra: fc.dictionary(nastyKey, wrongValue, { maxKeys: 2 }),
        },
        { requiredKeys: [] },
      ),
    )
    .filter(([route, body]) => !validFor(route, body))
    .map(([route, body]) => json(route, flatten(body), 'badRequest'));

  /** Bodies that are no JSON object: broken, not UTF-8, too large, too deep, or sent as another type. */
  const rawBodies = fc
    .oneof(
      fc
        .tuple(fc.constantFrom('command', 'action', 'clock', 'locale'), nastyShortString)
        .map(([route, s]) => payload({ method: 'POST', path: route, body: `{"as":${s}`, contentType: 'application/json', expect: 'badRequest' })),
      // Bytes that are no UTF-8 are read as U+FFFD: a command of that text (no command), a click with a key too many.
      fc
        .constantFrom('command', 'action')
        .chain((route) =>
          brokenUtf8('{"as":"s1","text":"', '"}').map((body) =>
            payload({ method: 'POST', path: route, body, contentType: 'application/json', expect: route === 'command' ? 'commandError' : 'badRequest' }),
          ),
        ),
      hugeString(300)
        .filter((s) => Buffer.byteLength(s) > BODY_LIMIT)
        .map((s) => json('command', { as: 's1', text: s }, 'badRequest')),
      deepJson.map((raw) =>
        payload({ method: 'POST', path: 'action', body: withRaw(JSON.stringify({ as: 's1', messageId: 'x', verb: 'done', data: RAW }), raw), contentType: 'application/json', expect: 'clickRefused' }),
      ),
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16')
        .map((contentType) => payload({ method: 'POST', path: 'command', body: JSON.stringify({ as: 's1', text: 'plan' }), contentType, expect: 'badRequest' })),
    )
    .map((p) => (typeof p.body === 'string' && Buffer.byteLength(p.body) > BODY_LIMIT ? { ...p, expect: 'badRequest' as const } : p));

  /** The state as someone: a person of the demo (read-only), anyone else refused, whatever else the query says. */
  const states = fc
    .tuple(
      fc.array(fc.oneof(person, nastyShortString), { maxLength: 2 }),
      fc.dictionary(
        fc.constantFrom('team', 'tenant', 'person', 'userId', 'as[]', '__proto__', 'constructor', 'programme'),
        fc.oneof(fc.constantFrom(OTHER.team, OTHER.tenant, 'other-leder'), nastyShortString),
        { maxKeys: 3 },
      ),
    )
    .map(([as, extra]) => {
      const query = new URLSearchParams();
      for (const a of as) query.append('as', a);
      for (const [key, value] of Object.entries(extra)) query.append(key, value);
      const askedFor = as.length === 0 ? 'leder' : as.length === 1 ? as[0] : undefined;
      return payload({ method: 'GET', path: `state?${query}`, expect: isPerson(askedFor) ? 'state' : 'badRequest' });
    });

  /** Routes the API does not have, and methods it does not take. */
  const elsewhere = fc.oneof(
    fc
      .constantFrom('erase', 'export', 'state/leder', '../healthz', 'action/x', '__proto__', 'constructor')
      .map((path) => payload({ method: 'POST', path, body: '{}', contentType: 'application/json', expect: 'notFound' })),
    fc.constantFrom('command', 'action', 'clock', 'locale').map((path) => payload({ method: 'GET', path, expect: 'notFound' })),
  );

  const payloads = fc.oneof(
    { weight: 6, arbitrary: commands },
    { weight: 8, arbitrary: clicks() },
    { weight: 4, arbitrary: badBodies },
    { weight: 2, arbitrary: rawBodies },
    { weight: 3, arbitrary: states },
    { weight: 1, arbitrary: elsewhere },
  );

  // --- The oracle --------------------------------------------------------------------------------------------

  async function send(p: Payload): Promise<{ status: number; type: string; text: string }> {
    try {
      const response = await fetch(new URL(`playground/api/${p.path}`, server.url), {
        method: p.method,
        ...(p.body === undefined ? {} : { body: p.body, headers: { 'content-type': p.contentType ?? 'application/json' } }),
      });
      return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    } catch (error) {
      throw new Error(`no answer to ${describePayload(p)}: ${String((error as Error).cause ?? error)}`);
    }
  }

  function check(p: Payload, answer: { status: number; type: string; text: string }): void {
    const what = `${describePayload(p)} got ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.type, what).toContain('application/json');
    const body = JSON.parse(answer.text) as { error?: { code: string; message: string }; reply?: { card: unknown }; card?: unknown; me?: { userId: string } };
    // The other team's data is nowhere in what the playground answers.
    expect(answer.text, what).not.toContain('Kun i det andet team');
    if (p.expect === 'badRequest' || p.expect === 'notFound') {
      expect(answer.status, what).toBe(p.expect === 'notFound' ? 404 : answer.status);
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(answer.status, what).toBeLessThan(500);
      expect(body.error, what).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      return;
    }
    expect(answer.status, what).toBe(200);
    if (p.expect === 'state') expect(body.me?.userId, what).toBeDefined();
    else if (p.expect === 'clickRefused') expect(['error', 'expired'], what).toContain(cardKind(JSON.stringify(body.card)));
    else {
      expect(body.reply?.card, what).toMatchObject({ type: 'AdaptiveCard' });
      if (p.expect === 'commandError') expect(cardKind(JSON.stringify(body.reply!.card)), what).toBe('error');
    }
  }

  it(`answers ${RUNS * BATCH} fuzzed requests with a refusal, a read-only answer or a JSON 4xx, and changes neither the demo's nor another team's data`, async () => {
    const before = await data.digest();
    expect(Object.keys(before).some((k) => k.includes(encodeURIComponent(OTHER.team)))).toBe(true);
    const counts = new Map<Expect, number>();
    await fuzz(
      'playground /playground/api',
      fc.array(payloads, { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        const logged = logger.entries.length;
        const answers = await inParallel(
          batch.map((p) => () => send(p)),
          BATCH,
        );
        batch.forEach((p, i) => {
          check(p, answers[i]!);
          counts.set(p.expect, (counts.get(p.expect) ?? 0) + 1);
        });
        expect(await data.digest()).toEqual(before);
        expect(errorsSince(logger.entries, logged)).toEqual([]);
      },
      { seed: SEED, numRuns: RUNS },
    );
    console.info(`[fuzz] playground payloads by expectation: ${JSON.stringify(Object.fromEntries(counts))}`);
    expect((await fetch(new URL('healthz', server.url))).status).toBe(200);
  });
});

type Body = Partial<Record<'as' | 'text' | 'messageId' | 'verb' | 'data' | 'inputs' | 'step' | 'locale', unknown>> & { extra?: Record<string, unknown> };

/** The body as sent: its fields, and the extra keys beside them. */
function flatten(body: Body): Record<string, unknown> {
  const { extra = {}, ...fields } = body;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of [...Object.entries(fields), ...Object.entries(extra)]) Object.defineProperty(flat, key, { value, enumerable: true, writable: true, configurable: true });
  return flat;
}

/** Whether a body would pass the route's schema with a person of the demo (then it is no bad body). */
function validFor(route: string, body: Body): boolean {
  const keys = Object.keys(flatten(body));
  const allowed: Record<string, string[]> = { command: ['as', 'text'], action: ['as', 'messageId', 'verb', 'data', 'inputs'], clock: ['as', 'step'], locale: ['as', 'locale'] };
  if (keys.some((k) => !allowed[route]!.includes(k))) return false;
  if (typeof body.as !== 'string' || !PEOPLE.includes(body.as)) return false;
  if (route === 'command') return typeof body.text === 'string' && body.text.length <= 500;
  if (route === 'clock') return ['day', 'week', 'next'].includes(body.step as string);
  if (route === 'locale') return ['da', 'sv', 'en'].includes(body.locale as string);
  const inputsOk = body.inputs === undefined || (typeof body.inputs === 'object' && body.inputs !== null && !Array.isArray(body.inputs));
  return typeof body.messageId === 'string' && body.messageId.length > 0 && typeof body.verb === 'string' && body.verb.length > 0 && body.verb.length <= 100 && inputsOk;
}
