// What the Outbox keeps about people, on every implementation: items of an anonymous questionnaire forgotten
// once sent, a sent item stripped of its content, and a person's items and dead letters found for export,
// erased, and deleted by retention; what the personal-data commands and the retention sweep rely on.
import { describe, expect, it } from 'vitest';
import { FORGOTTEN_RECIPIENT, type NewWorkItem } from '../../src/app/ports.ts';
import type { DeliveryPorts } from '../support/delivery-ports.ts';
import { asSent, byRecipient, cardItem, eachDelivery, iso, LEASE, mailItem, OTHER, recipients, stored, T0, TEAM } from './delivery-fixtures.ts';

eachDelivery((subject, ports) => {
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
});
