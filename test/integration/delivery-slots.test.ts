// Delivery on real Redis when the limiter refuses a send and holds it a slot soon: the worker waits for that slot
// itself and sends then, in the same pass, rather than sending the item back to the queue (from where, with the
// workers busy, it came late for the slot, and a slot whose holder is late lapses unused).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Channel, ConversationRef, NewWorkItem, TeamRef } from '../../src/app/ports.ts';
import { type DeliveryOptions, deliverDue } from '../../src/delivery/deliver.ts';
import { TEAMS_LIMITS } from '../../src/delivery/limits.ts';
import { dropNamespace, newNamespace, replica } from '../support/delivery.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const OPTIONS: DeliveryOptions = { concurrency: 16, leaseMs: 30_000, maxAttempts: 3, backoffMs: 1_000 };
/** Teams lets a conversation have 7 sends a second: the eighth of one channel's is refused and given a slot. */
const PER_SECOND = TEAMS_LIMITS.conversation[0]!.limit;
const STATUS = { programmeTitle: 'Øvebaner', rows: [], next: { title: 'Refleksion', at: '2026-09-14T07:00:00.000Z' }, late: [] };

let namespace: string;
let r: ReturnType<typeof replica>;
/** The limiter's slots are real time here: the worker waits for one on the wall clock. */
const wallClock = { now: () => new Date() };
beforeEach(() => {
  namespace = newNamespace();
  r = replica(namespace, 'replica-1', new Map());
});
afterEach(async () => {
  await r.close();
  await dropNamespace(namespace);
});

/** Items to one more recipient than a conversation takes in a second, whose cards all go to one channel conversation. */
async function oneMoreThanTheConversationTakes(): Promise<NewWorkItem[]> {
  const recipients = Array.from({ length: PER_SECOND + 1 }, (_, i) => `member-${i}`);
  for (const key of recipients) await r.store.saveConversation(TEAM, { platform: 'teams', key, reference: { conversation: { id: 'channel-1' } } });
  return recipients.map((recipient) => ({
    team: TEAM,
    occurrenceId: 'status-1',
    recipient,
    card: { name: 'status', data: STATUS, locale: 'da', timeZone: 'Europe/Copenhagen' },
  }));
}

it('a send the limiter holds a slot for soon waits for it in the worker and goes then, in the same pass, not before its slot', async () => {
  const items = await oneMoreThanTheConversationTakes();
  const sentAt: number[] = [];
  const channel: Channel = {
    platform: 'teams',
    async send(_to: ConversationRef) {
      sentAt.push(Date.now());
      return { messageId: `m-${sentAt.length}` };
    },
    update: async () => {},
  };
  await r.outbox.enqueue(items, Date.now());
  const deps = { ...r, clock: wallClock, channels: { teams: channel } };
  expect(await deliverDue(deps, { ...OPTIONS, waitForSlotMs: 5_000 })).toEqual({ sent: PER_SECOND + 1, waiting: 0, retrying: 0, dead: 0 });
  // The eighth went once the first had left the conversation's one-second window (with its margin).
  expect(sentAt.at(-1)! - sentAt[0]!).toBeGreaterThanOrEqual(1_000);
  expect(await r.outbox.pending()).toBe(0);
});

it('without waitForSlotMs (a test on a fake clock) the refused send goes back to the queue, due at its slot', async () => {
  const items = await oneMoreThanTheConversationTakes();
  const channel: Channel = { platform: 'teams', send: async () => ({ messageId: 'm' }), update: async () => {} };
  const start = Date.now();
  await r.outbox.enqueue(items, start);
  expect(await deliverDue({ ...r, clock: wallClock, channels: { teams: channel } }, OPTIONS)).toEqual({ sent: PER_SECOND, waiting: 1, retrying: 0, dead: 0 });
  expect(await r.outbox.pending()).toBe(1);
  expect(await r.outbox.nextDue()).toBeGreaterThan(start + 900);
});
