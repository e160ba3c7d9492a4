// TeamsChannel on real botbuilder code against the fake Bot Connector: what goes over the wire, how
// failures become ChannelErrors, and the fake's Teams rate limits on a fake clock (no test waits on them).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, type ConversationRef, type OutboundMessage } from '../../src/app/ports.ts';
import { retryAfterMs, TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.ts';

const START = Date.parse('2026-03-02T09:00:00Z');
let time = START;
const advance = (ms: number) => (time += ms);

const PERSONAL = 'a:1AbC-dEf_gH+iJ/kL=';
const CHANNEL = '19:abc123@thread.tacv2;messageid=1712345678901';

function card(title: string): OutboundMessage {
  return { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: title }] }, text: title };
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('TeamsChannel against the fake Bot Connector', () => {
  let fake: FakeBotConnector;
  const channel = new TeamsChannel({ appId: '' });

  const ref = (conversationId: string, tenantId = 'tenant-1', serviceUrl?: string): ConversationRef => ({
    platform: 'teams',
    key: conversationId.startsWith('19:') ? `channel:${conversationId}` : '29:1user',
    reference: {
      serviceUrl: serviceUrl ?? fake.url,
      channelId: 'msteams',
      conversation: { id: conversationId, tenantId, conversationType: conversationId.startsWith('19:') ? 'channel' : 'personal' },
      bot: { id: '28:bot-app-id', name: 'Sparringsbot' },
      user: { id: '29:1user', name: 'Ada' },
      // A stored reference keeps the id of the activity it came from; a proactive post must not reply to it.
      activityId: 'f:incoming-1',
    },
  });

  beforeAll(async () => {
    fake = await startFakeBotConnector({ now: () => time });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    time = START;
  });

  describe('what botbuilder sends', () => {
    it.each([
      ['a 1:1 conversation', PERSONAL],
      ['a channel thread', CHANNEL],
    ])('posts an Adaptive Card to %s, odd characters in the id intact', async (_, conversationId) => {
      const { messageId } = await channel.send(ref(conversationId), card('Hello'), { key: 'occ-1/29:1user' });

      const [sent, ...more] = fake.acceptedFor(conversationId);
      expect(more).toEqual([]);
      expect(sent!.kind).toBe('send');
      expect(sent!.activityId).toBe(messageId);
      expect(sent!.tenantId).toBe('tenant-1');
      // Send to conversation, not "reply to activity"; the id is URL-encoded in the path.
      expect(sent!.path).toBe(`/emea/v3/conversations/${encodeURIComponent(conversationId)}/activities`);
      expect(sent!.activity).toMatchObject({
        type: 'message',
        summary: 'Hello',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card('Hello').card }],
        channelData: { sparringsbot: { key: 'occ-1/29:1user' } },
        conversation: { id: conversationId, tenantId: 'tenant-1' },
        from: { id: '28:bot-app-id' },
        recipient: { id: '29:1user' },
      });
      expect(sent!.activity['replyToId']).toBeUndefined();
    });

    it('updates a message it posted', async () => {
      const to = ref(CHANNEL);
      const { messageId } = await channel.send(to, card('Will you come?'));
      await channel.update(to, messageId, card('Answered: yes'));

      const [, updated] = fake.acceptedFor(CHANNEL);
      expect(updated).toMatchObject({ kind: 'update', activityId: messageId });
      expect(updated!.path).toBe(`/emea/v3/conversations/${encodeURIComponent(CHANNEL)}/activities/${encodeURIComponent(messageId)}`);
      expect(fake.message(messageId)).toMatchObject({ id: messageId, attachments: [{ content: card('Answered: yes').card }] });
    });
  });

  describe('failures become ChannelErrors, with no retries inside botbuilder', () => {
    it('429 is throttled, with the Retry-After in ms', async () => {
      fake.failNext(429);
      const error = await failure(channel.send(ref(PERSONAL), card('x')));
      expect(error).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000, status: 429 });
      expect(fake.rejected()).toHaveLength(1);
      expect(fake.counts()).toEqual({ accepted: 0, throttled: 1, failed: 0 });
    });

    it('503 is transient, and answered once', async () => {
      fake.failNext(503);
      const error = await failure(channel.send(ref(PERSONAL), card('x')));
      expect(error).toMatchObject({ kind: 'transient', status: 503 });
      expect(fake.counts()).toEqual({ accepted: 0, throttled: 0, failed: 1 });
    });

    it('403 from a conversation that blocked the bot is permanent; so is 404 for a gone conversation', async () => {
      fake.block(PERSONAL);
      const blocked = await failure(channel.send(ref(PERSONAL), card('x')));
      expect(blocked).toMatchObject({ kind: 'permanent', status: 403 });
      // botbuilder's error message is the one in the Bot Connector's error body.
      expect(blocked.message).toBe('Teams: User blocked the conversation with the bot.');
      fake.block(CHANNEL, 404);
      expect(await failure(channel.send(ref(CHANNEL), card('x')))).toMatchObject({ kind: 'permanent', status: 404 });
      // Teams documents 412 as one to retry.
      fake.failNext(412);
      expect(await failure(channel.send(ref('a:other'), card('x')))).toMatchObject({ kind: 'transient', status: 412 });
    });

    it('a Bot Connector that is down or does not answer in time is transient', async () => {
      const down = await startFakeBotConnector();
      const url = down.url;
      await down.close();
      expect(await failure(channel.send(ref(PERSONAL, 'tenant-1', url), card('x')))).toMatchObject({ kind: 'transient' });

      // One that takes the request and never answers: the client's timeout is then the only way the
      // send can end, so the case holds however slow the machine (an answer after a delay would race it).
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const impatient = new TeamsChannel({ appId: '', timeoutMs: 50 });
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/emea/`;
        expect(await failure(impatient.send(ref(PERSONAL, 'tenant-1', url), card('x')))).toMatchObject({
          kind: 'transient',
          message: 'Teams: the Bot Connector did not answer in time',
        });
      } finally {
        silent.closeAllConnections();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });

  describe("the fake's Teams limits", () => {
    it('per conversation: the 8th send in a second is a 429 with an honest Retry-After', async () => {
      for (let i = 0; i < 7; i++) await channel.send(ref(PERSONAL), card(`m${i}`));
      expect(await failure(channel.send(ref(PERSONAL), card('m7')))).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000 });

      advance(1_000);
      await channel.send(ref(PERSONAL), card('m7'));
      // 8 in the last 2 s now: the oldest leave that window at START + 2 s.
      expect(await failure(channel.send(ref(PERSONAL), card('m8')))).toMatchObject({ retryAfterMs: 1_000 });
      // Other conversations are not affected.
      await channel.send(ref(CHANNEL), card('elsewhere'));
      expect(fake.counts()).toEqual({ accepted: 9, throttled: 2, failed: 0 });
    });

    it('per conversation: 60 in 30 s, and Retry-After says when the window frees up', async () => {
      for (let second = 0; second < 15; second++) {
        for (let i = 0; i < 4; i++) await channel.send(ref(PERSONAL), card(`${second}.${i}`));
        advance(1_000);
      }
      // At START + 15 s the 60 sends of the last 30 s fill the window; the first leaves it at START + 30 s.
      expect(await failure(channel.send(ref(PERSONAL), card('one more')))).toMatchObject({ kind: 'throttled', retryAfterMs: 15_000 });
      advance(15_000);
      await channel.send(ref(PERSONAL), card('one more'));
      expect(fake.acceptedFor(PERSONAL)).toHaveLength(61);
    });

    it('per tenant: the 51st request in a second is a 429; another tenant is not affected', async () => {
      for (let i = 0; i < 50; i++) await channel.send(ref(`a:user-${i}`), card('hi'));
      expect(await failure(channel.send(ref('a:user-50'), card('hi')))).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000 });
      await channel.send(ref('a:user-50', 'tenant-2'), card('hi'));
      advance(1_000);
      await channel.send(ref('a:user-50'), card('hi'));
      expect(fake.counts()).toEqual({ accepted: 52, throttled: 1, failed: 0 });
    });
  });

  it('duplicates() names the keys sent more than once', async () => {
    await channel.send(ref('a:ada'), card('x'), { key: 'occ-1/ada' });
    await channel.send(ref('a:bo'), card('x'), { key: 'occ-1/bo' });
    expect(fake.duplicates()).toEqual([]);
    await channel.send(ref('a:bo'), card('x'), { key: 'occ-1/bo' });
    expect(fake.duplicates()).toEqual(['occ-1/bo']);
  });
});

describe('fake Bot Connector on its own', () => {
  const post = (url: string, path: string, body: unknown) => fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('creates a 1:1 conversation, the same one again for the same member', async () => {
    const fake = await startFakeBotConnector();
    try {
      const parameters = { isGroup: false, bot: { id: '28:bot' }, members: [{ id: '29:ada' }], tenantId: 't1', channelData: { tenant: { id: 't1' } } };
      const first = await post(fake.url, 'v3/conversations', parameters);
      expect(first.status).toBe(201);
      const { id } = (await first.json()) as { id: string };
      expect(id).toMatch(/^a:/);
      expect(((await (await post(fake.url, 'v3/conversations', parameters)).json()) as { id: string }).id).toBe(id);
      expect(fake.created()).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it('answers a 429 like the real one', async () => {
    const fake = await startFakeBotConnector({ conversationLimits: [{ limit: 1, windowMs: 10_000 }] });
    try {
      const activity = { type: 'message', conversation: { id: 'a:x', tenantId: 't1' } };
      expect((await post(fake.url, 'v3/conversations/a%3Ax/activities', activity)).status).toBe(201);
      const throttled = await post(fake.url, 'v3/conversations/a%3Ax/activities', activity);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
      expect(await throttled.json()).toMatchObject({ error: { code: 'Throttled', message: expect.any(String) } });
    } finally {
      await fake.close();
    }
  });

  it('injects the same faults for the same seed', async () => {
    const statuses = async (seed: number) => {
      const fake = await startFakeBotConnector({ faults: { throttleRate: 0.2, serverErrorRate: 0.2, seed } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 40; i++) {
          const res = await post(fake.url, `v3/conversations/a%3Au${i}/activities`, { type: 'message', conversation: { id: `a:u${i}`, tenantId: 't' } });
          out.push(res.status);
        }
        const { accepted, throttled, failed } = fake.counts();
        expect(accepted + throttled + failed).toBe(40);
        return out;
      } finally {
        await fake.close();
      }
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([201, 429, ...first.filter((s) => s >= 500)]));
    expect(first.some((s) => s >= 500) && first.includes(429) && first.includes(201)).toBe(true);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and falls back to 1 s', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:05 GMT', START)).toBe(5_000);
    expect(retryAfterMs(undefined)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
  });
});

describe('a member known only from the roster', () => {
  it('gets the card in a 1:1 the bot opens, and the next card goes straight there', async () => {
    const fake = await startFakeBotConnector();
    const team = { tenant: 'tenant-1', team: '19:team@thread.tacv2' };
    const store = new EmbeddedStore(undefined, countingRandom());
    try {
      // What a roster read stores: the person, the bot and the tenant, but no conversation yet.
      await store.saveConversation(team, {
        platform: 'teams',
        key: '29:never-wrote',
        reference: {
          channelId: 'msteams',
          serviceUrl: fake.url,
          bot: { id: '28:bot', name: 'Sparringsbot' },
          user: { id: '29:never-wrote' },
          conversation: { conversationType: 'personal', isGroup: false, tenantId: team.tenant },
        },
      });
      const outbox = new MemoryOutbox();
      const clock = fakeClock('2026-03-02T09:00:00Z');
      const deps = { outbox, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), store, channels: { teams: new TeamsChannel({ appId: '' }) }, clock, random: countingRandom(), logger: memoryLogger() };
      const item = (occurrenceId: string) => ({
        team,
        occurrenceId,
        recipient: '29:never-wrote',
        card: { name: 'error', data: { code: 'notYet', choices: [] }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' },
      });
      await outbox.enqueue([item('first')], clock.now().getTime());
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(fake.created()).toHaveLength(1);
      const opened = fake.created()[0]!.conversationId;
      expect(fake.accepted().map((m) => m.conversationId)).toEqual([opened]);
      expect((await store.getConversation(team, '29:never-wrote'))!.reference['conversation']).toMatchObject({ id: opened });

      await outbox.enqueue([item('second')], clock.now().getTime());
      expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
      expect(fake.created()).toHaveLength(1);
      expect(fake.accepted().map((m) => m.conversationId)).toEqual([opened, opened]);
    } finally {
      await fake.close();
    }
  });
});

describe('a team that removed the bot', () => {
  it('gets nothing more, not even what was queued before; the items end as dead letters that say why', async () => {
    const fake = await startFakeBotConnector();
    const team = { tenant: 'tenant-1', team: '19:removed@thread.tacv2' };
    const store = new EmbeddedStore(undefined, countingRandom());
    try {
      const run = {
        team,
        programmeId: 'odense-science-boernehoejde',
        start: '2026-08-10',
        settings: {},
        timeZone: 'Europe/Copenhagen',
        country: 'DK' as const,
        locale: 'da' as const,
        active: true,
        members: [{ userId: '29:1user', roles: ['staff' as const] }],
      };
      await store.saveRun(run);
      await store.saveConversation(team, {
        platform: 'teams',
        key: '29:1user',
        reference: {
          serviceUrl: fake.url,
          channelId: 'msteams',
          conversation: { id: PERSONAL, tenantId: team.tenant, conversationType: 'personal' },
          bot: { id: '28:bot-app-id' },
          user: { id: '29:1user' },
        },
      });
      const outbox = new MemoryOutbox();
      const clock = fakeClock('2026-03-02T09:00:00Z');
      const deps = { outbox, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), store, channels: { teams: new TeamsChannel({ appId: '' }) }, clock, random: countingRandom(), logger: memoryLogger() };
      await outbox.enqueue(
        [{ team, occurrenceId: 'queued-before', recipient: '29:1user', card: { name: 'error', data: { code: 'notYet', choices: [] }, locale: 'da', timeZone: 'Europe/Copenhagen' } }],
        clock.now().getTime(),
      );
      await store.saveRun({ ...run, members: [], active: false });
      expect(await deliverDue(deps)).toMatchObject({ sent: 0, dead: 1 });
      expect(fake.accepted()).toEqual([]);
      expect((await outbox.deadLetters(team)).map((l) => l.reason)).toEqual(['the team removed Sparringsbot (its run is inactive)']);
    } finally {
      await fake.close();
    }
  });
});
