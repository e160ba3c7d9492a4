import { Redis } from 'ioredis';
import { type AnswerCommand, answerOrLog, COMMAND_ANSWER_WINDOW_MS, type CommandQueue, type QueuedCommand } from '../../app/command-queue.ts';
import type { Logger } from '../../app/ports.ts';
import { commandsKey } from '../keys.ts';

const GROUP = 'answerers';
/** Commands one worker answers at a time. */
const BATCH = 32;
/** How long a read waits for a command: also the longest stop() waits for an idle worker. */
const BLOCK_MS = 1_000;
export interface CommandQueueTimes {
  /** A command a worker took this long ago and never finished is taken over: that worker is gone. */
  abandonedMs: number;
  /** How often a worker looks for abandoned commands and trims expired ones. */
  sweepMs: number;
}

const DEFAULT_TIMES: CommandQueueTimes = { abandonedMs: 60_000, sweepMs: 30_000 };

type Entry = [id: string, fields: string[]];

/**
 * The command queue on a Redis stream read by one consumer group: each command goes to one worker of one
 * replica; its entry is deleted once answered, and entries past the answer window are trimmed away, so
 * nobody's command stays in Redis longer than Slack could use its answer.
 */
export class RedisCommandQueue implements CommandQueue {
  private readonly redis: Redis;
  private readonly consumer: string;
  private readonly times: CommandQueueTimes;
  private readonly key: string;

  constructor(redis: Redis, consumer: string, namespace?: string, times: CommandQueueTimes = DEFAULT_TIMES) {
    this.redis = redis;
    this.consumer = consumer;
    this.times = times;
    this.key = commandsKey(namespace);
  }

  async push(command: QueuedCommand) {
    await this.redis.xadd(this.key, '*', 'command', JSON.stringify(command));
  }

  serve(answer: AnswerCommand, logger: Logger) {
    // A blocking read holds its connection: a connection of its own, so pushes and the store never wait behind it.
    const reader = this.redis.duplicate();
    // Reconnected for ever like the connection it copies; without a listener ioredis prints every retry.
    reader.on('error', () => {});
    const { key, consumer } = this;
    const answered = answerOrLog(answer, logger);
    let stopped = false;
    const answerAll = async (entries: Entry[]) => {
      await Promise.all(
        entries.map(async ([, fields]) => {
          const command = parse(fields);
          if (!command) return logger.warn({}, 'a queued command could not be read; dropped');
          await answered(command);
        }),
      );
      if (entries.length > 0) {
        const ids = entries.map(([id]) => id);
        await reader
          .multi()
          .xack(this.key, GROUP, ...ids)
          .xdel(this.key, ...ids)
          .exec();
      }
    };
    const sweep = async () => {
      // Stream ids are Redis' own clock: so is the cut.
      const [seconds] = await reader.time();
      await reader.xtrim(this.key, 'MINID', '~', `${Number(seconds) * 1000 - COMMAND_ANSWER_WINDOW_MS}-0`);
      const [, abandoned] = (await reader.xautoclaim(this.key, GROUP, this.consumer, this.times.abandonedMs, '0-0', 'COUNT', BATCH)) as [string, Entry[]];
      await answerAll(abandoned.filter((entry): entry is Entry => Array.isArray(entry[1])));
    };
    const readerId = reader.client('ID');
    const loop = (async () => {
      await reader.xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM').catch((error: Error) => {
        if (!error.message.includes('BUSYGROUP')) throw error;
      });
      let swept = -Infinity;
      while (!stopped) {
        try {
          if (performance.now() - swept >= this.times.sweepMs) {
            swept = performance.now();
            await sweep();
          }
          const read = (await reader.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', BATCH, 'BLOCK', Math.min(BLOCK_MS, this.times.sweepMs), 'STREAMS', this.key, '>')) as Array<
            [string, Entry[]]
          > | null;
          await answerAll(read?.[0]?.[1] ?? []);
        } catch (error) {
          if (stopped) break;
          logger.error({ err: error }, 'reading the command queue failed');
          await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
        }
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        // A read waiting for commands ends now, as if it had timed out: it has taken nothing.
        await this.redis.client('UNBLOCK', await readerId).catch(() => undefined);
        await loop.catch(() => undefined);
        // Gone for good: its entry in the group's list of consumers too (it holds nothing unanswered now).
        await reader.xgroup('DELCONSUMER', key, GROUP, consumer).catch(() => undefined);
        reader.disconnect();
      },
    };
  }

  async close() {}
}

function parse(fields: string[]): QueuedCommand | undefined {
  const at = fields.indexOf('command');
  try {
    const command = JSON.parse(fields[at + 1] ?? '') as QueuedCommand;
    return typeof command?.responseUrl === 'string' && typeof command.receivedAt === 'string' ? command : undefined;
  } catch {
    return undefined;
  }
}

/** On a connection of its own (and a second one while serving). */
export function connectCommandQueue(url: string, consumer: string, namespace?: string): CommandQueue {
  // Pushes come from many requests at once: pipelined automatically, one write per turn of the event loop.
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  // Reconnected for ever (the store's /readyz check reports it); without a listener ioredis prints every retry.
  redis.on('error', () => {});
  const queue = new RedisCommandQueue(redis, consumer, namespace);
  queue.close = async () => {
    if (redis.status !== 'end') await redis.quit();
  };
  return queue;
}
