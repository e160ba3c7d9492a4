// Slack's inbound side: POST /slack/events takes events, the /sparring slash command and interactivity
// (buttons, modals) on one URL, through Bolt's App on an ExpressReceiver mounted on our express app.
// Bolt reads the raw body itself and checks every request's signature and its 5-minute timestamp
// (401 otherwise); start-up calls nothing at Slack (authorize names the bot, no auth.test).
import { App, ExpressReceiver, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import express from 'express';
import type { AppDeps } from '../../app/context.ts';
import { handleInbound, type InboundInput, type InboundReply, type TenantOnly } from '../../app/inbound.ts';
import type { Logger, TeamRef } from '../../app/ports.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { Receiver } from '../receiver.ts';
import { modalFor } from './modal.ts';
import { blocksOf, SlackChannel, slackClient } from './slack-channel.ts';
import { buttonValue, type ModalMetadata, modalInputs, parseMetadata, teamOf } from './translate.ts';

export interface SlackReceiverOptions {
  signingSecret: string;
  botToken: string;
  /** With a trailing slash; default Slack's own. */
  apiUrl?: string;
}

export interface SlackReceiverDeps {
  app: AppDeps;
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

/** The reply as Slack's message: blocks and text (the modals stay with the buttons that open them). */
export function slackMessage(reply: InboundReply): { text: string; blocks: unknown[] } {
  const card = renderSlackCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone });
  return blocksOf({ card: card as unknown as Record<string, unknown>, text: card.text });
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Slack as a receiver: the Channel delivery sends through and POST /slack/events, on one Web API client. */
export function slackReceiver(options: SlackReceiverOptions, deps: SlackReceiverDeps): Receiver & { channel: SlackChannel } {
  const { logger } = deps;
  const client = slackClient({ token: options.botToken, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) });
  const channel = new SlackChannel({ client });
  const router = express.Router();
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    app: express(),
    router,
    logger: boltLogger(logger),
  });
  const bolt = new App({
    receiver,
    logger: boltLogger(logger),
    // The bot is who the token says; naming it here means Bolt never calls auth.test.
    authorize: async () => ({ botToken: options.botToken, botId: 'B-sparringsbot', botUserId: 'U-sparringsbot' }),
    clientOptions: { slackApiUrl: options.apiUrl ?? 'https://slack.com/api/', retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR },
  });
  const inbound = (team: TeamRef | TenantOnly, userId: string, input: InboundInput) => handleInbound(deps.app, { platform: 'slack', team, platformUserId: userId, input });

  // `/sparring <text>`: acked at once, answered through the command's response_url, to the person only.
  bolt.command('/sparring', async ({ ack, command, respond }) => {
    await ack();
    const reply = await inbound(teamOf(command.team_id, command.channel_id), command.user_id, { kind: 'command', text: command.text ?? '' });
    await respond({ response_type: 'ephemeral', ...slackMessage(reply) } as never);
  });

  // A button: a form opens its modal; any other is the card action itself, and its answer replaces the message.
  bolt.action(/.*/, async ({ ack, body, action, respond }) => {
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
    const team = teamOf(tenant, channelId);
    const userId = body.user.id;
    const value = buttonValue(button.value);
    if (!value) {
      logger.warn({ platform: 'slack', actionId: actionId.slice(0, 40) }, 'Slack button refused: no action data');
      return;
    }
    if (actionId.startsWith('open:')) {
      const modal = await modalFor(deps.app, team, userId, value.verb, value.data);
      if (!modal) {
        const reply = await inbound(team, userId, { kind: 'action', verb: value.verb, data: value.data, inputs: {} });
        await respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(reply) } as never);
        return;
      }
      const metadata: ModalMetadata = {
        data: value.data,
        tenant,
        ...(channelId && ts && !ephemeral ? { channel: channelId, ts } : {}),
        ...(ephemeral && str(payload['response_url']) ? { responseUrl: str(payload['response_url']) } : {}),
        ...(team.team ? { team: team.team } : {}),
      };
      await client.views.open({ trigger_id: body.trigger_id, view: { ...modal, private_metadata: JSON.stringify(metadata) } as never });
      return;
    }
    const reply = await inbound(team, userId, { kind: 'action', verb: value.verb, data: value.data, inputs: {} });
    const message = slackMessage(reply);
    if (channelId && ts && !ephemeral) await client.chat.update({ channel: channelId, ts, ...message } as never);
    else await respond({ replace_original: true, ...message } as never);
  });

  // A modal's submission: the card action with the form's values; the answer replaces the message it came from.
  bolt.view(/.*/, async ({ ack, body, view }) => {
    await ack();
    const metadata = parseMetadata(view.private_metadata);
    if (!metadata) {
      logger.warn({ platform: 'slack', callbackId: view.callback_id.slice(0, 40) }, 'Slack modal refused: no action data');
      return;
    }
    const team: TeamRef | TenantOnly = metadata.team ? { tenant: metadata.tenant, team: metadata.team } : { tenant: metadata.tenant };
    const inputs = modalInputs(view.state.values);
    const reply = await inbound(team, body.user.id, { kind: 'action', verb: view.callback_id, data: metadata.data, inputs });
    const message = slackMessage(reply);
    if (metadata.channel && metadata.ts) await client.chat.update({ channel: metadata.channel, ts: metadata.ts, ...message } as never);
    else if (metadata.responseUrl) {
      const response = await fetch(metadata.responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, ...message }) });
      if (!response.ok) logger.warn({ platform: 'slack', status: response.status }, 'Slack response_url refused the answer');
    }
  });

  bolt.error(async (error) => {
    const e = error as { code?: string; message?: string; original?: { message?: string; code?: string } };
    logger.error({ platform: 'slack', code: e.code, cause: e.original?.code }, 'Slack request failed');
  });

  return {
    name: 'slack',
    channel,
    mount(app) {
      app.use(router);
    },
    async stop() {},
  };
}
