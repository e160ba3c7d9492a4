// A send that outlasts its lease while another replica keeps taking work: the worker sending it extends its
// lease every third of it, so the other replica never takes the item and the card goes out once. Real Redis
// (leases on its clock), the real TeamsChannel (botbuilder) against the fake Bot Connector, which holds its
// answer until the test lets it go; the test waits for conditions: three leases' worth of Redis time, and the
// other replica having looked at the queue after that.
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { ConversationRef, TeamRef } from '../../src/app/ports.ts';
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { type DeliveryOptions, deliverDue } from '../../src/delivery/deliver.ts';
import { dropNamespace, newNamespace, replica } from '../support/delivery.ts';
import { type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { testRedis } from '../support/redis-kinds.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'kolding', team: 'skovbrynet' };
/** Short, so the test waits a few seconds; renewed every third of it, which a busy machine's timers still manage. */
const LEASE_MS = 3_000;
/**
 * One send at a time: a worker with room for more takes again while it sends, and would take its own item back
 * when its lease ran out (deliver.ts), which hides from this test what the renewal does for it.
 */
const OPTIONS: DeliveryOptions = { concurrency: 1, leaseMs: LEASE_MS, maxAttempts: 3, backoffMs: 1_000 };
const wallClock = { now: () => new Date() };

let namespace: string;
let fake: FakeBotConnector;
let sending: ReturnType<typeof replica>;
let other: ReturnType<typeof replica>;
const admin = testRedis('redis');
beforeEach(async () => {
  namespace = newNamespace();
  fake = await startFakeBotConnector();
  sending = replica(namespace, 'replica-1', new Map());
  other = replica(namespace, 'replica-2', new Map());
});
afterEach(async () => {
  await sending.close();
  await other.close();
  await fake.close();
  await dropNamespace(namespace);
});
afterAll(() => admin.quit());

async function redisNow(): Promise<number> {
  const [seconds, micros] = await admin.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

it('a send slower than its lease stays with its worker: the other replica takes nothing, and the card goes out once', async () => {
  const ref: ConversationRef = {
    platform: 'teams',
    key: '29:mette',
    reference: { serviceUrl: fake.url, channelId: 'msteams', conversation: { id: 'a:1mette', tenantId: TEAM.tenant, conversationType: 'personal' }, bot: { id: 'bot' }, user: { id: '29:mette' } },
  };
  await sending.store.saveConversation(TEAM, ref);
  await sending.outbox.enqueue(
    [{ team: TEAM, occurrenceId: 'velkomst', recipient: '29:mette', card: { name: 'help', data: { commands: ['help'] }, locale: 'da', timeZone: 'Europe/Copenhagen' } }],
    Date.now(),
  );
  const release = fake.holdAnswers();
  const channels = { teams: new TeamsChannel({ appId: '', timeoutMs: 60_000 }) };
  const first = deliverDue({ ...sending, clock: wallClock, channels }, OPTIONS);
  await waitFor(() => fake.accepted().length === 1, { what: 'the card taken by the platform, its answer held' });
  const takenBy = await redisNow();

  // Three leases later by Redis's clock, the other replica looks at the queue. Had it taken the item, it would
  // have sent it (the platform takes it, and holds that answer too) and its pass would not end.
  await waitFor(async () => (await redisNow()) > takenBy + 3 * LEASE_MS, { what: 'three leases of Redis time' });
  let looked: Awaited<ReturnType<typeof deliverDue>> | undefined;
  void deliverDue({ ...other, clock: wallClock, channels }, OPTIONS).then((counts) => (looked = counts));
  await waitFor(() => looked !== undefined || fake.accepted().length > 1, { what: "the other replica's pass over the queue" });
  expect(fake.accepted()).toHaveLength(1);
  expect(looked).toEqual({ sent: 0, waiting: 0, retrying: 0, dead: 0 });

  release();
  expect(await first).toEqual({ sent: 1, waiting: 0, retrying: 0, dead: 0 });
  expect(fake.accepted()).toHaveLength(1);
  expect(fake.duplicates()).toEqual([]);
  expect((await sending.outbox.get(TEAM, 'velkomst', '29:mette'))?.state).toBe('sent');
});
