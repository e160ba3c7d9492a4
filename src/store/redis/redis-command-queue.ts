import { Cluster } from 'ioredis';
import { clientFor, type RedisClient } from './client.ts';
import { type AnswerCommand, answerOrLog, COMMAND_ANSWER_WINDOW_MS, type CommandQueue, type QueuedCommand } from '../../app/command-queue.ts';
import type { Logger } from '../../app/ports.ts';
import { commandsKey, SHARD_NUMBERS, shardOf } from '../keys.ts';

const GROUP = 'answerers';
/** Commands one worker answers at a time. */
const BATCH = 32;
/** How long a read waits for a command: also the longest stop() waits for an idle worker. */
const BLOCK_MS = 1_000;
/**
 * On Redis Cluster one read cannot span the shards' streams (their slots differ): every shard is read without
 * waiting, and when all are empty the reader waits this long on one shard, the next one each time. A command
 * on another shard waits at most about this long.
 */
const CLUSTER_BLOCK_MS = 100;
export interface CommandQueueTimes {
  /** A command a worker took this long ago and never finished is taken over: that worker is gone. */
  abandonedMs: number;
  /** How often a worker looks for abandoned commands and trims expired ones. */
  sweepMs: number;
}

const DEFAULT_TIMES: CommandQueueTimes = { abandonedMs: 60_000, sweepMs: 30_000 };

type Entry = [id: string, fields: string[]];
type StreamEntries = Array<[stream: string, entries: Entry[]]>;

/**
 * The command queue on Redis streams (one per shard, a workspace's commands in one) read by one consumer group
 * each: each command goes to one worker of one replica; its entry is deleted once answered, and entries past the
 * answer window are trimmed away, so nobody's command stays in Redis longer than Slack could use its answer.
 */
export class RedisCommandQueue implements CommandQueue {
  private readonly redis: RedisClient;
  private readonly consumer: string;
  private readonly times: CommandQueueTimes;
  private readonly namespace: string | undefined;
  private readonly keys: string[];

  constructor(redis: RedisClient, consumer: string, namespace?: string, times: CommandQueueTimes = DEFAULT_TIMES) {
    this.redis = redis;
    this.consumer = consumer;
    this.times = times;
    this.namespace = namespace;
    this.keys = SHARD_NUMBERS.map((shard) => commandsKey(shard, namespace));
  }

  async push(command: QueuedCommand) {
    await this.redis.xadd(commandsKey(shardOf(command.tenant), this.namespace), '*', 'command', JSON.stringify(command));
  }

  serve(answer: AnswerCommand, logger: Logger) {
    // A blocking read holds its connection: a connection of its own, so pushes and the store never wait behind it.
    // Its reads are bounded by BLOCK, not by the shared client's command timeout (which may be shorter).
    const reader: RedisClient =
      this.redis instanceof Cluster
        ? this.redis.duplicate(undefined, { redisOptions: { ...this.redis.options.redisOptions, commandTimeout: undefined } })
        : this.redis.duplicate({ commandTimeout: undefined });
    // Reconnected for ever like the client it copies; without a listener ioredis prints every retry.
    reader.on('error', () => {});
    const { keys, consumer } = this;
    // A single Redis reads every shard's stream in one blocking read; a cluster one shard a read (see CLUSTER_BLOCK_MS).
    const groups = reader instanceof Cluster ? keys.map((key) => [key]) : [keys];
    const read = async (streams: string[], blockMs?: number) => {
      const wait = blockMs === undefined ? [] : ['BLOCK', blockMs];
      const args = ['GROUP', GROUP, consumer, 'COUNT', BATCH, ...wait, 'STREAMS', ...streams, ...streams.map(() => '>')];
      // `call`: the number of streams varies, which the typed xreadgroup overloads cannot say.
      const caller = reader as unknown as { call(command: string, ...args: Array<string | number>): Promise<unknown> };
      return streamsOf(await caller.call('XREADGROUP', ...args));
    };
    const answered = answerOrLog(answer, logger);
    let stopped = false;
    const answerAll = async (streams: StreamEntries) => {
      await Promise.all(
        streams
          .flatMap(([, entries]) => entries)
          .map(async ([, fields]) => {
            const command = parse(fields);
            if (!command) return logger.warn({}, 'a queued command could not be read; dropped');
            await answered(command);
          }),
      );
      for (const [stream, entries] of streams) {
        if (entries.length === 0) continue;
        const ids = entries.map(([id]) => id);
        await reader
          .multi()
          .xack(stream, GROUP, ...ids)
          .xdel(stream, ...ids)
          .exec();
      }
    };
    const sweep = async () => {
      // Stream ids are Redis' own clock: so is the cut.
      const [seconds] = await reader.time();
      for (const key of keys) {
        await reader.xtrim(key, 'MINID', '~', `${Number(seconds) * 1000 - COMMAND_ANSWER_WINDOW_MS}-0`);
        const [, abandoned] = (await reader.xautoclaim(key, GROUP, this.consumer, this.times.abandonedMs, '0-0', 'COUNT', BATCH)) as [string, Entry[]];
        await answerAll([[key, abandoned.filter((entry): entry is Entry => Array.isArray(entry[1]))]]);
      }
    };
    const readerId = reader.client('ID');
    const loop = (async () => {
      for (const key of keys) {
        await reader.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch((error: Error) => {
          if (!error.message.includes('BUSYGROUP')) throw error;
        });
      }
      let swept = -Infinity;
      let turn = 0;
      while (!stopped) {
        try {
          if (performance.now() - swept >= this.times.sweepMs) {
            swept = performance.now();
            await sweep();
          }
          const blockMs = Math.min(BLOCK_MS, this.times.sweepMs);
          if (groups.length === 1) await answerAll(await read(groups[0]!, blockMs));
          else {
            const found = (await Promise.all(groups.map((streams) => read(streams)))).flat();
            if (found.some(([, entries]) => entries.length > 0)) await answerAll(found);
            else await answerAll(await read(groups[turn++ % groups.length]!, Math.min(CLUSTER_BLOCK_MS, blockMs)));
          }
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
        for (const key of keys) await reader.xgroup('DELCONSUMER', key, GROUP, consumer).catch(() => undefined);
        reader.disconnect();
      },
    };
  }

  async close() {}
}

/** A read's streams: RESP3 answers a map (the client flattens it to stream, entries, stream, entries, …), RESP2 a list of pairs. */
function streamsOf(raw: unknown): StreamEntries {
  if (!Array.isArray(raw)) return [];
  if (typeof raw[0] !== 'string') return raw as StreamEntries;
  const streams: StreamEntries = [];
  for (let i = 0; i < raw.length; i += 2) streams.push([raw[i] as string, (raw[i + 1] as Entry[] | null) ?? []]);
  return streams;
}

function parse(fields: string[] | null): QueuedCommand | undefined {
  // A command deleted while still pending in a worker's name comes back without its fields.
  if (!Array.isArray(fields)) return undefined;
  const at = fields.indexOf('command');
  try {
    const command = JSON.parse(fields[at + 1] ?? '') as QueuedCommand;
    return typeof command?.responseUrl === 'string' && typeof command.receivedAt === 'string' ? command : undefined;
  } catch {
    return undefined;
  }
}

/** On a connection of its own (a URL) or the process's client, and a duplicate of it while serving (its blocking reads). */
export function connectCommandQueue(target: string | RedisClient, consumer: string, namespace?: string): CommandQueue {
  const { client, close } = clientFor(target);
  const queue = new RedisCommandQueue(client, consumer, namespace);
  queue.close = close;
  return queue;
}
