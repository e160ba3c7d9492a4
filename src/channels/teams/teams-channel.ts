// The Channel for Teams: posts and updates Adaptive Cards through botbuilder, proactively (to a stored
// ConversationReference), and turns the Bot Connector's failures into ChannelErrors so delivery decides
// about waiting and retrying, not botbuilder.
import { CardFactory, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { ChannelError, type Channel, type ConversationRef, type OutboundMessage } from '../../app/ports.ts';
import { type BotConnectorClient, TeamsAdapter, type TeamsAuthOptions } from './teams-adapter.ts';
import { conversationParametersOf } from './teams-facts.ts';
import { PLATFORM_CALL_TIMEOUT_MS } from '../call-timeout.ts';

/** The token audience of the public Bot Framework cloud, for opening a conversation. */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

const conversationIdOf = (to: ConversationRef) => (to.reference['conversation'] as { id?: unknown } | undefined)?.id;

export interface TeamsChannelOptions extends TeamsAuthOptions {
  /** The adapter to send through, shared with the receiver; default: one of its own from these options. */
  adapter?: TeamsAdapter;
  /** Gives up on a Bot Connector call that has not answered in this time. Default 15 s. */
  timeoutMs?: number;
}

/** What we need of the @azure/core-rest-pipeline Pipeline inside botbuilder's ConnectorClient. */
interface Pipeline {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number }, next: (request: never) => Promise<unknown>): Promise<unknown> }): void;
}

/** Service URLs whose connector client is kept (Teams has one per region). */
const CONNECTORS_KEPT = 20;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class TeamsChannel implements Channel {
  readonly platform = 'teams' as const;
  private readonly adapter: TeamsAdapter;
  private readonly appId: string;
  private readonly timeoutMs: number;

  /**
   * Connector clients by service URL, each made once: continueConversationAsync makes a client (and its
   * pipeline) and a turn for every send, which was half the CPU of a send, a cost paid 50 times a second per tenant.
   */
  private readonly connectors = new Map<string, Promise<BotConnectorClient>>();

  constructor(options: TeamsChannelOptions) {
    this.appId = options.appId;
    this.timeoutMs = options.timeoutMs ?? PLATFORM_CALL_TIMEOUT_MS;
    this.adapter = options.adapter ?? new TeamsAdapter(options);
  }

  /** `options.key` travels as `channelData.sparringsbot.key`, so a fake Bot Connector can spot duplicates. */
  async send(to: ConversationRef, message: OutboundMessage, options: { key?: string } = {}): Promise<{ messageId: string }> {
    const activity: Partial<Activity> = {
      ...messageActivity(message),
      ...(options.key === undefined ? {} : { channelData: { sparringsbot: { key: options.key } } }),
    };
    const conversationId = conversationIdOf(to);
    if (!conversationId) return this.openAndSend(to, activity);
    const reference = to.reference as Partial<ConversationReference>;
    if (typeof reference.serviceUrl !== 'string' || !reference.serviceUrl) throw new ChannelError('Teams: the reference has no service URL', 'permanent');
    let response: { id?: string } | undefined;
    try {
      const connector = await this.connector(reference.serviceUrl);
      // As a turn would address it (channel, service URL, conversation, from the bot to the person), but a
      // proactive post: not a reply to the activity the reference was taken from.
      const outgoing = TurnContext.applyConversationReference({ ...activity }, reference);
      delete outgoing.replyToId;
      response = await connector.conversations.sendToConversation(String(conversationId), outgoing);
    } catch (error) {
      throw toChannelError(error);
    }
    // Posted but with no id to update it by: resending would post it twice, so do not retry.
    if (!response?.id) throw new ChannelError('Teams answered a send without a message id', 'permanent');
    return { messageId: response.id };
  }

  private connector(serviceUrl: string): Promise<BotConnectorClient> {
    let connector = this.connectors.get(serviceUrl);
    if (!connector) {
      connector = this.adapter.connectorClient(this.appId, serviceUrl).then((client) => {
        this.tune(client);
        return client;
      });
      // One that could not be made is made afresh next time.
      connector.catch(() => this.connectors.delete(serviceUrl));
      if (this.connectors.size >= CONNECTORS_KEPT) this.connectors.delete(this.connectors.keys().next().value!);
      this.connectors.set(serviceUrl, connector);
    }
    return connector;
  }

  /**
   * A member known from the roster who never wrote to the bot has no 1:1 yet: open it (Teams gives one
   * per bot and user, the same one every time) and send in it; the caller keeps the opened reference.
   */
  private async openAndSend(to: ConversationRef, activity: Partial<Activity>): Promise<{ messageId: string; opened: ConversationRef }> {
    const serviceUrl = to.reference['serviceUrl'];
    if (typeof serviceUrl !== 'string' || !to.reference['user'] || !to.reference['bot'])
      throw new ChannelError('Teams: the reference has neither a conversation nor the person to open one with', 'permanent');
    let conversationId: string | undefined;
    let messageId: string | undefined;
    try {
      await this.adapter.createConversationAsync(this.appId, 'msteams', serviceUrl, BOT_FRAMEWORK_AUDIENCE, conversationParametersOf(to.reference), async (context) => {
        this.tuneConnector(context);
        conversationId = context.activity.conversation?.id;
        messageId = (await context.sendActivity(activity))?.id;
      });
    } catch (error) {
      throw toChannelError(error);
    }
    if (!conversationId || !messageId) throw new ChannelError('Teams opened no 1:1 or answered without a message id', 'permanent');
    const conversation = { ...(to.reference['conversation'] as Record<string, unknown> | undefined), id: conversationId };
    return { messageId, opened: { ...to, reference: { ...to.reference, conversation } } };
  }

  async update(to: ConversationRef, messageId: string, message: OutboundMessage): Promise<void> {
    await this.inConversation(to, (context) => context.updateActivity({ ...messageActivity(message), id: messageId }));
  }

  private async inConversation<T>(to: ConversationRef, work: (context: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      const reference = to.reference as Partial<ConversationReference>;
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        this.tuneConnector(context);
        // botbuilder replies to the made-up id of its continuation event; a proactive message is a plain post.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        result = await work(context);
      });
    } catch (error) {
      throw toChannelError(error);
    }
    return result as T;
  }

  /**
   * botbuilder's ConnectorClient retries 429s (after Retry-After) and 5xx and network errors (exponential
   * backoff) up to 3 times, and has no timeout. Delivery owns retrying, so take its retry policy out and
   * set a timeout: once for a kept client, and for each one continueConversationAsync makes afresh (a turn's). Its
   * pipeline is not public.
   */
  private tuneConnector(context: TurnContext): void {
    this.tune(context.turnState.get(this.adapter.ConnectorClientKey) as BotConnectorClient | undefined);
  }

  private tune(connector: BotConnectorClient | undefined): void {
    const pipeline = connector?.client?.pipeline as Pipeline | undefined;
    if (!pipeline) throw new Error('botbuilder ConnectorClient internals changed: cannot turn its retries off');
    pipeline.removePolicy({ name: 'defaultRetryPolicy' });
    const timeoutMs = this.timeoutMs;
    pipeline.addPolicy({
      name: 'sparringsbotTimeout',
      sendRequest: (request, next) => {
        request.timeout = timeoutMs;
        return next(request as never);
      },
    });
  }
}

export function messageActivity(message: OutboundMessage): Partial<Activity> {
  // `summary` is the plain-text stand-in for the card; `text` would show above the card in Teams.
  return { type: 'message', summary: message.text, attachments: [CardFactory.adaptiveCard(message.card)] };
}

/** How botbuilder fails: a RestError (statusCode, code and message from the error body, response.headers), an AbortError on timeout, or a system error. */
export function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = (error ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string; response?: { headers?: { get(name: string): string | undefined } } };
  const message = e.name === 'AbortError' ? 'Teams: the Bot Connector did not answer in time' : `Teams: ${e.message ?? String(error)}`;
  const status = e.statusCode;
  if (status === 429) return new ChannelError(message, 'throttled', retryAfterMs(e.response?.headers?.get('retry-after')), status);
  if (status !== undefined && status >= 400) {
    return new ChannelError(message, status >= 500 || status === 412 || status === 408 ? 'transient' : 'permanent', undefined, status);
  }
  const network = e.name === 'AbortError' || (e.name === 'RestError' && status === undefined) || (e.code !== undefined && NETWORK_CODES.has(e.code));
  return new ChannelError(message, network ? 'transient' : 'permanent', undefined, status);
}

/** Retry-After is seconds or an HTTP date; 1 s when missing or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  if (header === undefined || header.trim() === '') return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : 1_000;
}
