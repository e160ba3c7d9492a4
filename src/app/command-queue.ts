import type { Logger } from './ports.ts';

/**
 * A slash command a receiver has acked and not yet answered: the answer is worked out after the HTTP
 * answer, by the command workers of any replica, and posted to `responseUrl`. Kept only until answered
 * (seconds); a command nobody answered within `COMMAND_ANSWER_WINDOW_MS` is dropped, since Slack's
 * response_url no longer takes it.
 */
export interface QueuedCommand {
  platform: 'slack';
  /** The workspace. */
  tenant: string;
  /** The channel it was typed in (a `D…` id in a direct message). */
  channel: string;
  userId: string;
  text: string;
  responseUrl: string;
  /** When the receiver acked it (ISO). */
  receivedAt: string;
}

/** Slack accepts posts to a command's response_url for 30 minutes. */
export const COMMAND_ANSWER_WINDOW_MS = 30 * 60_000;

/** What a command worker does with one command; a rejection is logged and the command is not tried again. */
export type AnswerCommand = (command: QueuedCommand) => Promise<void>;

/**
 * The queue between the ack and the answer. At least once: a worker that dies mid-answer leaves its
 * commands to another after a while (the person may then see the answer twice, never none).
 */
export interface CommandQueue {
  /** Resolves once the command is kept (Redis) or scheduled (in memory). */
  push(command: QueuedCommand): Promise<void>;
  /** Answers queued commands, this process's and other replicas', until stopped; stop() waits for the answers in flight. */
  serve(answer: AnswerCommand, logger: Logger): { stop(): Promise<void> };
  close(): Promise<void>;
}

/** An answer that never rejects: a failure is logged (no text, no person) and the command is not tried again. */
export function answerOrLog(answer: AnswerCommand, logger: Logger): (command: QueuedCommand) => Promise<void> {
  return (command) => answer(command).catch((error: unknown) => logger.error({ err: error, platform: command.platform }, 'answering a command failed'));
}
