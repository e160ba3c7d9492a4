// SlackChannel against a fake Web API: a member's DM opened then posted to, a channel posted to, an
// update, Slack's errors as delivery needs them, and a 429 honoured by delivery after its Retry-After.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, type ConversationRef, type OutboundMessage } from '../../src/app/ports.ts';
import { renderSlackCard } from '../../src/cards/render.ts';
import { postToResponseUrl } from '../../src/channels/slack/answer-command.ts';
import { SlackChannel } from '../../src/channels/slack/slack-channel.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox, MemoryRateLimiter } from '../../src/store/embedded/memory-delivery.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { countingRandom } from '../support/stores.ts';

const member: ConversationRef = { platform: 'slack', key: 'U1', reference: { user: 'U1' } };
const teamChannel: ConversationRef = { platform: 'slack', key: 'channel:C1', reference: { channel: 'C1' } };

function message(): OutboundMessage {
  const card = renderSlackCard('error', { code: 'notYet', choices: [] }, { locale: 'da' });
  return { card: card as unknown as Record<string, unknown>, text: card.text };
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChannelError) return error;
    throw error;
  }
  throw new Error('expected a ChannelError');
}

describe('SlackChannel', () => {
  let fake: FakeSlackApi;
  let channel: SlackChannel;
  beforeAll(async () => {
    fake = await startFakeSlackApi();
    channel = new SlackChannel({ token: 'xoxb-test', apiUrl: `${fake.url}/api/` });
  });
  afterAll(() => fake.close());
  beforeEach(() => void fake.calls.splice(0));

  it('opens a member’s DM, then posts the blocks and text there', async () => {
    const sent = await channel.send(member, message());
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(fake.calls[0]!.body).toMatchObject({ users: 'U1' });
    const post = fake.calls[1]!;
    expect(post.authorization).toBe('Bearer xoxb-test');
    expect(post.body).toMatchObject({ channel: 'D1', text: message().text });
    expect(post.body['blocks']).toEqual((message().card as { blocks: unknown }).blocks);
    expect(sent.messageId).toMatch(/^D1:\d+\.\d+$/);
    expect(sent.opened).toMatchObject({ key: 'U1', reference: { user: 'U1', channel: 'D1' } });
    // With the DM kept, the next send goes straight there.
    const again = await channel.send(sent.opened!, message());
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage', 'chat.postMessage']);
    expect(again.opened).toBeUndefined();
    expect(again.messageId).toMatch(/^D1:/);
  });

  it('posts to the team channel directly and updates a message by channel and ts', async () => {
    const { messageId } = await channel.send(teamChannel, message());
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(fake.calls[0]!.body).toMatchObject({ channel: 'C1' });
    await channel.update(teamChannel, messageId, message());
    expect(fake.callsTo('chat.update')[0]!.body).toMatchObject({ channel: 'C1', ts: messageId.slice(3) });
  });

  it('maps Slack’s errors: 429 throttled with Retry-After, 5xx transient, refusals permanent', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    expect(await failure(channel.send(teamChannel, message()))).toMatchObject({ kind: 'throttled', retryAfterMs: 7_000, status: 429 });
    fake.failNext('chat.postMessage', { status: 503 });
    expect(await failure(channel.send(teamChannel, message()))).toMatchObject({ kind: 'transient', status: 503 });
    for (const error of ['channel_not_found', 'not_in_channel', 'account_inactive', 'invalid_auth']) {
      fake.failNext('chat.postMessage', { error });
      expect(await failure(channel.send(teamChannel, message()))).toMatchObject({ kind: 'permanent', message: `Slack: ${error}` });
    }
    fake.failNext('chat.postMessage', { error: 'ratelimited' });
    expect(await failure(channel.send(teamChannel, message()))).toMatchObject({ kind: 'throttled' });
    fake.failNext('chat.update', { error: 'internal_error' });
    expect(await failure(channel.update(teamChannel, 'C1:1.2', message()))).toMatchObject({ kind: 'transient' });
    const offline = new SlackChannel({ token: 'xoxb-test', apiUrl: 'http://127.0.0.1:1/api/' });
    expect(await failure(offline.send(teamChannel, message()))).toMatchObject({ kind: 'transient' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('gives up on a Slack that takes a post and never answers: a transient failure, which delivery retries', async () => {
    fake.failNext('chat.postMessage', { silent: true });
    const impatient = new SlackChannel({ token: 'xoxb-test', apiUrl: `${fake.url}/api/`, timeoutMs: 200 });
    expect(await failure(impatient.send(teamChannel, message()))).toMatchObject({ kind: 'transient' });
    // The next post is answered as usual.
    expect((await channel.send(teamChannel, message())).messageId).toMatch(/^C1:/);
  });

  it('gives up on a response_url that never answers, so one command’s answer cannot hold its worker’s others', async () => {
    fake.failNext('response_url', { silent: true });
    await expect(postToResponseUrl(fake.responseUrl(), { text: 'Hej' }, memoryLogger(), 200)).rejects.toThrow(/timeout|aborted/i);
    await postToResponseUrl(fake.responseUrl(), { text: 'Hej igen' }, memoryLogger());
    expect(fake.callsTo('response_url').map((c) => c.body['text'])).toEqual(['Hej igen']);
  });

  it('delivery waits out a 429’s Retry-After, then sends once', async () => {
    const team = { tenant: 'T1', team: 'C1' };
    const store = new EmbeddedStore(undefined, countingRandom());
    await store.saveConversation(team, teamChannel);
    const outbox = new MemoryOutbox();
    const clock = fakeClock('2026-03-02T09:00:00Z');
    const deps = { outbox, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), store, channels: { slack: channel }, clock, random: countingRandom(), logger: memoryLogger() };
    await outbox.enqueue(
      [{ team, occurrenceId: 'o1', recipient: 'channel:C1', card: { name: 'error', data: { code: 'notYet', choices: [] }, locale: 'da', timeZone: 'Europe/Copenhagen' } }],
      clock.now().getTime(),
    );
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    expect(await deliverDue(deps)).toMatchObject({ sent: 0, waiting: 1 });
    clock.advance(29_000);
    expect(await deliverDue(deps)).toMatchObject({ sent: 0 });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    clock.advance(1_500);
    expect(await deliverDue(deps)).toMatchObject({ sent: 1 });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await deliverDue(deps)).toMatchObject({ sent: 0 });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    await store.close();
  });
});
