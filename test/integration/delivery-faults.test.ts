// Delivery on real Redis when an item or a platform misbehaves: an item that cannot be prepared ends as its own
// dead letter without stopping the others, a conversation answered 429 for a day is given up, and a worker whose
// send outlasted its lease records nothing over the worker that took the item over.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type Channel, ChannelError, type ConversationRef, FORGOTTEN_RECIPIENT, type NewWorkItem, type OutboundMessage, type TeamRef } from '../../src/app/ports.ts';
import { type DeliveryDeps, type DeliveryOptions, deliverDue } from '../../src/delivery/deliver.ts';
import { MAX_THROTTLED_MS } from '../../src/delivery/deliver-item.ts';
import { dropNamespace, newNamespace, RecordingChannel, replica } from '../support/delivery.ts';
import { fakeClock } from '../support/fakes.ts';
import { keysFor } from '../../src/store/keys.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const OPTIONS: DeliveryOptions = { concurrency: 4, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };
const STATUS = { programmeTitle: 'Øvebaner', rows: [], next: { title: 'Refleksion', at: '2026-09-14T07:00:00.000Z' }, late: [] };

function statusCard(recipient: string, timeZone = 'Europe/Copenhagen'): NewWorkItem {
  return { team: TEAM, occurrenceId: 'status-1', recipient, card: { name: 'status', data: STATUS, locale: 'da', timeZone } };
}

let namespace: string;
let replicas: Array<ReturnType<typeof replica>>;

async function setUp(clock = fakeClock('2026-09-14T07:00:00Z'), count = 1) {
  replicas = Array.from({ length: count }, (_, i) => replica(namespace, `replica-${i + 1}`, new Map(), clock));
  for (const userId of ['anna', 'bo']) {
    await replicas[0]!.store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { conversation: { id: `conv-${userId}` } } });
  }
  return replicas;
}

const depsOf = (r: ReturnType<typeof replica>, channel: Channel): DeliveryDeps => ({ ...r, channels: { teams: channel } });

beforeEach(() => {
  namespace = newNamespace();
  replicas = [];
});
afterEach(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await dropNamespace(namespace);
});

describe('an item that cannot be prepared', () => {
  it('a stored item this release cannot read (not JSON, an unknown schema version) ends as a dead letter naming no one, and the items beside it are delivered', async () => {
    const clock = fakeClock('2026-09-14T07:00:00Z');
    const [r] = await setUp(clock);
    const channel = new RecordingChannel();
    await r!.outbox.enqueue([statusCard('anna'), statusCard('bo'), statusCard('cai')], clock.now().getTime());
    const redis = new Redis(inject('redisUrl'));
    const hash = keysFor(TEAM, namespace).outbox('status-1');
    await redis.hset(hash, 'anna', 'Hemmeligt svar, ikke JSON');
    await redis.hset(hash, 'cai', JSON.stringify({ v: 99, state: 'pending', recipient: 'cai' }));
    await redis.quit();

    const pass = await deliverDue(depsOf(r!, channel), OPTIONS);

    expect(pass).toMatchObject({ sent: 1 });
    expect(channel.sent.map((s) => s.to)).toEqual(['bo']);
    const letters = await r!.outbox.deadLetters(TEAM);
    expect(letters.map((l) => [l.recipient, l.reason])).toEqual(
      expect.arrayContaining([
        [FORGOTTEN_RECIPIENT, 'the stored item could not be read: it is not JSON'],
        [FORGOTTEN_RECIPIENT, expect.stringMatching(/^the stored item could not be read: a stored value has schema version 99/)],
      ]),
    );
    expect(JSON.stringify(letters)).not.toContain('Hemmeligt');
    expect(await r!.outbox.pending()).toBe(0);
    expect(await deliverDue(depsOf(r!, channel), OPTIONS)).toEqual({ sent: 0, waiting: 0, retrying: 0, dead: 0 });
  });

  it('a time zone no calendar knows, stored next to a good item: the good one is delivered, the bad one ends as a dead letter with the reason', async () => {
    const clock = fakeClock('2026-09-14T07:00:00Z');
    const [r] = await setUp(clock);
    const channel = new RecordingChannel();
    await r!.outbox.enqueue([statusCard('anna', 'Mars/Olympus'), statusCard('bo')], clock.now().getTime());
    const passes = [];
    // Every pass completes (none is aborted by the bad item); the bad one is retried until the attempt limit.
    for (let pass = 0; pass < OPTIONS.maxAttempts; pass++) {
      passes.push(await deliverDue(depsOf(r!, channel), OPTIONS));
      clock.advance(10 * 60_000);
    }
    expect(passes.map((p) => [p.sent, p.retrying, p.dead])).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(channel.sent.map((s) => s.to)).toEqual(['bo']);
    expect(await r!.outbox.get(TEAM, 'status-1', 'bo')).toMatchObject({ state: 'sent' });
    expect(await r!.outbox.get(TEAM, 'status-1', 'anna')).toMatchObject({ state: 'dead' });
    const [letter] = await r!.outbox.deadLetters(TEAM);
    expect(letter).toMatchObject({ occurrenceId: 'status-1', recipient: 'anna' });
    expect(letter!.reason).toMatch(/^gave up after 3 attempts: could not prepare the item: RangeError: Invalid time zone specified: Mars\/Olympus/);
    expect(await r!.outbox.pending()).toBe(0);
  });
});

describe('a conversation answered 429 again and again', () => {
  it('is retried while the run of 429s is younger than a day, then ends as a dead letter that says so', async () => {
    const clock = fakeClock('2026-09-14T07:00:00Z');
    const [r] = await setUp(clock);
    const RETRY_AFTER_MS = 60 * 60_000;
    const throttling: Channel = {
      platform: 'teams',
      send: async () => {
        throw new ChannelError('Too Many Requests', 'throttled', RETRY_AFTER_MS, 429);
      },
      update: async () => {},
    };
    const startedAt = clock.now().getTime();
    await r!.outbox.enqueue([statusCard('anna')], startedAt);
    let passes = 0;
    while (clock.now().getTime() - startedAt < MAX_THROTTLED_MS) {
      const counts = await deliverDue(depsOf(r!, throttling), OPTIONS);
      // A 429 counts no attempt: nothing is given up before the day is over.
      expect(counts.dead).toBe(0);
      expect(await r!.outbox.get(TEAM, 'status-1', 'anna')).toMatchObject({ state: 'pending', attempts: 0, throttledSince: new Date(startedAt).toISOString() });
      clock.advance(RETRY_AFTER_MS);
      passes++;
    }
    expect(passes).toBe(24);
    expect(await deliverDue(depsOf(r!, throttling), OPTIONS)).toMatchObject({ dead: 1 });
    expect(await r!.outbox.get(TEAM, 'status-1', 'anna')).toMatchObject({ state: 'dead' });
    const [letter] = await r!.outbox.deadLetters(TEAM);
    expect(letter!.reason).toBe(`throttled (429) since ${new Date(startedAt).toISOString()}: throttled: Too Many Requests`);
    expect(await r!.outbox.pending()).toBe(0);
  });

  it('a different answer ends the run of 429s: the day counts again from the next 429', async () => {
    const clock = fakeClock('2026-09-14T07:00:00Z');
    const [r] = await setUp(clock);
    const answers: ChannelError[] = [new ChannelError('Too Many Requests', 'throttled', 60_000, 429), new ChannelError('bad gateway', 'transient', undefined, 502)];
    const channel: Channel = {
      platform: 'teams',
      send: async () => {
        throw answers.shift() ?? new ChannelError('Too Many Requests', 'throttled', 60_000, 429);
      },
      update: async () => {},
    };
    await r!.outbox.enqueue([statusCard('anna')], clock.now().getTime());
    await deliverDue(depsOf(r!, channel), OPTIONS);
    expect(await r!.outbox.get(TEAM, 'status-1', 'anna')).toMatchObject({ throttledSince: '2026-09-14T07:00:00.000Z' });
    clock.advance(2 * 60_000);
    await deliverDue(depsOf(r!, channel), OPTIONS);
    const after502 = await r!.outbox.get(TEAM, 'status-1', 'anna');
    expect(after502).toMatchObject({ attempts: 1, lastError: 'bad gateway' });
    expect(after502?.throttledSince).toBeUndefined();
  });
});

/**
 * A worker that cannot reach Redis to extend its leases (its link to Redis down while its send hangs): the one way
 * a live worker loses an item now that the sends in flight have their leases extended.
 */
function cutOffFromRenewing(r: ReturnType<typeof replica>): ReturnType<typeof replica> {
  const outbox = new Proxy(r.outbox, {
    get(target, property) {
      if (property === 'renew') return async () => Promise.reject(new Error('Connection is closed.'));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...r, outbox };
}

describe('a worker whose send outlasted its lease', () => {
  it('records nothing once another worker took the item over and sent it: one sent record, the other’s message id, nothing left pending', async () => {
    const clock = fakeClock('2026-09-14T07:00:00Z');
    const [slow, other] = await setUp(clock, 2);
    // The slow worker's platform takes the send's request and then fails it, but only after the other worker has sent.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => {};
    const sending = new Promise<void>((resolve) => (started = resolve));
    const hanging: Channel = {
      platform: 'teams',
      async send(_to: ConversationRef, _message: OutboundMessage) {
        started();
        await released;
        throw new ChannelError('Forbidden', 'permanent', undefined, 403);
      },
      update: async () => {},
    };
    const fast = new RecordingChannel();
    await slow!.outbox.enqueue([statusCard('anna')], clock.now().getTime());
    const shortLease = { ...OPTIONS, leaseMs: 300 };
    const slowPass = deliverDue(depsOf(cutOffFromRenewing(slow!), hanging), shortLease);
    await sending;
    // Once the slow worker's lease has run out (by Redis's clock), the other worker takes the item and sends it.
    let taken = { sent: 0 };
    for (let tries = 0; taken.sent === 0 && tries < 10_000; tries++) {
      clock.advance(300);
      taken = await deliverDue(depsOf(other!, fast), shortLease);
    }
    expect(taken.sent).toBe(1);
    release();
    const late = await slowPass;
    expect(late).toEqual({ sent: 0, waiting: 0, retrying: 0, dead: 0 });
    expect(fast.sent).toHaveLength(1);
    expect(await slow!.outbox.get(TEAM, 'status-1', 'anna')).toMatchObject({ state: 'sent', messageId: fast.sent[0]!.messageId, attempts: 0 });
    expect(await slow!.outbox.pending()).toBe(0);
    expect(await slow!.outbox.deadLetters(TEAM)).toEqual([]);
    expect(slow!.logger.entries.map((e) => e.message)).toContain('delivery outcome not recorded: the item was taken over by another worker or erased');
    expect(slow!.logger.entries.map((e) => e.message)).toContain('could not extend the leases of the sends in flight');
  });
});
