// The Outbox's leases, on every implementation: a taken item is hidden from every worker while its lease holds,
// comes back when it runs out by the outbox's own clock (its worker died), and a worker whose lease another
// took over records nothing; what lets several replicas send from one queue without sending twice.
import { describe, expect, it } from 'vitest';
import { asSent, byRecipient, cardItem, eachDelivery, LEASE, SHORT, stored, T0, TEAM, unleased } from './delivery-fixtures.ts';

eachDelivery((subject, ports) => {
  describe('Outbox', () => {
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
  });
});
