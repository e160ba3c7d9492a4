import { type AnswerCommand, answerOrLog, type CommandQueue, type QueuedCommand } from '../../app/command-queue.ts';
import type { Logger } from '../../app/ports.ts';

/**
 * The command queue of one process (the embedded store): a command is answered on the next turn of the
 * event loop, after its ack has gone out. Commands pushed before anyone serves wait for the first server.
 */
export class MemoryCommandQueue implements CommandQueue {
  private readonly waiting: QueuedCommand[] = [];
  private answer: ((command: QueuedCommand) => Promise<void>) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  async push(command: QueuedCommand) {
    this.waiting.push(command);
    if (this.answer) setImmediate(() => this.drain());
  }

  serve(answer: AnswerCommand, logger: Logger) {
    this.answer = answerOrLog(answer, logger);
    setImmediate(() => this.drain());
    return {
      stop: async () => {
        this.answer = undefined;
        await Promise.all(this.inFlight);
      },
    };
  }

  async close() {}

  private drain() {
    const answer = this.answer;
    if (!answer) return;
    for (const command of this.waiting.splice(0)) {
      const answering: Promise<void> = answer(command).finally(() => this.inFlight.delete(answering));
      this.inFlight.add(answering);
    }
  }
}
