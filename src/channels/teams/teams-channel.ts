// The Channel for Teams: posts and updates Adaptive Cards through botbuilder's CloudAdapter, proactively
// (continueConversationAsync on a stored ConversationReference), and turns the Bot Connector's failures
// into ChannelErrors so delivery decides about waiting and retrying, not botbuilder.
import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import { ChannelError, type Channel, type ConversationRef, type OutboundMessage } from '../../app/ports.ts';

export interface TeamsChannelOptions {
  /** The bot's Microsoft App id. Empty: no auth at all, for a local fake Bot Connector. */
  appId: string;
  appPassword?: string;
  /** `MultiTenant` (the default), `SingleTenant` (needs appTenantId) or `UserAssignedMSI` (a managed identity, no password). */
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** The bot's tenant, for a single-tenant bot or a managed identity. */
  appTenantId?: string;
  /** Gives up on a Bot Connector call that has not answered in this time. Default 15 s. */
  timeoutMs?: number;
}

/** What we need of the @azure/core-rest-pipeline Pipeline inside botbuilder's ConnectorClient. */
interface Pipeline {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number }, next: (request: never) => Promise<unknown>): Promise<unknown> }): void;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class TeamsChannel implements Channel {
  readonly platform = 'teams' as const;
  private readonly adapter: CloudAdapter;
  private readonly appId: string;
  private readonly timeoutMs: number;

  constructor(options: TeamsChannelOptions) {
    this.appId = options.appId;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: options.appId,
      MicrosoftAppPassword: options.appPassword ?? '',
      MicrosoftAppType: options.appType ?? (options.appTenantId ? 'SingleTenant' : 'MultiTenant'),
      ...(options.appTenantId ? { MicrosoftAppTenantId: options.appTenantId } : {}),
    });
    this.adapter = new CloudAdapter(auth);
  }

  /** `options.key` travels as `channelData.sparringsbot.key`, so a fake Bot Connector can spot duplicates. */
  async send(to: ConversationRef, message: OutboundMessage, options: { key?: string } = {}): Promise<{ messageId: string }> {
    const activity: Partial<Activity> = {
      ...messageActivity(message),
      ...(options.key === undefined ? {} : { channelData: { sparringsbot: { key: options.key } } }),
    };
    const response = await this.inConversation(to, (context) => context.sendActivity(activity));
    // Posted but with no id to update it by: resending would post it twice, so do not retry.
    if (!response?.id) throw new ChannelError('Teams answered a send without a message id', 'permanent');
    return { messageId: response.id };
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
   * set a timeout. The client is made afresh for every continueConversationAsync; its pipeline is not public.
   */
  private tuneConnector(context: TurnContext): void {
    const connector = context.turnState.get(this.adapter.ConnectorClientKey) as { client?: { pipeline?: Pipeline } } | undefined;
    const pipeline = connector?.client?.pipeline;
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

function messageActivity(message: OutboundMessage): Partial<Activity> {
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
