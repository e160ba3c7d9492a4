import type { AnswerCommand, CommandQueue, Logger, QueuedCommand } from '../../app/ports.ts';

/**
 * The command queue of one process (the embedded store): a command is answered on the next turn of the
 * event loop, after its ack has gone out. Commands pushed before anyone serves wait for the first server.
 */
export class MemoryCommandQueue implements CommandQueue {
  private readonly waiting: QueuedCommand[] = [];
  private server: { answer: AnswerCommand; logger: Logger } | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  async push(command: QueuedCommand) {
    this.waiting.push(command);
    if (this.server) setImmediate(() => this.drain());
  }

  serve(answer: AnswerCommand, logger: Logger) {
    this.server = { answer, logger };
    setImmediate(() => this.drain());
    return {
      stop: async () => {
        this.server = undefined;
        await Promise.all(this.inFlight);
      },
    };
  }

  async close() {}

  private drain() {
    const server = this.server;
    if (!server) return;
    for (const command of this.waiting.splice(0)) {
      const answering: Promise<void> = server
        .answer(command)
        .catch((error: unknown) => server.logger.error({ err: error, platform: command.platform }, 'answering a command failed'))
        .finally(() => this.inFlight.delete(answering));
      this.inFlight.add(answering);
    }
  }
}
