// The scheduler and delivery on real Redis at a fake time: exactly once across replicas, at the right
// local time across DST, catch-up after downtime, and delivery through limits, 429s, 5xx and dead letters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Channel, ChannelError, type Run, type TeamRef } from '../../src/app/ports.ts';
import { runCli } from '../../src/cli/run.ts';
import { deliverDue, type DeliveryOptions } from '../../src/delivery/deliver.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { dropNamespace, newNamespace, RecordingChannel, replica } from '../support/delivery.ts';
import { REDIS_KINDS, type RedisKind } from '../support/redis-kinds.ts';
import { fakeClock } from '../support/fakes.ts';
import { plan, programme, tinyProgramme } from '../support/plans.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const STAFF = ['s1', 's2', 's3', 's4'];
const odense = programme('odense-science-boernehoejde');
const OPTIONS: DeliveryOptions = { concurrency: 8, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };

function runOf(p: Programme, start: string, extra: Partial<Run> = {}): Run {
  return {
    team: TEAM,
    programmeId: p.id,
    start,
    settings: {},
    timeZone: 'Europe/Copenhagen',
    country: 'DK',
    locale: 'da',
    active: true,
    members: [{ userId: 'leder', roles: ['leader'] }, ...STAFF.map((userId) => ({ userId, roles: ['staff' as const] })), { userId: 'vejleder', roles: ['guide'] }],
    channelKey: 'channel',
    ...extra,
  };
}

let namespace: string;
let replicas: Array<ReturnType<typeof replica>>;
const clock = fakeClock('2026-08-10T06:00:00Z');

async function setUp(p: Programme, start: string, count = 1, extra: Partial<Run> = {}) {
  replicas = Array.from({ length: count }, (_, i) => replica(namespace, `replica-${i + 1}`, new Map([[p.id, p]]), clock, kind));
  const { store } = replicas[0]!;
  await store.saveRun(runOf(p, start, extra));
  for (const userId of ['leder', ...STAFF, 'vejleder', 'channel']) {
    await store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { conversation: { id: `conv-${userId}` } } });
  }
  return replicas[0]!;
}

/** Each test on one Redis server and again on the three-master cluster (test/global-setup.ts). */
let kind: RedisKind = 'redis';

describe.each(REDIS_KINDS)('on %s', (redisKind) => {
  beforeEach(() => {
    kind = redisKind;
    namespace = newNamespace();
    replicas = [];
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await dropNamespace(namespace, kind);
  });

  describe('the scheduler', () => {
    it('fires each due occurrence exactly once when three replicas tick at the same moment', async () => {
      await setUp(odense, '2026-08-10', 3);
      clock.set('2026-08-10T10:00:00Z');
      const results = await Promise.all(replicas.map((r) => tick(r)));
      const fired = results.flatMap((r) => r.fired);
      const due = plan(odense, '2026-08-10', { country: 'DK' }).occurrences.filter((o) => Date.parse(o.start) <= clock.now().getTime());
      expect(due.length).toBeGreaterThan(0);
      // UCL's questionnaire reminder is a task: its card goes out ahead of its deadline (the window's end), so at the start.
      expect(fired.sort()).toEqual([...due.map((o) => o.id), 'ucl-spoergeskema-1'].sort());
      expect(new Set(fired).size).toBe(fired.length);
      // A second round at the same time finds nothing left to do.
      expect((await Promise.all(replicas.map((r) => tick(r)))).flatMap((r) => r.fired)).toEqual([]);
    });

    it('fires at 14:00 Copenhagen time on both sides of the October DST change', async () => {
      const p = tinyProgramme([
        { id: 'foer', kind: 'reflectionPrompt', timing: { type: 'offset', days: 1, time: '14:00' } },
        { id: 'efter', kind: 'reflectionPrompt', timing: { type: 'offset', days: 8, time: '14:00' } },
      ]);
      const r = await setUp(p, '2026-10-19');
      const at = async (iso: string) => {
        clock.set(iso);
        return (await tick(r)).fired;
      };
      expect(await at('2026-10-20T11:59:00Z')).toEqual([]);
      expect(await at('2026-10-20T12:00:00Z')).toEqual(['foer']); // 14:00 CEST
      expect(await at('2026-10-27T12:59:00Z')).toEqual([]);
      expect(await at('2026-10-27T13:00:00Z')).toEqual(['efter']); // 14:00 CET
    });

    it('after downtime posts what is still useful and skips yesterday’s øvebaner, logging both', async () => {
      const p = tinyProgramme([
        { id: 'oevebane', kind: 'practicePrompt', durationMinutes: 10, timing: { type: 'workingDays', forWeeks: 1, time: '10:00' } },
        { id: 'skema', kind: 'questionnaire', windowDays: 14, anonymous: true, timing: { type: 'offset', days: 1, time: '09:00' } },
      ]);
      const r = await setUp(p, '2026-09-14');
      clock.set('2026-09-17T08:30:00Z'); // Thursday 10:30: down since before Monday's prompt
      const result = await tick(r);
      expect(result.fired.sort()).toEqual(['oevebane:4', 'skema']);
      expect(result.stale.sort()).toEqual(['oevebane:1', 'oevebane:2', 'oevebane:3']);
      expect(r.logger.entries.filter((e) => e.message === 'stale occurrence skipped')).toHaveLength(3);
      expect(r.logger.entries.find((e) => e.fields['occurrenceId'] === 'skema')).toMatchObject({ message: 'occurrence fired', fields: { recipients: 4 } });
    });

    it('takes over an occurrence whose replica died while fanning it out, once its lease has run out', async () => {
      const p = tinyProgramme([{ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', days: 0, time: '09:00' } }]);
      const [alive] = [await setUp(p, '2026-09-14')];
      clock.set('2026-09-14T07:00:00Z');
      expect(await alive.claims.claim(TEAM, 'refleksion', 'replica-that-died', 60_000, clock.now().getTime())).toBe('claimed');
      expect((await tick(alive)).fired).toEqual([]);
      clock.advance(60_001);
      expect((await tick(alive)).fired).toEqual(['refleksion']);
    });
  });

  describe('delivery', () => {
    const reflection = tinyProgramme([{ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', days: 0, time: '09:00' } }]);

    async function fanOut(channel = new RecordingChannel()) {
      const r = await setUp(reflection, '2026-09-14');
      clock.set('2026-09-14T07:00:00Z');
      await tick(r);
      return { r, channel, deps: { ...r, channels: { teams: channel } } };
    }

    it('sends every recipient its card once, in Danish, with the sent message id recorded', async () => {
      const { r, channel, deps } = await fanOut();
      expect(await deliverDue(deps, OPTIONS)).toMatchObject({ sent: 4 });
      expect(channel.sent.map((s) => s.to).sort()).toEqual(STAFF);
      expect(channel.sent[0]?.message.card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      expect(await r.outbox.get(TEAM, 'refleksion', 's1')).toMatchObject({ state: 'sent', messageId: expect.stringMatching(/^m-/) });
      expect(await deliverDue(deps, OPTIONS)).toMatchObject({ sent: 0 });
      expect(new Set(channel.keys()).size).toBe(4);
    });

    it('shows each person the card made for them when one key carries different data per person', async () => {
      const { r, channel, deps } = await fanOut();
      const card = (title: string) => ({ name: 'document', data: { kind: 'handleplan', title, at: '2026-09-14T07:00:00Z', fields: [] }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' });
      await r.outbox.enqueue(
        [
          { team: TEAM, occurrenceId: 'handleplan#v1', recipient: 's1', card: card('Til Søren') },
          { team: TEAM, occurrenceId: 'handleplan#v1', recipient: 's2', card: card('Til Aisha') },
        ],
        clock.now().getTime(),
      );
      await deliverDue(deps, OPTIONS);
      const shown = (to: string) =>
        channel.sent
          .filter((s) => s.to === to)
          .map((s) => JSON.stringify(s.message.card))
          .join();
      expect(shown('s1')).toContain('Til Søren');
      expect(shown('s2')).toContain('Til Aisha');
      expect(shown('s2')).not.toContain('Til Søren');
    });

    it('retries 5xx with backoff and dead-letters after the last attempt, and a 403 at once', async () => {
      const channel = new RecordingChannel();
      channel.failures.push(new ChannelError('bad gateway', 'transient', undefined, 502), new ChannelError('forbidden', 'permanent', undefined, 403));
      const { r, deps } = await fanOut(channel);
      expect(await deliverDue(deps, OPTIONS)).toEqual({ sent: 2, waiting: 0, retrying: 1, dead: 1 });
      const letters = await r.outbox.deadLetters(TEAM);
      expect(letters).toEqual([expect.objectContaining({ reason: '403 forbidden', attempts: 0 })]);
      // The 502 is retried after its backoff (0.5–1 s), not before.
      expect(await deliverDue(deps, OPTIONS)).toMatchObject({ sent: 0 });
      clock.advance(1_000);
      expect(await deliverDue(deps, OPTIONS)).toMatchObject({ sent: 1 });
      // Three 503s in a row exhaust the attempts.
      channel.failures.push(...Array.from({ length: 3 }, () => new ChannelError('unavailable', 'transient', undefined, 503)));
      await r.outbox.enqueue(
        [{ team: TEAM, occurrenceId: 'extra', recipient: 's1', card: { name: 'help', data: { commands: ['help'] }, locale: 'da', timeZone: 'Europe/Copenhagen' } }],
        clock.now().getTime(),
      );
      for (let i = 0; i < 3; i++) {
        await deliverDue(deps, OPTIONS);
        clock.advance(10_000);
      }
      expect((await r.outbox.deadLetters(TEAM)).at(-1)).toMatchObject({ occurrenceId: 'extra', reason: 'gave up after 3 attempts: unavailable' });
    });

    it('holds the conversation a 429 hit until its Retry-After, and lets the rest of the tenant go on', async () => {
      const channel = new RecordingChannel();
      channel.failures.push(new ChannelError('throttled', 'throttled', 5_000, 429));
      const { deps } = await fanOut(channel);
      // One at a time, so that the 429 is the first answer.
      const oneByOne = { ...OPTIONS, concurrency: 1 };
      expect(await deliverDue(deps, oneByOne)).toEqual({ sent: 3, waiting: 1, retrying: 0, dead: 0 });
      clock.advance(4_999);
      expect(await deliverDue(deps, oneByOne)).toMatchObject({ sent: 0 });
      // After the Retry-After, and the up-to-a-second spread that keeps waiting items from returning at once.
      clock.advance(1_001);
      expect(await deliverDue(deps, oneByOne)).toMatchObject({ sent: 1 });
      expect(new Set(channel.sent.map((s) => s.to)).size).toBe(4);
    });

    it('slows every worker of a tenant to 80% of its rate when 429s repeat, not after a stray one, through the shared limiter', async () => {
      const r = await setUp(reflection, '2026-09-14');
      const t = clock.now().getTime();
      const other = replica(namespace, 'replica-2', new Map(), clock, kind);
      replicas.push(other);
      const send = (tenant: string, conversation: string, id = conversation) => ({ platform: 'teams', tenant, conversation, send: id });
      const granted = async (tenant: string, count: number, at: number) => {
        let n = 0;
        for (let i = 0; i < count; i++) if ((await (i % 2 ? other : r).limiter.acquire(send(tenant, `c${i}@${at}`), at)) === 0) n++;
        return n;
      };
      // A stray 429: the conversation it hit waits for its Retry-After; the tenant keeps its 50 a second.
      await r.limiter.throttle(send('odense', 'hit'), t + 5_000, t);
      expect(await other.limiter.acquire(send('odense', 'hit', 'again'), t)).toBe(5_000);
      expect(await granted('odense', 60, t)).toBe(50);
      // Thirteen within a second (a quarter of 50): every worker keeps that tenant to 40 a second until their Retry-After.
      for (let i = 0; i < 13; i++) await (i % 2 ? other : r).limiter.throttle(send('aarhus', `x${i}`), t + 5_000, t + i);
      expect(await granted('aarhus', 60, t + 100)).toBe(40);
      expect(await granted('kolding', 60, t + 100)).toBe(50);
      expect(await granted('aarhus', 60, t + 6_000)).toBe(50);
    });

    it('takes an item that comes due while an earlier send is still in flight (a paced fan-out), not only once it has finished', async () => {
      const r = await setUp(reflection, '2026-09-14');
      const t = clock.now().getTime();
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const tried: string[] = [];
      const slowFirst: Channel = {
        platform: 'teams',
        async send(to) {
          tried.push(to.key);
          if (to.key === 's1') {
            clock.advance(100);
            await held;
          }
          return { messageId: `m-${to.key}` };
        },
        async update() {},
      };
      const help = (recipient: string) => ({
        team: TEAM,
        occurrenceId: 'paced',
        recipient,
        card: { name: 'help', data: { commands: ['help'] }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' },
      });
      await r.outbox.enqueue([help('s1'), help('s2')], t, [t, t + 100]);
      const pass = deliverDue({ ...r, channels: { teams: slowFirst } }, OPTIONS);
      await waitFor(() => tried.includes('s2') || tried, { what: 's2 to be tried while s1 is in flight' });
      release();
      expect(await pass).toEqual({ sent: 2, waiting: 0, retrying: 0, dead: 0 });
    });

    it('keeps to Teams’ per-conversation limit: seven in the first second, the eighth only after it', async () => {
      const { r, channel, deps } = await fanOut();
      await deliverDue(deps, OPTIONS);
      const items = Array.from({ length: 8 }, (_, i) => ({
        team: TEAM,
        occurrenceId: `n${i}`,
        recipient: 'channel',
        card: { name: 'help', data: { commands: ['help'] }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' },
      }));
      await r.outbox.enqueue(items, clock.now().getTime());
      channel.sent.length = 0;
      await deliverDue(deps, OPTIONS);
      expect(channel.sent).toHaveLength(7);
      clock.advance(999);
      await deliverDue(deps, OPTIONS);
      expect(channel.sent).toHaveLength(7);
      clock.advance(1_001); // past the window, and the spread of the waiting items
      await deliverDue(deps, OPTIONS);
      expect(channel.sent).toHaveLength(8);
    });

    it('shows what waits and every dead letter with its reason in `sparring status`', async () => {
      const channel = new RecordingChannel();
      channel.failures.push(new ChannelError('Conversation blocked by user', 'permanent', undefined, 403), new ChannelError('bad gateway', 'transient', undefined, 502));
      const { r, deps } = await fanOut(channel);
      await deliverDue(deps, { ...OPTIONS, concurrency: 1 });
      let out = '';
      const io = { out: { write: (text: string) => (out += text) }, err: { write: () => {} } };
      const code = await runCli(['status', '--locale', 'en'], io, {
        openStore: () => Object.assign(Object.create(r.store), { close: async () => {} }),
        openOutbox: () => Object.assign(r.outbox, { close: async () => {} }),
      });
      expect(code).toBe(0);
      expect(out).toContain('Waiting to be sent: 1');
      expect(out).toContain('Could not be delivered (1):');
      expect(out).toMatch(/odense\/solsikken {2}refleksion → person s\d {2}\(0\): 403 Conversation blocked by user/);
    });
  });
});
