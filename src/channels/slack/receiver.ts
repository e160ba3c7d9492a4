// Slack's inbound side: POST /slack/events takes events, the /sparring slash command and interactivity
// (buttons, modals) on one URL, through Bolt's App on an ExpressReceiver mounted on our express app.
// Bolt reads the raw body itself and checks every request's signature and its 5-minute timestamp
// (401 otherwise). Start-up calls nothing at Slack: with one workspace the bot's ids are asked for on the
// first request; with OAuth each workspace's installation (kept in our store) names its bot.
import { App, AuthorizationError, type Authorize, ExpressReceiver, HTTPModuleFunctions, type Logger as BoltLogger, LogLevel, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import express from 'express';
import type { AppDeps } from '../../app/context.ts';
import { handleInbound, type InboundInput, type TenantOnly } from '../../app/inbound.ts';
import type { CommandQueue } from '../../app/command-queue.ts';
import type { Clock, Logger, SlackInstallationStore, TeamRef } from '../../app/ports.ts';
import { PLATFORM_CALL_TIMEOUT_MS } from '../call-timeout.ts';
import type { Receiver } from '../receiver.ts';
import { SlackEvents } from './events.ts';
import { boltInstallationStore, installedToken, singleToken } from './installations.ts';
import { registerMembership } from './membership.ts';
import { publishHome, registerAppHome } from './home.ts';
import { modalFor } from './modal.ts';
import { isSetupCommand, openSetupModal, SETUP_CARD, submitSetupModal } from './setup.ts';
import { postToResponseUrl } from './answer-command.ts';
import { onlyForm, slackMessage } from './message.ts';
import { DEFAULT_SLACK_API_URL, SlackChannel, slackClient } from './slack-channel.ts';
import { buttonValue, type ModalMetadata, modalInputs, parseMetadata, teamOf } from './translate.ts';

export interface SlackReceiverOptions {
  signingSecret: string;
  /** One workspace: its bot token. */
  botToken?: string;
  /** Many workspaces: installed by OAuth at /slack/install, each one's token kept in the store. */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
  /** With a trailing slash; default Slack's own. */
  apiUrl?: string;
}

/** The bot scopes the app asks for (manifests/slack/manifest.yaml lists the same). */
export const SLACK_BOT_SCOPES = ['chat:write', 'commands', 'im:write', 'channels:read', 'groups:read', 'users:read'];
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';

export interface SlackReceiverDeps {
  app: AppDeps & { store: SlackInstallationStore; clock: Clock };
  /** Where an acked `/sparring` waits for its answer: the ack costs one push, the answer is a worker's. */
  commands: Pick<CommandQueue, 'push'>;
  logger: Logger;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/** Bolt's log lines, at warn and above, as ours; a message only, never a request body or a token. */
function boltLogger(logger: Logger): BoltLogger {
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : ''))
      .join(' ')
      .slice(0, 500);
  let level = LogLevel.WARN;
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => logger.warn({ source: 'bolt' }, text(msg)),
    error: (...msg: unknown[]) => logger.error({ source: 'bolt' }, text(msg)),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}

/**
 * A signed body of a shape Bolt fails on before anything acked it (`null`, a block_actions whose actions are
 * no list: a TypeError in Bolt's own reading) is no request Slack sends: refused with 400 JSON rather than
 * Bolt's bare 500. Any other failure, one after the ack, and a workspace with no installation (401) keep
 * Bolt's own answer.
 */
function refuseUnreadable(logger: Logger) {
  return async (args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const { error, response } = args;
    if (response.headersSent || error instanceof AuthorizationError || !(error instanceof TypeError)) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    logger.warn({ platform: 'slack', error: error.name }, 'Slack request refused: a body Bolt cannot read');
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'badPayload', message: 'The body is not a Slack request this app takes.' } }));
    return true;
  };
}

type Json = Record<string, unknown>;

/** The app removed from a workspace: its installation and token are deleted (an org-wide one stays for the org's other workspaces). */
const forget = (store: SlackInstallationStore) => async (w: { team?: string }) => {
  if (w.team) await store.deleteSlackInstallation(w.team);
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function isHttpUrl(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * One workspace: the token from the environment, and the bot's own ids from `auth.test`, asked once, on the
 * first request rather than at start (a Slack that cannot be reached does not stop the server; a failed
 * ask is asked again next time, and meanwhile the request goes on without the ids).
 */
function oneWorkspace(client: WebClient, botToken: string, logger: Logger): Authorize<boolean> {
  let ids: Promise<{ botId?: string; botUserId?: string }> | undefined;
  return async () => {
    ids ??= client.auth.test({ token: botToken }).then(
      (r) => ({ ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) }),
      (error: unknown) => {
        ids = undefined;
        logger.warn({ platform: 'slack', error: (error as { code?: string }).code }, 'Slack auth.test failed; asked again on the next request');
        return {};
      },
    );
    return { botToken, ...(await ids) };
  };
}

/** Slack as a receiver: the Channel delivery sends through and POST /slack/events, on one Web API client. */
export function slackReceiver(options: SlackReceiverOptions, deps: SlackReceiverDeps): Receiver & { channel: SlackChannel } {
  const { logger } = deps;
  if (!options.botToken && !options.oauth) throw new Error('Slack needs a bot token or OAuth settings');
  const apiUrl = options.apiUrl ?? DEFAULT_SLACK_API_URL;
  const clientOptions = { slackApiUrl: apiUrl, timeout: PLATFORM_CALL_TIMEOUT_MS, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR };
  const client = slackClient({ token: options.botToken ?? '', apiUrl });
  const installations = options.oauth ? boltInstallationStore(deps.app.store, deps.app.clock, logger) : undefined;
  const channel = new SlackChannel({ client, tokenFor: options.botToken ? singleToken(options.botToken) : installedToken(deps.app.store) });
  const router = express.Router();
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    app: express(),
    router,
    logger: boltLogger(logger),
    processEventErrorHandler: refuseUnreadable(logger),
    ...(options.oauth && installations
      ? {
          clientId: options.oauth.clientId,
          clientSecret: options.oauth.clientSecret,
          stateSecret: options.oauth.stateSecret,
          scopes: SLACK_BOT_SCOPES,
          installationStore: installations,
          installerOptions: { directInstall: true, installPath: SLACK_INSTALL_PATH, redirectUriPath: SLACK_REDIRECT_PATH, clientOptions },
        }
      : {}),
  });
  const bolt = new App({
    receiver,
    logger: boltLogger(logger),
    ...(options.botToken ? { authorize: oneWorkspace(client, options.botToken, logger) } : {}),
    clientOptions,
  });
  const inbound = (team: TeamRef | TenantOnly, userId: string, input: InboundInput) => handleInbound(deps.app, { platform: 'slack', team, platformUserId: userId, input });

  // `/sparring <text>`: acked at once and queued; a command worker answers through its response_url, to the
  // person only. Set-up opens its modal here: the trigger_id that opens it lapses in 3 seconds.
  bolt.command('/sparring', async ({ ack, command, respond, client, context }) => {
    await ack();
    if (!isSetupCommand(command.text)) {
      // The answer goes to the response_url: a command without one that is a URL could never be answered.
      if (!isHttpUrl(command.response_url)) {
        logger.warn({ platform: 'slack' }, 'Slack command refused: its response_url is no URL');
        return;
      }
      const queued = { platform: 'slack', tenant: command.team_id, channel: command.channel_id, userId: command.user_id, text: command.text ?? '', responseUrl: command.response_url } as const;
      await deps.commands.push({ ...queued, receivedAt: deps.app.clock.now().toISOString() });
      return;
    }
    const team: TeamRef = { tenant: command.team_id, team: command.channel_id };
    const workspace = { team: command.team_id, ...(command.enterprise_id && command.is_enterprise_install === 'true' ? { enterprise: command.enterprise_id } : {}) };
    const asked = { workspace, team, userId: command.user_id, triggerId: command.trigger_id, locale: 'da' as const, ...(context.botUserId ? { botUserId: context.botUserId } : {}) };
    const refused = command.channel_id.startsWith('D') ? ({ card: 'error', data: { code: 'badArgument', choices: [] }, locale: 'da' } as const) : await openSetupModal(deps.app, client, asked);
    if (refused) await respond({ response_type: 'ephemeral', ...slackMessage({ ...refused, timeZone: 'Europe/Copenhagen' }) } as never);
  });

  // A button: a form opens its modal; any other is the card action itself, and its answer replaces the message.
  bolt.action(/.*/, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const button = action as unknown as { action_id: string; value?: string };
    const actionId = button.action_id;
    if (actionId.startsWith('url:')) return;
    const payload = body as unknown as Json;
    const tenant = str((payload['team'] as Json | null)?.['id']) ?? str((payload['user'] as Json)['team_id']) ?? '';
    const container = (payload['container'] ?? {}) as Json;
    const channelId = str((payload['channel'] as Json | undefined)?.['id']) ?? str(container['channel_id']);
    const ts = str(container['message_ts']);
    const ephemeral = container['is_ephemeral'] === true;
    // A click in the App Home: no message to replace and no response_url; the home is published again.
    const inHome = container['type'] === 'view' && (payload['view'] as Json | undefined)?.['type'] === 'home';
    const team = teamOf(tenant, channelId);
    const userId = body.user.id;
    const value = buttonValue(button.value);
    if (!value) {
      logger.warn({ platform: 'slack', actionId: actionId.slice(0, 40) }, 'Slack button refused: no action data');
      return;
    }
    const metadataFor = (data: Json): ModalMetadata => ({
      data,
      tenant,
      ...(channelId && ts && !ephemeral ? { channel: channelId, ts } : {}),
      ...(ephemeral && str(payload['response_url']) ? { responseUrl: str(payload['response_url']) } : {}),
      ...(team.team ? { team: team.team } : {}),
      ...(inHome ? { home: true } : {}),
    });
    if (actionId.startsWith('open:')) {
      const modal = await modalFor(deps.app, team, userId, value.verb, value.data);
      if (!modal) {
        const reply = await inbound(team, userId, { kind: 'action', verb: value.verb, data: value.data, inputs: {} });
        if (inHome) await publishHome(client, deps, tenant, userId);
        else await respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(reply) } as never);
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: { ...modal, private_metadata: JSON.stringify(metadataFor(value.data)) } as never });
      return;
    }
    const reply = await inbound(team, userId, { kind: 'action', verb: value.verb, data: value.data, inputs: {} });
    const message = slackMessage(reply);
    // "Svar nu" on a reminder answers with the questionnaire or reflection itself: it replaces the reminder, and its
    // form opens at once (first: the trigger_id lapses in 3 seconds). Its submission answers as the prompt's own would.
    const form = value.verb === 'open' ? onlyForm(reply) : undefined;
    const ref = (reply.data as { ref?: unknown } | undefined)?.ref;
    if (form && ref) await client.views.open({ trigger_id: body.trigger_id, view: { ...form.modal, private_metadata: JSON.stringify(metadataFor({ card: reply.card, ref })) } as never });
    if (inHome) await publishHome(client, deps, tenant, userId);
    else if (channelId && ts && !ephemeral) await client.chat.update({ channel: channelId, ts, ...message } as never);
    else await respond({ replace_original: true, ...message } as never);
  });

  // A modal's submission: the card action with the form's values; the answer replaces the message it came from.
  bolt.view(/.*/, async ({ ack, body, view, client }) => {
    const metadata = parseMetadata(view.private_metadata);
    const workspace = body.team?.id ?? body.user.team_id;
    // A modal opened in one workspace cannot act in another.
    if (!metadata || metadata.tenant !== workspace) {
      await ack();
      logger.warn({ platform: 'slack', callbackId: view.callback_id.slice(0, 40), reason: metadata ? 'another workspace' : 'no action data' }, 'Slack modal refused');
      return;
    }
    const team: TeamRef | TenantOnly = metadata.team ? { tenant: metadata.tenant, team: metadata.team } : { tenant: metadata.tenant };
    const inputs = modalInputs(view.state.values);
    if (metadata.data['card'] === SETUP_CARD && team.team) {
      // Answered in the ack: the form shown again with what to fix, or closed when the run started.
      const again = await submitSetupModal(deps.app, { team: { tenant: team.tenant, team: team.team }, userId: body.user.id, inputs, metadata });
      await ack(again as never);
      return;
    }
    await ack();
    const reply = await inbound(team, body.user.id, { kind: 'action', verb: view.callback_id, data: metadata.data, inputs });
    const message = slackMessage(reply);
    if (metadata.home) await publishHome(client, deps, metadata.tenant, body.user.id);
    else if (metadata.channel && metadata.ts) await client.chat.update({ channel: metadata.channel, ts: metadata.ts, ...message } as never);
    else if (metadata.responseUrl) await postToResponseUrl(metadata.responseUrl, { replace_original: true, ...message }, logger);
  });

  const events = new SlackEvents();
  registerMembership(events, { app: deps.app, ...(installations?.deleteInstallation ? { forgetInstallation: forget(deps.app.store) } : {}) });

  bolt.error(async (error) => {
    const e = error as { code?: string; message?: string; original?: { message?: string; code?: string } };
    logger.error({ platform: 'slack', code: e.code, cause: e.original?.code }, 'Slack request failed');
  });
  registerAppHome(events, deps);
  events.register(bolt);

  return {
    name: 'slack',
    channel,
    mount(app) {
      app.use(router);
    },
    async stop() {},
  };
}
