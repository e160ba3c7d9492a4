// The Outbox contract, as the scheduler and delivery rely on it: items enqueued once, taken when due, their
// outcome recorded (sent, retried, dead) and dead letters resent; on every implementation, at a fake time
// (every call is given its `nowMs`). Its leases are in delivery-outbox-leases.test.ts, what it keeps about
// people in delivery-outbox-records.test.ts.
import { describe, expect, it } from 'vitest';
import { type DeadLetter, FORGOTTEN_RECIPIENT, type TeamRef } from '../../src/app/ports.ts';
import { teamShard } from '../../src/store/keys.ts';
import { asSent, byRecipient, cardItem, eachDelivery, iso, LEASE, mailItem, OTHER, recipients, stored, T0, TEAM, unleased } from './delivery-fixtures.ts';

eachDelivery((subject, ports) => {
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
});
