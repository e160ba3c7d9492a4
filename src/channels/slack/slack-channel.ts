// Slack's outbound side: posting and updating messages through the Web API. Delivery owns retrying,
// so the client's own retries and its waiting on 429s are off: every failure becomes a ChannelError.
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { type Channel, ChannelError, type ConversationRef, type OutboundMessage } from '../../app/ports.ts';
import { PLATFORM_CALL_TIMEOUT_MS } from '../call-timeout.ts';
import type { TokenFor } from './installations.ts';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export interface SlackChannelOptions {
  token: string;
  /** With a trailing slash; default Slack's own. */
  apiUrl?: string;
  /** How long a call may take (ms); default PLATFORM_CALL_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** A Web API client that never retries and never waits: delivery decides. */
export function slackClient(options: SlackChannelOptions): WebClient {
  return new WebClient(options.token, {
    slackApiUrl: options.apiUrl ?? DEFAULT_SLACK_API_URL,
    // The client's default is no timeout at all: a hung connection would hold a send for ever.
    timeout: options.timeoutMs ?? PLATFORM_CALL_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Its warnings (a failed request) become our ChannelError and delivery's log line.
    logLevel: LogLevel.ERROR,
  });
}

/** Slack errors that will not change on a retry (the person left, the bot is not in the channel, the token is bad). */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'cannot_dm_bot',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
]);

/** Slack errors that are Slack's trouble, not ours: worth a retry. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Any failure of a Web API call as delivery needs it. The message names Slack's error code only. */
export function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return new ChannelError('Slack: ratelimited', 'throttled', Math.max(0, Number(e.retryAfter ?? 1)) * 1000, 429);
    case ErrorCode.HTTPError: {
      const status = Number(e.statusCode ?? 0);
      if (status === 429) return new ChannelError('Slack: HTTP 429', 'throttled', 1000, 429);
      if (status >= 500 || status === 408) return new ChannelError(`Slack: HTTP ${status}`, 'transient', undefined, status);
      return new ChannelError(`Slack: HTTP ${status}`, 'permanent', undefined, status);
    }
    case ErrorCode.PlatformError: {
      const code = String(e.data?.error ?? 'unknown');
      if (code === 'ratelimited') return new ChannelError('Slack: ratelimited', 'throttled', 1000, 429);
      if (TRANSIENT.has(code)) return new ChannelError(`Slack: ${code}`, 'transient');
      if (PERMANENT.has(code)) return new ChannelError(`Slack: ${code}`, 'permanent', undefined, 200);
      // An error Slack may add later: a 200 with ok:false is a refusal, not an outage.
      return new ChannelError(`Slack: ${code}`, 'permanent', undefined, 200);
    }
    default:
      // A network error (WebAPIRequestError) or anything unforeseen.
      return new ChannelError('Slack: request failed', 'transient');
  }
}

/** The Block Kit message delivery rendered for Slack: `{ text, blocks, modals }` (src/cards/slack/from-adaptive.ts). */
export function blocksOf(message: OutboundMessage): { text: string; blocks: unknown[] } {
  const blocks = Array.isArray(message.card['blocks']) ? (message.card['blocks'] as unknown[]) : [];
  const text = message.text || (typeof message.card['text'] === 'string' ? (message.card['text'] as string) : '');
  return { text, blocks };
}

/** `<channel>:<ts>`: a message's id as delivery keeps it. */
export function messageIdOf(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

function parseMessageId(messageId: string): { channel: string; ts: string } {
  const at = messageId.indexOf(':');
  if (at <= 0) throw new ChannelError('Slack: not a message id', 'permanent');
  return { channel: messageId.slice(0, at), ts: messageId.slice(at + 1) };
}

export class SlackChannel implements Channel {
  readonly platform = 'slack' as const;
  readonly client: WebClient;
  /** Each workspace's own bot token (OAuth), or undefined: the client's one token. */
  private readonly tokenFor: TokenFor | undefined;

  constructor(options: SlackChannelOptions | { client: WebClient; tokenFor?: TokenFor }) {
    this.client = 'client' in options ? options.client : slackClient(options);
    this.tokenFor = 'tokenFor' in options ? options.tokenFor : undefined;
  }

  /** `{ token }` for a call to this conversation's workspace; nothing to add with one workspace. */
  private async tokenOf(to: ConversationRef): Promise<{ token?: string }> {
    if (!this.tokenFor) return {};
    const token = await this.tokenFor(to);
    // The app was removed from that workspace (or never installed there): no retry will change it.
    if (!token) throw new ChannelError('Slack: no installation for the workspace', 'permanent');
    return { token };
  }

  /** The channel to post in: the team channel's id, or the person's DM (opened once, then kept in the reference). */
  private async channelFor(to: ConversationRef, token: { token?: string }): Promise<{ channel: string; opened?: ConversationRef }> {
    if (to.key.startsWith('channel:')) {
      const channel = typeof to.reference['channel'] === 'string' ? (to.reference['channel'] as string) : to.key.slice('channel:'.length);
      return { channel };
    }
    // A DM opened before is kept in the reference (delivery saves `opened`): no conversations.open (Tier 3) per send.
    if (typeof to.reference['channel'] === 'string') return { channel: to.reference['channel'] as string };
    const user = typeof to.reference['user'] === 'string' ? (to.reference['user'] as string) : to.key;
    const opened = await this.client.conversations.open({ users: user, ...token });
    const channel = opened.channel?.id;
    if (!channel) throw new ChannelError('Slack: conversations.open gave no channel', 'transient');
    return { channel, opened: { ...to, reference: { ...to.reference, user, channel } } };
  }

  async send(to: ConversationRef, message: OutboundMessage): Promise<{ messageId: string; opened?: ConversationRef }> {
    try {
      const token = await this.tokenOf(to);
      const { channel, opened } = await this.channelFor(to, token);
      const { text, blocks } = blocksOf(message);
      const posted = await this.client.chat.postMessage({ channel, text, blocks: blocks as never, unfurl_links: false, unfurl_media: false, ...token });
      const ts = posted.ts;
      if (!ts) throw new ChannelError('Slack: chat.postMessage gave no ts', 'transient');
      return { messageId: messageIdOf(posted.channel ?? channel, ts), ...(opened ? { opened } : {}) };
    } catch (error) {
      throw toChannelError(error);
    }
  }

  async update(to: ConversationRef, messageId: string, message: OutboundMessage): Promise<void> {
    const { channel, ts } = parseMessageId(messageId);
    try {
      const token = await this.tokenOf(to);
      const { text, blocks } = blocksOf(message);
      await this.client.chat.update({ channel, ts, text, blocks: blocks as never, ...token });
    } catch (error) {
      throw toChannelError(error);
    }
  }
}
