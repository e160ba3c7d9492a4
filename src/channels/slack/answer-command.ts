// The answer to a `/sparring` command the receiver acked and queued: worked out by a command worker (on
// this replica or another) and posted to the command's response_url, to the person only.
import type { AppDeps } from '../../app/context.ts';
import { handleInbound } from '../../app/inbound.ts';
import { PLATFORM_CALL_TIMEOUT_MS } from '../call-timeout.ts';
import { type AnswerCommand, COMMAND_ANSWER_WINDOW_MS } from '../../app/command-queue.ts';
import type { Logger } from '../../app/ports.ts';
import { slackMessage } from './message.ts';
import { teamOf } from './translate.ts';

/**
 * Posts a message to a response_url (Slack's own answer address for a command or an ephemeral message). Bounded in
 * time: a command worker answers its batch together, and one address that never answers would hold them all.
 */
export async function postToResponseUrl(url: string, body: Record<string, unknown>, logger: Logger, timeoutMs = PLATFORM_CALL_TIMEOUT_MS): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) logger.warn({ platform: 'slack', status: response.status }, 'Slack response_url refused the answer');
}

export function answerSlackCommand(app: AppDeps, logger: Logger): AnswerCommand {
  return async (command) => {
    if (app.clock.now().getTime() - Date.parse(command.receivedAt) > COMMAND_ANSWER_WINDOW_MS) {
      logger.warn({ platform: 'slack' }, 'a command waited past the 30 minutes Slack takes its answer; not answered');
      return;
    }
    const reply = await handleInbound(app, {
      platform: 'slack',
      team: teamOf(command.tenant, command.channel),
      platformUserId: command.userId,
      input: { kind: 'command', text: command.text },
    });
    await postToResponseUrl(command.responseUrl, { response_type: 'ephemeral', ...slackMessage(reply) }, logger);
  };
}
