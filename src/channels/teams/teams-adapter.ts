// The one botbuilder CloudAdapter of a process: it checks the token of every request to /api/messages and
// sends what the bot posts, proactively (TeamsChannel) or as a reply in a turn (the receiver).
import { type Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type InvokeResponse, type TurnContext } from 'botbuilder';

export interface TeamsAuthOptions {
  /** The bot's Microsoft App id. Empty: no auth at all (TEAMS_AUTH_DISABLED), for a local fake Bot Connector. */
  appId: string;
  appPassword?: string;
  /** `MultiTenant` (the default), `SingleTenant` (needs appTenantId) or `UserAssignedMSI` (a managed identity, no password). */
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** The bot's tenant, for a single-tenant bot or a managed identity. */
  appTenantId?: string;
  /**
   * Where the keys that sign the Bot Connector's tokens are published (its OpenID metadata). Default: the
   * public cloud's. Tests serve their own, to sign tokens locally.
   */
  openIdMetadataUrl?: string;
}

// The public cloud's values (botframework-connector's AuthenticationConstants, which botbuilder does not
// export): botbuilder takes either none of them or all, so a metadata URL of our own comes with the rest.
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/** What a proactive send needs of botframework-connector's ConnectorClient (not a dependency of ours by name). */
export interface BotConnectorClient {
  conversations: { sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string } | undefined> };
  client?: { pipeline?: unknown };
}

/** CloudAdapter with its request handling open to a route of ours, which answers in JSON and maps failures itself. */
export class TeamsAdapter extends CloudAdapter {
  constructor(options: TeamsAuthOptions) {
    super(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: options.appId,
        MicrosoftAppPassword: options.appPassword ?? '',
        MicrosoftAppType: options.appType ?? (options.appTenantId ? 'SingleTenant' : 'MultiTenant'),
        ...(options.appTenantId ? { MicrosoftAppTenantId: options.appTenantId } : {}),
        ...(options.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl } : {}),
      }),
    );
  }

  /**
   * A client of the Bot Connector at `serviceUrl` with the bot's credentials, made as
   * continueConversationAsync makes one for each call (same factory, claims and audience), for a caller
   * that keeps it.
   */
  async connectorClient(appId: string, serviceUrl: string): Promise<BotConnectorClient> {
    const factory = this.botFrameworkAuthentication.createConnectorFactory(this.createClaimsIdentity(appId));
    return (await factory.create(serviceUrl, undefined)) as unknown as BotConnectorClient;
  }

  /**
   * Checks the request's token (with an app id) and runs one turn: the invoke response when there is one.
   * Refused credentials throw TeamsAuthError; anything else is thrown as botbuilder or the turn threw it.
   */
  async handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    let started = false;
    try {
      return await this.processActivity(authHeader, activity, (context) => {
        started = true;
        return logic(context);
      });
    } catch (error) {
      // Only before the turn: a 401 from the Bot Connector on a reply is our credentials' fault, not the caller's.
      if (!started && isAuthFailure(error)) throw new TeamsAuthError(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}

/** The request's credentials were refused: answer 401, nothing was run. */
export class TeamsAuthError extends Error {
  override readonly name = 'TeamsAuthError';
}

// jsonwebtoken's errors (a bad signature, an expired or not yet valid token) reach us as they are.
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * botbuilder's refusals: an AuthenticationError with 401 (no token, wrong issuer, audience or service
 * URL, unknown key) or a token that does not verify. An AuthenticationError with 500 (the OpenID metadata
 * could not be loaded) is a fault on our side, not the caller's.
 */
function isAuthFailure(error: unknown): boolean {
  const e = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  return e.statusCode === 401 || (typeof e.name === 'string' && TOKEN_ERRORS.has(e.name));
}
