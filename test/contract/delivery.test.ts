// One contract for each delivery port (Outbox, Claims, RateLimiter): what the scheduler and delivery rely on,
// run against Redis and the in-memory versions, at a fake time (every call is given its `nowMs`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeadLetter, FORGOTTEN_RECIPIENT, type LeasedItem, type LimitedSend, type NewWorkItem, type PlatformLimits, type TeamRef, type WorkItem } from '../../src/app/ports.ts';
import { MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { teamShard } from '../../src/store/keys.ts';
import { DELIVERIES, type DeliveryPorts, type DeliveryUnderTest } from '../support/delivery-ports.ts';

const TEAM: TeamRef = { tenant: 'tenant-1', team: '19:abc{weird}@thread.tacv2' };
const OTHER: TeamRef = { tenant: 'tenant-2', team: 'other-team' };
const T0 = Date.parse('2026-09-14T07:00:00.000Z');
const LEASE = 30_000;
/** A lease the Redis run waits out (by Redis's clock): short, but far longer than the calls made while it must hold. */
const SHORT = 1_000;
/** Taken items without their lease token (a new one each taking) and resumed flag, to compare with what is stored. */
const unleased = (items: LeasedItem[]): WorkItem[] => items.map(({ lease: _lease, resumed: _resumed, ...item }) => item as WorkItem);
const iso = (ms: number) => new Date(ms).toISOString();

function cardItem(recipient: string, occurrenceId = 'refleksion-1', team = TEAM, title = 'Hvad lagde du mærke til i dag?'): NewWorkItem {
  return {
    team,
    occurrenceId,
    recipient,
    card: { name: 'reflection-prompt', data: { title, options: ['ja', 'nej'] }, locale: 'da', timeZone: 'Europe/Copenhagen', template: { type: 'AdaptiveCard' } },
  };
}

const mailItem: NewWorkItem = {
  team: TEAM,
  occurrenceId: 'mail:besoeg-1',
  recipient: 'mail:mette@example.org',
  mail: { to: 'mette@example.org', subject: 'Plan for besøget', text: 'Hej Mette\n\nHer er vores plan.', ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
};

/** An item as the outbox keeps it. */
const stored = (item: NewWorkItem, updatedAt: number, extra: Partial<WorkItem> = {}) => ({ ...item, state: 'pending', attempts: 0, updatedAt: iso(updatedAt), ...extra }) as WorkItem;
/** A sent item as the outbox keeps it: its card's name, locale and time zone, or its mail's address and subject; nothing of the content. */
function asSent(item: NewWorkItem, updatedAt: number, messageId: string, extra: Partial<WorkItem> = {}): WorkItem {
  const payload = item.card ? { card: { name: item.card.name, locale: item.card.locale, timeZone: item.card.timeZone } } : { mail: { to: item.mail.to, subject: item.mail.subject, text: '' } };
  return { team: item.team, occurrenceId: item.occurrenceId, recipient: item.recipient, ...payload, state: 'sent', attempts: 0, messageId, updatedAt: iso(updatedAt), ...extra } as WorkItem;
}
const recipients = (items: WorkItem[]) => items.map((i) => i.recipient);
/** Items due at the same time may come in any order. */
const byRecipient = <T extends WorkItem>(items: T[]) => [...items].sort((a, b) => a.recipient.localeCompare(b.recipient));

/** Small limits, so that the contract can count to them: 5 a second per tenant, 2 a second per conversation. */
const SMALL: Record<string, PlatformLimits> = { teams: { tenant: [{ limit: 5, windowMs: 1_000 }], conversation: [{ limit: 2, windowMs: 1_000 }] } };

describe.each(DELIVERIES)('delivery contract: %s', (_name, factory) => {
  let subject: DeliveryUnderTest;
  let ports: DeliveryPorts;
  beforeEach(async () => {
    subject = await factory(SMALL);
    ports = subject;
  });
  afterEach(() => subject.cleanup());

  describe('Outbox', () => {
    it('adds each item once and says how many were new', async () => {
      const { outbox } = ports;
      expect(await outbox.enqueue([cardItem('anna'), cardItem('bo'), cardItem('anna')], T0)).toBe(2);
      expect(await outbox.enqueue([cardItem('anna'), cardItem('carl')], T0 + 1_000)).toBe(1);
      expect(await outbox.enqueue([], T0)).toBe(0);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(stored(cardItem('anna'), T0));
      expect(await outbox.get(TEAM, 'refleksion-1', 'carl')).toEqual(stored(cardItem('carl'), T0 + 1_000));
      expect(await outbox.get(TEAM, 'refleksion-1', 'dorte')).toBeUndefined();
      expect(await outbox.get(OTHER, 'refleksion-1', 'anna')).toBeUndefined();
      expect(await outbox.pending()).toBe(3);
      expect(await outbox.nextDue()).toBe(T0);
    });

    it('keeps teams and occurrences apart, also in one call, and counts pending items across teams', async () => {
      const { outbox } = ports;
      const items = [cardItem('anna'), cardItem('anna', 'refleksion-2'), cardItem('anna', 'refleksion-1', OTHER)];
      expect(await outbox.enqueue(items, T0)).toBe(3);
      expect(await outbox.enqueue(items, T0)).toBe(0);
      for (const item of items) expect(await outbox.get(item.team, item.occurrenceId, item.recipient)).toEqual(stored(item, T0));
      expect(await outbox.pending()).toBe(3);
      expect((await outbox.take(T0, 10, LEASE)).map((i) => [i.team.tenant, i.occurrenceId]).sort()).toEqual([
        ['tenant-1', 'refleksion-1'],
        ['tenant-1', 'refleksion-2'],
        ['tenant-2', 'refleksion-1'],
      ]);
    });

    it('stores a mail item and gives it back intact until it is sent', async () => {
      const { outbox } = ports;
      expect(await outbox.enqueue([mailItem, cardItem('anna')], T0)).toBe(2);
      expect(await outbox.get(TEAM, 'mail:besoeg-1', 'mail:mette@example.org')).toEqual(stored(mailItem, T0));
      const taken = await outbox.take(T0, 10, LEASE);
      const mail = taken.find((i) => i.recipient === 'mail:mette@example.org')!;
      expect(unleased([mail!])).toEqual([stored(mailItem, T0)]);
      expect('card' in mail).toBe(false);
      await outbox.markSent(mail, '<abc@sparringsbot>', T0 + 5);
      expect(await outbox.get(TEAM, 'mail:besoeg-1', 'mail:mette@example.org')).toEqual(asSent(mailItem, T0 + 5, '<abc@sparringsbot>'));
    });

    it('enqueueing an item that is there changes nothing about it: a pending one keeps its payload, attempts, due time and lease; a sent or dead one is not queued again', async () => {
      const { outbox } = ports;
      await outbox.enqueue(
        ['sent', 'dead', 'retrying', 'leased'].map((r) => cardItem(r)),
        T0,
      );
      const [sent, dead, retrying, _leased] = await outbox.take(T0, 4, LEASE).then((items) => ['sent', 'dead', 'retrying', 'leased'].map((r) => items.find((i) => i.recipient === r)!));
      await outbox.markSent(sent!, 'm-1', T0 + 1);
      await outbox.deadLetter(dead!, '403 forbidden', T0 + 2);
      await outbox.retryAt(retrying!, T0 + 5_000, 'bad gateway', 'failed', T0 + 3);

      const again = ['sent', 'dead', 'retrying', 'leased'].map((r) => cardItem(r, 'refleksion-1', TEAM, 'a different card'));
      expect(await outbox.enqueue(again, T0 + 100)).toBe(0);

      expect(await outbox.get(TEAM, 'refleksion-1', 'sent')).toEqual(asSent(cardItem('sent'), T0 + 1, 'm-1'));
      expect(await outbox.get(TEAM, 'refleksion-1', 'dead')).toEqual(stored(cardItem('dead'), T0 + 2, { state: 'dead', lastError: '403 forbidden' }));
      expect(await outbox.get(TEAM, 'refleksion-1', 'retrying')).toEqual(stored(cardItem('retrying'), T0 + 3, { attempts: 1, lastError: 'bad gateway' }));
      expect(await outbox.get(TEAM, 'refleksion-1', 'leased')).toEqual(stored(cardItem('leased'), T0));
      expect(await outbox.deadLetters(TEAM)).toHaveLength(1);
      expect(await outbox.pending()).toBe(2);
      expect(await outbox.nextDue()).toBe(T0 + 5_000);
      expect(await outbox.take(T0 + 4_999, 10, LEASE)).toEqual([]);
      expect(recipients(await outbox.take(T0 + 5_000, 10, LEASE))).toEqual(['retrying']);
      // Its lease, taken above, still holds: the enqueue did not end it.
      expect(await outbox.take(T0 + LEASE, 10, LEASE)).toEqual([]);
    });

    it('takes the due items oldest first, up to the limit, each hidden from every worker for the lease', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('c')], T0 + 2_000);
      await outbox.enqueue([cardItem('a')], T0);
      await outbox.enqueue([cardItem('b')], T0 + 1_000);
      await outbox.enqueue([cardItem('later')], T0 + 60_000);
      expect(await outbox.nextDue()).toBe(T0);

      expect(await outbox.take(T0 - 1, 10, LEASE)).toEqual([]);
      const first = await outbox.take(T0 + 5_000, 2, LEASE);
      expect(unleased(first)).toEqual([stored(cardItem('a'), T0), stored(cardItem('b'), T0 + 1_000)]);
      const other = subject.replica().outbox;
      expect(recipients(await other.take(T0 + 5_000, 10, LEASE))).toEqual(['c']);
      expect(await other.take(T0 + 5_000, 10, LEASE)).toEqual([]);
      expect(await outbox.take(T0 + 5_000 + LEASE - 1, 10, LEASE)).toEqual([]);
      // Taken items are still waiting to be sent.
      expect(await outbox.pending()).toBe(4);
      expect(await outbox.nextDue()).toBe(T0 + 5_000 + LEASE);
    });

    it('takes and tells the next due time across teams whose items sit in different shards of the queue', async () => {
      const { outbox } = ports;
      // Teams of other tenants until one falls in a shard of its own (a Redis queue is split by team).
      const others = Array.from({ length: 40 }, (_, i): TeamRef => ({ tenant: `tenant-${i + 2}`, team: TEAM.team }));
      const elsewhere = others.find((team) => teamShard(team) !== teamShard(TEAM))!;
      await outbox.enqueue([cardItem('later', 'refleksion-1', TEAM)], T0 + 2_000);
      await outbox.enqueue([cardItem('sooner', 'refleksion-1', elsewhere)], T0);
      expect(await outbox.nextDue()).toBe(T0);
      expect(recipients(await outbox.take(T0 + 1_000, 10, LEASE))).toEqual(['sooner']);
      expect(await outbox.nextDue()).toBe(T0 + 2_000);
      expect(recipients(await outbox.take(T0 + 5_000, 10, LEASE))).toEqual(['later']);
      expect(await outbox.pending()).toBe(2);
    });

    it('gives an item back once its lease runs out by the outbox’s own clock (its worker died), to any worker; a worker’s clock ahead does not end it', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('a'), cardItem('b')], T0);
      expect(await outbox.take(T0, 10, SHORT)).toHaveLength(2);
      const other = subject.replica().outbox;
      expect(await other.take(T0 + SHORT - 1, 10, SHORT)).toEqual([]);
      // A worker whose clock runs far ahead finds them due, but the leases run on the outbox's clock.
      expect(await other.take(T0 + 10 * LEASE, 10, SHORT)).toEqual([]);
      await subject.leaseRunsOut(SHORT);
      const back = byRecipient(await other.take(T0 + 20 * LEASE, 10, SHORT));
      expect(unleased(back)).toEqual([stored(cardItem('a'), T0), stored(cardItem('b'), T0)]);
      expect(back.map((item) => item.resumed)).toEqual([true, true]);
    });

    it('a worker whose lease another took over records nothing: its markSent, retryAt and deadLetter are refused and change nothing', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna')], T0);
      const [late] = await outbox.take(T0, 10, SHORT);
      await subject.leaseRunsOut(SHORT);
      const other = subject.replica().outbox;
      const [current] = await other.take(T0 + SHORT, 10, LEASE);
      expect(current!.lease).not.toBe(late!.lease);
      // While the other worker sends it: the late one's outcome, whatever it is, is refused.
      expect(await outbox.markSent(late!, 'm-late', T0 + 1_100)).toBe(false);
      expect(await outbox.retryAt(late!, T0 + 2_000, 'bad gateway', 'failed', T0 + 1_100)).toBe(false);
      expect(await outbox.retryAt(late!, T0 + 2_000, 'throttled: 429', 'throttled', T0 + 1_100)).toBe(false);
      expect(await outbox.retryAt(late!, T0 + 2_000, 'rate limit', 'waiting', T0 + 1_100)).toBe(false);
      expect(await outbox.deadLetter(late!, 'gave up after 5 attempts', T0 + 1_100)).toBe(false);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(stored(cardItem('anna'), T0));
      expect(await outbox.nextDue()).toBe(T0 + SHORT + LEASE);
      expect(await outbox.deadLetters(TEAM)).toEqual([]);
      // The holder sends it; the late one failing afterwards (the double send once reported) still changes nothing.
      expect(await other.markSent(current!, 'm-1', T0 + 1_200)).toBe(true);
      expect(await outbox.retryAt(late!, T0 + 2_000, 'bad gateway', 'failed', T0 + 1_300)).toBe(false);
      expect(await outbox.deadLetter(late!, 'gave up after 5 attempts', T0 + 1_300)).toBe(false);
      expect(await outbox.markSent(late!, 'm-late', T0 + 1_300)).toBe(false);
      // Only from pending: the holder's own second outcome is refused too.
      expect(await other.deadLetter(current!, '403 forbidden', T0 + 1_400)).toBe(false);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(asSent(cardItem('anna'), T0 + 1_200, 'm-1'));
      expect(await outbox.pending()).toBe(0);
      expect(await outbox.deadLetters(TEAM)).toEqual([]);
    });

    it('a holder that renews its lease keeps its items past the first lease, from every worker, until it records them', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna'), cardItem('bo')], T0);
      const taken = byRecipient(await outbox.take(T0, 10, SHORT));
      expect(await outbox.renew(taken, LEASE)).toEqual([true, true]);
      await subject.leaseRunsOut(SHORT);
      const other = subject.replica().outbox;
      expect(await other.take(T0 + 20 * LEASE, 10, SHORT)).toEqual([]);
      expect(await outbox.markSent(taken[0]!, 'm-1', T0 + 2_000)).toBe(true);
      // Recorded, the item is no longer pending: nothing to renew. The other is still held.
      expect(await outbox.renew(taken, LEASE)).toEqual([false, true]);
      expect(await other.take(T0 + 40 * LEASE, 10, SHORT)).toEqual([]);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(asSent(cardItem('anna'), T0 + 2_000, 'm-1'));
    });

    it('renewing a lease another worker took over is refused and changes nothing: the new holder keeps the item', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna')], T0);
      const [late] = await outbox.take(T0, 10, SHORT);
      await subject.leaseRunsOut(SHORT);
      const other = subject.replica().outbox;
      const [current] = await other.take(T0 + SHORT, 10, SHORT);
      expect(await outbox.renew([late!], LEASE)).toEqual([false]);
      // Had the late renewal counted, the item would now be held for LEASE; the holder's own lease runs out as taken.
      await subject.leaseRunsOut(SHORT);
      const third = subject.replica().outbox;
      const [again] = await third.take(T0 + 3 * SHORT, 10, LEASE);
      expect(again?.recipient).toBe('anna');
      expect(await other.markSent(current!, 'm-old', T0 + 4_000)).toBe(false);
      expect(await outbox.renew([current!], LEASE)).toEqual([false]);
    });

    it('says an item is resumed when it is taken again after a lease ran out with no outcome (its worker stopped mid-send); a first take and a retry come due are not, and nothing of it is stored', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna'), cardItem('bo')], T0);
      const first = byRecipient(await outbox.take(T0, 10, SHORT));
      expect(first.map((i) => i.resumed)).toEqual([undefined, undefined]);
      // Bo's worker records a retry; Anna's stops without a word.
      expect(await outbox.retryAt(first[1]!, T0, 'bad gateway', 'failed', T0)).toBe(true);
      await subject.leaseRunsOut(SHORT);
      const again = byRecipient(await subject.replica().outbox.take(T0 + 2 * SHORT, 10, LEASE));
      expect(again.map((i) => [i.recipient, i.resumed])).toEqual([
        ['anna', true],
        ['bo', undefined],
      ]);
      expect(await outbox.markSent(again[0]!, 'm-1', T0 + 3_000)).toBe(true);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(asSent(cardItem('anna'), T0 + 3_000, 'm-1'));
    });

    it('a holder whose lease ran out with no one taking over still records its outcome', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna')], T0);
      const [slow] = await outbox.take(T0, 10, SHORT);
      await subject.leaseRunsOut(SHORT);
      expect(await outbox.markSent(slow!, 'm-1', T0 + 5_000)).toBe(true);
      expect(await outbox.get(TEAM, 'refleksion-1', 'anna')).toEqual(asSent(cardItem('anna'), T0 + 5_000, 'm-1'));
    });

    it('markSent and deadLetter take an item out of the queue for good, as get() then shows', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('a'), cardItem('b')], T0);
      const [a, b] = byRecipient(await outbox.take(T0, 10, 1_000));
      await outbox.markSent(a!, 'm-1', T0 + 10);
      await outbox.deadLetter(b!, '403 Conversation blocked by user', T0 + 20);
      expect(await outbox.get(TEAM, 'refleksion-1', 'a')).toEqual(asSent(cardItem('a'), T0 + 10, 'm-1'));
      expect(await outbox.get(TEAM, 'refleksion-1', 'b')).toEqual(stored(cardItem('b'), T0 + 20, { state: 'dead', lastError: '403 Conversation blocked by user' }));
      expect(await outbox.pending()).toBe(0);
      expect(await outbox.nextDue()).toBeUndefined();
      expect(await outbox.take(T0 + 10 * LEASE, 10, LEASE)).toEqual([]);
    });

    it('retries an item at the time asked; only a failed try counts an attempt and keeps its error', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('a')], T0);
      const [waiting] = await outbox.take(T0, 10, LEASE);
      await outbox.retryAt(waiting!, T0 + 1_000, 'rate limit', 'waiting', T0 + 5);
      expect(await outbox.get(TEAM, 'refleksion-1', 'a')).toEqual(stored(cardItem('a'), T0));
      expect(await outbox.pending()).toBe(1);
      expect(await outbox.nextDue()).toBe(T0 + 1_000);
      expect(await outbox.take(T0 + 999, 10, LEASE)).toEqual([]);
      const [failing] = await outbox.take(T0 + 1_000, 10, LEASE);
      expect(unleased([failing!])).toEqual([stored(cardItem('a'), T0)]);
      await outbox.retryAt(failing!, T0 + 3_000, 'bad gateway', 'failed', T0 + 1_001);
      const afterFailure = stored(cardItem('a'), T0 + 1_001, { attempts: 1, lastError: 'bad gateway' });
      expect(await outbox.get(TEAM, 'refleksion-1', 'a')).toEqual(afterFailure);
      expect(await outbox.take(T0 + 2_999, 10, LEASE)).toEqual([]);
      const [again] = await outbox.take(T0 + 3_000, 10, LEASE);
      expect(unleased([again!])).toEqual([afterFailure]);
      await outbox.retryAt(again!, T0 + 5_000, 'unavailable', 'failed', T0 + 3_001);
      expect(await outbox.get(TEAM, 'refleksion-1', 'a')).toMatchObject({ state: 'pending', attempts: 2, lastError: 'unavailable' });
    });

    it('a retry of an item no longer queued (a slow worker whose lease another took over and finished) does not bring it back', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('sent'), cardItem('dead')], T0);
      const slow = await outbox.take(T0, 10, SHORT);
      await subject.leaseRunsOut(SHORT);
      const other = subject.replica().outbox;
      const taken = await other.take(T0 + SHORT, 10, SHORT);
      await other.markSent(taken.find((i) => i.recipient === 'sent')!, 'm-2', T0 + 1_100);
      await other.deadLetter(taken.find((i) => i.recipient === 'dead')!, '403 forbidden', T0 + 1_200);
      for (const item of slow) {
        expect(await outbox.retryAt(item, T0 + 5_000, 'bad gateway', 'failed', T0 + 1_500)).toBe(false);
        expect(await outbox.retryAt(item, T0 + 6_000, 'rate limit', 'waiting', T0 + 1_600)).toBe(false);
      }
      expect(await outbox.get(TEAM, 'refleksion-1', 'sent')).toEqual(asSent(cardItem('sent'), T0 + 1_100, 'm-2'));
      expect(await outbox.get(TEAM, 'refleksion-1', 'dead')).toEqual(stored(cardItem('dead'), T0 + 1_200, { state: 'dead', lastError: '403 forbidden' }));
      expect(await outbox.pending()).toBe(0);
      expect(await outbox.nextDue()).toBeUndefined();
      expect(await outbox.take(T0 + 10 * LEASE, 10, LEASE)).toEqual([]);
      expect(await outbox.deadLetters(TEAM)).toHaveLength(1);
      // Nor does a retry of an item that was never there.
      const nobody = { ...stored(cardItem('nobody'), T0), lease: 'never-taken' };
      expect(await outbox.retryAt(nobody, T0, 'bad gateway', 'failed', T0)).toBe(false);
      expect(await outbox.retryAt(nobody, T0, 'rate limit', 'waiting', T0)).toBe(false);
      expect(await outbox.get(TEAM, 'refleksion-1', 'nobody')).toBeUndefined();
      expect(await outbox.pending()).toBe(0);
    });

    it('lists a team’s dead letters newest last, with their reason and attempts, the latest `limit` of them', async () => {
      const { outbox } = ports;
      expect(await outbox.deadLetters(TEAM)).toEqual([]);
      await outbox.enqueue([cardItem('a'), cardItem('b'), cardItem('c', 'refleksion-1', OTHER)], T0);
      const taken = await outbox.take(T0, 10, LEASE);
      const byRecipient = (r: string) => taken.find((i) => i.recipient === r)!;
      await outbox.retryAt(byRecipient('b'), T0, 'unavailable', 'failed', T0 + 1);
      const [b] = await outbox.take(T0 + 1, 10, LEASE);
      await outbox.deadLetter(byRecipient('a'), '403 forbidden', T0 + 10);
      await outbox.deadLetter(b!, 'gave up after 2 attempts: unavailable', T0 + 20);
      await outbox.deadLetter(byRecipient('c'), 'no conversation reference for the recipient', T0 + 30);
      const letters: DeadLetter[] = [
        { team: TEAM, occurrenceId: 'refleksion-1', recipient: 'a', reason: '403 forbidden', attempts: 0, at: iso(T0 + 10) },
        { team: TEAM, occurrenceId: 'refleksion-1', recipient: 'b', reason: 'gave up after 2 attempts: unavailable', attempts: 1, at: iso(T0 + 20) },
        { team: OTHER, occurrenceId: 'refleksion-1', recipient: 'c', reason: 'no conversation reference for the recipient', attempts: 0, at: iso(T0 + 30) },
      ];
      // Each team's own.
      expect(await outbox.deadLetters(TEAM)).toEqual(letters.slice(0, 2));
      expect(await outbox.deadLetters(TEAM, 1)).toEqual(letters.slice(1, 2));
      expect(await outbox.deadLetters(OTHER)).toEqual(letters.slice(2));
      expect(await outbox.pending()).toBe(0);
    });
  });

  describe('Outbox: resending a team’s dead letters', () => {
    it('puts the team’s dead items (of one occurrence, or all) back in the queue, due now, with no attempts, and drops their letters', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem('anna'), cardItem('bo'), cardItem('anna', 'refleksion-2'), cardItem('anna', 'refleksion-1', OTHER), { ...cardItem('carl'), forgetWhenSent: true }], T0);
      for (const item of await outbox.take(T0, 10, LEASE)) await outbox.deadLetter(item, '403 blocked', T0 + 1);
      expect(await outbox.deadLetters(TEAM)).toHaveLength(4);

      expect(await outbox.resend(TEAM, T0 + 100, 'refleksion-2')).toBe(1);
      expect(await outbox.get(TEAM, 'refleksion-2', 'anna')).toEqual(stored(cardItem('anna', 'refleksion-2'), T0 + 100, { lastError: '403 blocked' }));
      expect(recipients(await outbox.take(T0 + 100, 10, LEASE))).toEqual(['anna']);
      // The rest of the team's: the forgotten one has no item to send and keeps its letter; the other team's is untouched.
      expect(await outbox.resend(TEAM, T0 + 200)).toBe(2);
      expect(await outbox.resend(TEAM, T0 + 300)).toBe(0);
      expect((await outbox.deadLetters(TEAM)).map((l) => l.recipient)).toEqual([FORGOTTEN_RECIPIENT]);
      expect(await outbox.deadLetters(OTHER)).toHaveLength(1);
      expect(await outbox.get(OTHER, 'refleksion-1', 'anna')).toMatchObject({ state: 'dead' });
      expect(recipients(byRecipient(await outbox.take(T0 + 200, 10, LEASE)))).toEqual(['anna', 'bo']);
      expect(await outbox.pending()).toBe(3);
    });
  });

  describe('Outbox: items to be forgotten once sent (reminders of an anonymous questionnaire)', () => {
    const forgotten = (recipient: string) => ({ ...cardItem(recipient, 'puls#nudge-3'), forgetWhenSent: true as const });

    it('keeps the item while it waits, deletes it when sent or dead, and a dead letter of it names no one', async () => {
      const { outbox } = ports;
      expect(await outbox.enqueue([forgotten('anna'), forgotten('bo'), forgotten('carl'), cardItem('dorte', 'puls#nudge-3')], T0)).toBe(4);
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'anna')).toEqual(stored(forgotten('anna'), T0));
      const taken = byRecipient(await outbox.take(T0, 10, LEASE));
      expect(recipients(taken)).toEqual(['anna', 'bo', 'carl', 'dorte']);
      const [anna, bo, carl, dorte] = taken;
      await outbox.markSent(anna!, 'm-1', T0 + 1);
      await outbox.retryAt(bo!, T0 + 5_000, 'bad gateway', 'failed', T0 + 2);
      await outbox.deadLetter(carl!, '403 Conversation blocked by user', T0 + 3);
      await outbox.markSent(dorte!, 'm-2', T0 + 4);

      expect(await outbox.get(TEAM, 'puls#nudge-3', 'anna')).toBeUndefined();
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'carl')).toBeUndefined();
      // Waiting for its retry it is still there; an item not made to be forgotten is kept as sent.
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'bo')).toMatchObject({ state: 'pending', attempts: 1 });
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'dorte')).toEqual(asSent(cardItem('dorte', 'puls#nudge-3'), T0 + 4, 'm-2'));
      expect(await outbox.itemsFor(TEAM, ['anna', 'carl'])).toEqual([]);
      expect(await outbox.deadLetters(TEAM)).toEqual([
        { team: TEAM, occurrenceId: 'puls#nudge-3', recipient: FORGOTTEN_RECIPIENT, reason: '403 Conversation blocked by user', attempts: 0, at: iso(T0 + 3) },
      ]);
      expect(await outbox.deadLettersFor(TEAM, ['carl'])).toEqual([]);
      expect(await outbox.pending()).toBe(1);

      const [again] = await outbox.take(T0 + 5_000, 10, LEASE);
      await outbox.markSent(again!, 'm-3', T0 + 5_001);
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'bo')).toBeUndefined();
      expect(await outbox.pending()).toBe(0);
      expect(await outbox.take(T0 + 10 * LEASE, 10, LEASE)).toEqual([]);
    });

    it('a worker finishing one that was erased meanwhile records nothing', async () => {
      const { outbox } = ports;
      await outbox.enqueue([forgotten('anna'), forgotten('bo')], T0);
      const [anna, bo] = byRecipient(await outbox.take(T0, 10, LEASE));
      expect(await outbox.eraseItemsFor(TEAM, ['anna', 'bo'])).toBe(2);
      await outbox.markSent(anna!, 'm-1', T0 + 1);
      await outbox.deadLetter(bo!, '403 forbidden', T0 + 2);
      expect(await outbox.get(TEAM, 'puls#nudge-3', 'anna')).toBeUndefined();
      expect(await outbox.deadLetters(TEAM)).toEqual([]);
    });
  });

  describe('Outbox: what it keeps about people (export, erase, retention)', () => {
    const ANNA = 'u-anna-7f3';
    const ANNA_MAIL = 'mail:anna.orsted@example.org';
    const PERSON = [ANNA, ANNA_MAIL];
    const annaMail: NewWorkItem = { ...mailItem, recipient: ANNA_MAIL, mail: { ...mailItem.mail!, to: 'anna.orsted@example.org' } };

    /** Anna's items in every state (and a dead letter), beside a colleague's, the channel's and hers in another team. */
    async function annaAndOthers(outbox: DeliveryPorts['outbox']) {
      await outbox.enqueue(
        [cardItem(ANNA), cardItem('bo'), cardItem('channel:19:team'), annaMail, cardItem(ANNA, 'refleksion-2'), cardItem(ANNA, 'refleksion-3'), cardItem(ANNA, 'refleksion-1', OTHER)],
        T0,
      );
      const taken = await outbox.take(T0, 20, LEASE);
      const find = (recipient: string, occurrenceId = 'refleksion-1', team = TEAM) => taken.find((i) => i.recipient === recipient && i.occurrenceId === occurrenceId && i.team.team === team.team)!;
      await outbox.markSent(find(ANNA), 'm-anna', T0 + 1);
      await outbox.deadLetter(find(ANNA, 'refleksion-2'), '403 blocked', T0 + 2);
      await outbox.deadLetter(find('bo'), '403 blocked', T0 + 3);
      await outbox.deadLetter(find(ANNA, 'refleksion-1', OTHER), '403 blocked', T0 + 4);
      await outbox.retryAt(find(ANNA, 'refleksion-3'), T0 + 5_000, 'bad gateway', 'failed', T0 + 5);
    }

    it('a sent item keeps only what is needed afterwards: no card data or template, no mail text or .ics', async () => {
      const { outbox } = ports;
      const secret = 'Jeg er bekymret for min kollega';
      const card: NewWorkItem = cardItem('anna', 'refleksion-1', TEAM, secret);
      await outbox.enqueue([card, mailItem, cardItem('dead')], T0);
      const taken = await outbox.take(T0, 10, LEASE);
      for (const item of taken) {
        if (item.recipient === 'dead') await outbox.deadLetter(item, '403 forbidden', T0 + 2);
        else await outbox.markSent(item, `m-${item.recipient}`, T0 + 1);
      }
      const sentCard = await outbox.get(TEAM, 'refleksion-1', 'anna');
      const sentMail = await outbox.get(TEAM, 'mail:besoeg-1', 'mail:mette@example.org');
      expect(sentCard).toEqual(asSent(card, T0 + 1, 'm-anna'));
      expect(sentCard?.card?.data).toBeUndefined();
      expect(sentCard?.card?.template).toBeUndefined();
      expect(sentMail).toEqual(asSent(mailItem, T0 + 1, 'm-mail:mette@example.org'));
      expect(sentMail?.mail?.ics).toBeUndefined();
      const text = JSON.stringify([sentCard, sentMail]);
      for (const content of [secret, 'options', 'AdaptiveCard', 'Her er vores plan', 'VCALENDAR']) expect(text).not.toContain(content);
      // A dead item keeps its payload until retention or erase: it was never delivered.
      expect(await outbox.get(TEAM, 'refleksion-1', 'dead')).toEqual(stored(cardItem('dead'), T0 + 2, { state: 'dead', lastError: '403 forbidden' }));
    });

    it('lists a person’s items in every state (by user id and mail address) and their dead letters, and only theirs', async () => {
      const { outbox } = ports;
      await annaAndOthers(outbox);
      const items = await outbox.itemsFor(TEAM, PERSON);
      expect(items.map((i) => [i.occurrenceId, i.recipient, i.state]).sort()).toEqual([
        ['mail:besoeg-1', ANNA_MAIL, 'pending'],
        ['refleksion-1', ANNA, 'sent'],
        ['refleksion-2', ANNA, 'dead'],
        ['refleksion-3', ANNA, 'pending'],
      ]);
      expect(items.find((i) => i.recipient === ANNA_MAIL)).toEqual(stored(annaMail, T0));
      expect(await outbox.deadLettersFor(TEAM, PERSON)).toEqual([{ team: TEAM, occurrenceId: 'refleksion-2', recipient: ANNA, reason: '403 blocked', attempts: 0, at: iso(T0 + 2) }]);
      expect(await outbox.itemsFor(TEAM, [])).toEqual([]);
      expect(await outbox.itemsFor(TEAM, ['nobody'])).toEqual([]);
      expect((await outbox.itemsFor(OTHER, PERSON)).map((i) => i.state)).toEqual(['dead']);
    });

    it('erases a person’s items (from the queue too) and dead letters, and nobody else’s', async () => {
      const { outbox } = ports;
      await annaAndOthers(outbox);
      expect(await outbox.pending()).toBe(3);
      expect(await outbox.eraseItemsFor(TEAM, PERSON)).toBe(4);
      expect(await outbox.eraseDeadLettersFor(TEAM, PERSON)).toBe(1);
      expect(await outbox.itemsFor(TEAM, PERSON)).toEqual([]);
      expect(await outbox.deadLettersFor(TEAM, PERSON)).toEqual([]);
      for (const [occurrenceId, recipient] of [
        ['refleksion-1', ANNA],
        ['refleksion-2', ANNA],
        ['refleksion-3', ANNA],
        ['mail:besoeg-1', ANNA_MAIL],
      ]) {
        expect(await outbox.get(TEAM, occurrenceId!, recipient!)).toBeUndefined();
      }
      // Only the channel's item is left in the queue; nothing of Anna's comes back after any lease.
      expect(await outbox.pending()).toBe(1);
      expect(await outbox.get(TEAM, 'refleksion-1', 'channel:19:team')).toMatchObject({ state: 'pending' });
      expect(await outbox.get(TEAM, 'refleksion-1', 'bo')).toMatchObject({ state: 'dead' });
      expect([...(await outbox.deadLetters(TEAM)), ...(await outbox.deadLetters(OTHER))].map((l) => [l.team.tenant, l.recipient])).toEqual([
        ['tenant-1', 'bo'],
        ['tenant-2', ANNA],
      ]);
      expect(await outbox.itemsFor(OTHER, PERSON)).toHaveLength(1);
      // Again: nothing left to erase.
      expect(await outbox.eraseItemsFor(TEAM, PERSON)).toBe(0);
      expect(await outbox.eraseDeadLettersFor(TEAM, PERSON)).toBe(0);
    });

    it('a worker finishing a send of an item erased meanwhile brings nothing back and leaves no dead letter', async () => {
      const { outbox } = ports;
      await outbox.enqueue([cardItem(ANNA), cardItem(ANNA, 'refleksion-2'), cardItem(ANNA, 'refleksion-3')], T0);
      const [first, second, third] = await outbox.take(T0, 10, LEASE);
      expect(await subject.replica().outbox.eraseItemsFor(TEAM, [ANNA])).toBe(3);
      await outbox.markSent(first!, 'm-1', T0 + 1);
      await outbox.deadLetter(second!, '403 blocked', T0 + 2);
      await outbox.retryAt(third!, T0 + 3, 'rate limit', 'waiting', T0 + 3);
      expect(await outbox.itemsFor(TEAM, [ANNA])).toEqual([]);
      expect(await outbox.deadLetters(TEAM)).toEqual([]);
      expect(await outbox.pending()).toBe(0);
    });

    it('retention deletes sent and dead items last changed before the cut-off, and older dead letters; newer ones and every pending item stay', async () => {
      const { outbox } = ports;
      const DAY = 86_400_000;
      await outbox.enqueue([cardItem('old-sent'), cardItem('old-dead'), cardItem('old-pending'), cardItem('new-sent'), cardItem('new-dead'), cardItem('x', 'refleksion-1', OTHER)], T0);
      const taken = await outbox.take(T0, 10, LEASE);
      const find = (r: string) => taken.find((i) => i.recipient === r)!;
      await outbox.markSent(find('old-sent'), 'm-1', T0 + DAY);
      await outbox.deadLetter(find('old-dead'), '403', T0 + DAY);
      await outbox.markSent(find('new-sent'), 'm-2', T0 + 3 * DAY);
      await outbox.deadLetter(find('new-dead'), '403', T0 + 3 * DAY);
      await outbox.markSent(find('x'), 'm-3', T0 + DAY);
      const cutoff = T0 + 2 * DAY;
      expect(await outbox.deleteBefore(TEAM, cutoff)).toBe(2);
      expect(await outbox.deleteBefore(TEAM, cutoff)).toBe(0);
      expect(await outbox.itemsFor(TEAM, ['old-sent', 'old-dead', 'old-pending', 'new-sent', 'new-dead']).then((items) => items.map((i) => i.recipient).sort())).toEqual([
        'new-dead',
        'new-sent',
        'old-pending',
      ]);
      // Another team's items go in its own sweep.
      expect(await outbox.itemsFor(OTHER, ['x'])).toHaveLength(1);
      expect(await outbox.deleteBefore(OTHER, cutoff)).toBe(1);
      expect(await outbox.deleteDeadLettersBefore(OTHER, cutoff)).toBe(0);
      expect(await outbox.deleteDeadLettersBefore(TEAM, cutoff)).toBe(1);
      expect((await outbox.deadLetters(TEAM)).map((l) => l.recipient)).toEqual(['new-dead']);
      expect(await outbox.pending()).toBe(1);
    });
  });

  describe('Claims', () => {
    it('lets one owner claim an occurrence; others find it taken until its lease runs out', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 59_999)).toBe('taken');
      // The owner may claim again (carry on), which renews its lease.
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 1_000)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 60_999)).toBe('taken');
      // Other occurrences and teams are free.
      expect(await other.claim(TEAM, 'tema-2', 'replica-b', 60_000, T0)).toBe('claimed');
      expect(await other.claim(OTHER, 'tema-1', 'replica-b', 60_000, T0)).toBe('claimed');
      // Once the lease has run out, another owner takes it over, and the first finds it taken.
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 61_000)).toBe('claimed');
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 61_001)).toBe('taken');
      expect(await claims.fired(TEAM)).toEqual(new Set());
    });

    it('marks an occurrence fired for good when its owner completes it: every later claim finds it fired', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await other.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 1)).toBe('fired');
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 60_000, T0 + 1)).toBe('fired');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 86_400_000)).toBe('fired');
      expect(await claims.fired(OTHER)).toEqual(new Set());
      await claims.claim(TEAM, 'tema-2', 'replica-a', 60_000, T0);
      await claims.complete(TEAM, 'tema-2', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1', 'tema-2']));
    });

    it('an owner whose lease ran out, with no one taking over, may still complete', async () => {
      const { claims } = ports;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 1_000, T0)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
    });

    it('complete by a replica that does not hold the claim does not mark it fired, nor release the holder’s lease', async () => {
      const { claims } = ports;
      const other = subject.replica().claims;
      expect(await claims.claim(TEAM, 'tema-1', 'replica-a', 1_000, T0)).toBe('claimed');
      expect(await other.claim(TEAM, 'tema-1', 'replica-b', 60_000, T0 + 1_000)).toBe('claimed');
      await claims.complete(TEAM, 'tema-1', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set());
      expect(await claims.claim(TEAM, 'tema-1', 'replica-c', 60_000, T0 + 1_500)).toBe('taken');
      await other.complete(TEAM, 'tema-1', 'replica-b');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      // Nor does completing an occurrence nobody claimed.
      await claims.complete(TEAM, 'tema-2', 'replica-a');
      expect(await claims.fired(TEAM)).toEqual(new Set(['tema-1']));
      expect(await claims.claim(TEAM, 'tema-2', 'replica-a', 60_000, T0)).toBe('claimed');
    });
  });

  describe('RateLimiter', () => {
    /** A send of attempt 0 to `conversation`, named after itself unless told. */
    const send = (conversation: string, id = conversation, tenant = 'tenant-1'): LimitedSend => ({ platform: 'teams', tenant, conversation, send: id });

    it('counts sends per conversation in a sliding window; a refused send is given the next slot that fits and holds it', async () => {
      const { limiter } = ports;
      const t = T0;
      expect(await limiter.acquire(send('c1', 'a'), t)).toBe(0);
      expect(await limiter.acquire(send('c1', 'b'), t + 100)).toBe(0);
      // Full until the send at t leaves the window.
      expect(await limiter.acquire(send('c1', 'c'), t + 200)).toBe(800);
      // Another conversation, and the same conversation id in another tenant, have their own windows.
      expect(await limiter.acquire(send('c2'), t + 200)).toBe(0);
      expect(await limiter.acquire(send('c1', 'e', 'tenant-2'), t + 200)).toBe(0);
      // The slot at t + 1000 is c's: the next refused send gets the one after it.
      expect(await limiter.acquire(send('c1', 'd'), t + 999)).toBe(101);
      expect(await limiter.acquire(send('c1', 'c'), t + 1_000)).toBe(0);
      expect(await limiter.acquire(send('c1', 'd'), t + 1_000)).toBe(100);
      expect(await limiter.acquire(send('c1', 'd'), t + 1_100)).toBe(0);
      // A platform without limits is never held.
      for (let i = 0; i < 10; i++) expect(await limiter.acquire({ platform: 'smtp', tenant: 'tenant-1', conversation: 'c1', send: `m${i}` }, t)).toBe(0);
    });

    it('counts a tenant’s sends across its conversations and replicas; the holders of the slots that free up go first', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 5; i++) expect(await (i % 2 ? other : limiter).acquire(send(`c${i}`), t)).toBe(0);
      // Five slots free up at t + 1000 and go to the first five refused; the sixth waits a window more.
      for (let i = 5; i < 10; i++) expect(await (i % 2 ? other : limiter).acquire(send(`c${i}`), t + 500)).toBe(500);
      expect(await limiter.acquire(send('c10'), t + 500)).toBe(1_500);
      expect(await other.acquire(send('late'), t + 1_000)).toBe(1_000);
      for (let i = 5; i < 10; i++) expect(await (i % 2 ? limiter : other).acquire(send(`c${i}`), t + 1_000)).toBe(0);
      // Other tenants are not held.
      expect(await limiter.acquire(send('c5', 'x', 'tenant-2'), t)).toBe(0);
    });

    it('a slot held is the holder’s when it comes on time; others get only what is left, and a holder late is counted afresh', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      expect(await limiter.acquire(send('held'), t)).toBe(1_000);
      expect(await limiter.acquire(send('late'), t)).toBe(1_000);
      for (let i = 0; i < 3; i++) expect(await limiter.acquire(send(`n${i}`), t + 1_000)).toBe(0);
      expect(await limiter.acquire(send('n3'), t + 1_000)).toBe(1_000);
      expect(await limiter.acquire(send('held'), t + 1_000)).toBe(0);
      // Late by more than the margin (none here): its slot is given up, and the window it comes to is full.
      expect(await limiter.acquire(send('late'), t + 1_001)).toBe(999);
    });

    it('a held slot whose holder is late lapses: it counts no more, the next sends have its room, and the holder is counted afresh', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 5; i++) expect(await limiter.acquire(send(`c${i}`), t)).toBe(0);
      for (let i = 5; i < 10; i++) expect(await limiter.acquire(send(`c${i}`), t)).toBe(1_000);
      // None of the five holders comes by t + 1000 (plus the margin, none here): a worker that fell behind.
      for (let i = 10; i < 15; i++) expect(await other.acquire(send(`c${i}`), t + 1_001)).toBe(0);
      expect(await limiter.acquire(send('c5'), t + 1_001)).toBe(1_000);
    });

    it('holds slots at most five windows ahead: a tenant booked further asks a send to come back then, holding nothing', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      const waits = [];
      for (let i = 5; i < 30; i++) waits.push(await limiter.acquire(send(`c${i}`), t));
      expect(waits).toEqual([1_000, 2_000, 3_000, 4_000, 5_000].flatMap((wait) => [wait, wait, wait, wait, wait]));
      expect(await limiter.acquire(send('c30'), t)).toBe(5_000);
      expect(await limiter.acquire(send('c31'), t)).toBe(5_000);
      // Back then, c30 holds nothing: that moment's slots are taken, and it is given the next.
      expect(await limiter.acquire(send('c30'), t + 5_000)).toBe(1_000);
    });

    it('a send the platform did not take (a 5xx) no longer counts', async () => {
      const { limiter } = ports;
      const t = T0;
      for (let i = 0; i < 5; i++) await limiter.acquire(send(`c${i}`), t);
      await subject.replica().limiter.release(send('c2'));
      expect(await limiter.acquire(send('c5'), t + 10)).toBe(0);
      expect(await limiter.acquire(send('c6'), t + 10)).toBe(990);
      // Releasing a send that is not counted changes nothing.
      await limiter.release(send('nobody'));
      expect(await limiter.acquire(send('c7'), t + 10)).toBe(990);
    });

    it('after a 429 holds the conversation until its Retry-After and the send no longer counts; one 429 does not slow the tenant', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      for (let i = 0; i < 4; i++) await limiter.acquire(send(`c${i}`), t);
      expect(await limiter.acquire(send('hit', 'h#0'), t)).toBe(0);
      await limiter.throttle(send('hit', 'h#0'), t + 5_000, t + 10);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 10)).toBe(4_990);
      // The 429 gave its slot back: the tenant's fifth send of the second goes at once, the sixth waits.
      expect(await limiter.acquire(send('c4'), t + 20)).toBe(0);
      expect(await limiter.acquire(send('c5'), t + 20)).toBe(980);
      // An earlier Retry-After does not shorten the wait.
      await other.throttle(send('hit', 'h#1'), t + 1_000, t + 2_000);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 2_000)).toBe(3_000);
      expect(await other.acquire(send('hit', 'h#0'), t + 4_999)).toBe(1);
      expect(await limiter.acquire(send('hit', 'h#0'), t + 5_000)).toBe(0);
    });

    it('slows the whole tenant to 80% of its rate when 429s repeat within its window, until their Retry-After', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      await limiter.throttle(send('a'), t + 5_000, t);
      // Two 429s a second apart are not repeated.
      await other.throttle(send('b'), t + 5_000, t + 1_000);
      expect(await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(send(`c${i}`), t + 1_000)))).toEqual([0, 0, 0, 0, 0]);
      // A quarter of the limit (two of five) within one window: every worker keeps to 4 a second until t + 5000.
      await other.throttle(send('c', 'c#0', 'tenant-2'), t + 5_000, t);
      await limiter.throttle(send('d', 'd#0', 'tenant-2'), t + 5_000, t + 500);
      const slowed = [];
      for (let i = 0; i < 5; i++) slowed.push(await (i % 2 ? other : limiter).acquire(send(`s${i}`, `s${i}`, 'tenant-2'), t + 1_000));
      expect(slowed.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(slowed[4]).toBeGreaterThan(0);
      // Other tenants keep their rate; the slowed one has its full rate again after the Retry-After.
      expect(await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire(send(`o${i}`, `o${i}`, 'tenant-3'), t + 1_000)))).toEqual([0, 0, 0, 0, 0]);
      const later = [];
      for (let i = 0; i < 5; i++) later.push(await limiter.acquire(send(`l${i}`, `l${i}`, 'tenant-2'), t + 6_500));
      expect(later).toEqual([0, 0, 0, 0, 0]);
    });

    it('paces a tenant’s fan-outs at its rate, each after those paced before, across replicas', async () => {
      const { limiter } = ports;
      const other = subject.replica().limiter;
      const t = T0;
      // 5 a second is one every 200 ms; paced 5% slower, one every 210 ms (the rest is room for retries).
      expect(await limiter.pace('teams', 'tenant-1', 3, t)).toEqual({ startMs: t, intervalMs: 210 });
      expect(await other.pace('teams', 'tenant-1', 2, t + 100)).toEqual({ startMs: t + 630, intervalMs: 210 });
      expect(await limiter.pace('teams', 'tenant-2', 10, t + 100)).toEqual({ startMs: t + 100, intervalMs: 210 });
      expect(await other.pace('teams', 'tenant-1', 1, t + 5_000)).toEqual({ startMs: t + 5_000, intervalMs: 210 });
      expect(await limiter.pace('smtp', 'tenant-1', 100, t)).toEqual({ startMs: t, intervalMs: 0 });
    });
  });
});

describe.each(DELIVERIES)('RateLimiter contract with the platforms’ limits: %s', (_name, factory) => {
  let subject: DeliveryUnderTest;
  beforeEach(async () => {
    subject = await factory(PLATFORM_LIMITS);
  });
  afterEach(() => subject.cleanup());

  it('keeps to Teams’ 7 a second and 8 in 2 seconds per conversation, and Slack’s 1 a second per channel, each window with its margin', async () => {
    const { limiter } = subject;
    const t = T0;
    const teams = (id: string): LimitedSend => ({ platform: 'teams', tenant: 'tenant-1', conversation: 'a:1', send: id });
    for (let i = 0; i < 7; i++) expect(await limiter.acquire(teams(`s${i}`), t)).toBe(0);
    expect(await limiter.acquire(teams('s7'), t)).toBe(1_020);
    expect(await limiter.acquire(teams('s7'), t + 1_020)).toBe(0);
    expect(await limiter.acquire(teams('s8'), t + 1_020)).toBe(1_000);
    const slack = (channel: string, id: string): LimitedSend => ({ platform: 'slack', tenant: 'T01', conversation: channel, send: id });
    expect(await limiter.acquire(slack('C01', 'a'), t)).toBe(0);
    expect(await limiter.acquire(slack('C01', 'b'), t + 400)).toBe(620);
    expect(await limiter.acquire(slack('C02', 'c'), t + 400)).toBe(0);
  });

  it('paces a Teams tenant at 50 a second, a Slack workspace at 300 a minute, each with its margin and 5% slower', async () => {
    const { limiter } = subject;
    expect(await limiter.pace('teams', 'tenant-1', 100, T0)).toEqual({ startMs: T0, intervalMs: 21.42 });
    expect(await limiter.pace('teams', 'tenant-1', 1, T0)).toEqual({ startMs: T0 + 2_142, intervalMs: 21.42 });
    expect(await limiter.pace('slack', 'T01', 3, T0)).toEqual({ startMs: T0, intervalMs: 210.07 });
    expect(await limiter.pace('slack', 'T01', 1, T0)).toEqual({ startMs: T0 + 631, intervalMs: 210.07 });
  });
});

/**
 * The two limiters implement the same rules twice (Lua for Redis, TypeScript in memory). Beyond the cases
 * above, a long run of random steps (sends asked for, given back, throttled, fan-outs paced; several tenants,
 * conversations and replicas, time moving on unevenly) must get the same answer from both at every step.
 */
describe('RateLimiter: Redis and memory answer alike', () => {
  const LIMITS: Record<string, PlatformLimits> = {
    teams: {
      tenant: [
        { limit: 4, windowMs: 1_000 },
        { limit: 7, windowMs: 3_000 },
      ],
      conversation: [
        { limit: 2, windowMs: 500 },
        { limit: 3, windowMs: 2_000 },
      ],
      marginMs: 7,
    },
    slack: { tenant: [{ limit: 4, windowMs: 2_000 }], conversation: [{ limit: 1, windowMs: 1_000 }] },
  };
  let redis: DeliveryUnderTest;
  afterEach(() => redis.cleanup());

  it('at every one of 2,000 random steps', async () => {
    redis = await DELIVERIES[0]![1](LIMITS);
    const replicas = [redis.limiter, redis.replica().limiter];
    const memory = new MemoryRateLimiter(LIMITS);
    let seed = 17;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    let now = T0;
    const steps: string[] = [];
    for (let step = 0; step < 2_000; step++) {
      // Mostly close together, so the windows fill; now and then a window's span, so sends land on their very edges.
      now += random() < 0.85 ? pick([0, 0, 1, 7, 13]) : pick([493, 500, 506, 507, 508, 1_000, 1_006, 1_007, 1_008, 2_007]);
      const send: LimitedSend = {
        platform: pick(['teams', 'teams', 'teams', 'teams', 'slack', 'smtp']),
        tenant: pick(['t1', 't1', 't1', 't2']),
        conversation: pick(['a', 'b', 'c']),
        send: `s${Math.floor(random() * 10)}`,
      };
      const redisSide = pick(replicas);
      const op = random();
      let answers: [unknown, unknown];
      if (op < 0.7) answers = [await redisSide.acquire(send, now), await memory.acquire(send, now)];
      else if (op < 0.8) answers = [await redisSide.release(send), await memory.release(send)];
      else if (op < 0.92) {
        const until = now + pick([1_000, 2_000, 5_000]);
        answers = [await redisSide.throttle(send, until, now), await memory.throttle(send, until, now)];
      } else {
        const count = pick([1, 3, 20]);
        answers = [await redisSide.pace(send.platform, send.tenant, count, now), await memory.pace(send.platform, send.tenant, count, now)];
      }
      steps.push(`${step} ${op < 0.7 ? 'acquire' : op < 0.8 ? 'release' : op < 0.92 ? 'throttle' : 'pace'} ${JSON.stringify(send)} at +${now - T0}: ${JSON.stringify(answers)}`);
      if (JSON.stringify(answers[0]) !== JSON.stringify(answers[1])) expect(steps.slice(-8).join('\n')).toBe('the same answer from both');
    }
    // Enough of them refused (and so held) to exercise the search for a slot.
    expect(steps.filter((s) => /acquire.*: \[[1-9]/.test(s)).length).toBeGreaterThan(300);
  });
});
