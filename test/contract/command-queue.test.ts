// The queue between a slash command's ack and its answer, on Redis (the replicas' stream) and in memory (one
// process): every command is answered once, none is lost to a worker that stops or dies, none stays behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerCommand, CommandQueue, QueuedCommand } from '../../src/app/command-queue.ts';
import { commandsKey, SHARD_NUMBERS, shardOf } from '../../src/store/keys.ts';
import type { RedisClient } from '../../src/store/redis/client.ts';
import { MemoryCommandQueue } from '../../src/store/embedded/memory-command-queue.ts';
import { RedisCommandQueue } from '../../src/store/redis/redis-command-queue.ts';
import { newNamespace } from '../support/delivery.ts';
import { dropNamespaceOn, REDIS_KINDS, type RedisKind, testRedis } from '../support/redis-kinds.ts';
import { memoryLogger } from '../support/fakes.ts';
import { waitFor } from '../support/wait-for.ts';

const command = (n: number): QueuedCommand => ({
  platform: 'slack',
  tenant: 'T1',
  channel: 'C1',
  userId: `U${n}`,
  text: 'status',
  responseUrl: `http://127.0.0.1:1/respond/${n}`,
  receivedAt: '2026-12-07T08:00:00.000Z',
});

interface QueueUnderTest {
  queue: CommandQueue;
  /** Another replica's queue on the same data (the same object in memory: one process). */
  replica(): CommandQueue;
  cleanup(): Promise<void>;
}

const opened: QueueUnderTest[] = [];
afterEach(async () => {
  for (const subject of opened.splice(0)) await subject.cleanup();
});

function redisQueue(kind: RedisKind, times = { abandonedMs: 60_000, sweepMs: 30_000 }): QueueUnderTest & { redis: RedisClient; namespace: string } {
  const namespace = newNamespace();
  const connections: RedisClient[] = [];
  let replicas = 0;
  const open = () => {
    const redis = testRedis(kind);
    connections.push(redis);
    return new RedisCommandQueue(redis, `worker-${++replicas}`, namespace, times);
  };
  const subject = {
    queue: open(),
    replica: open,
    redis: connections[0]!,
    namespace,
    async cleanup() {
      await dropNamespaceOn(kind, namespace);
      for (const redis of connections) await redis.quit();
    },
  };
  opened.push(subject);
  return subject;
}

function memoryQueue(): QueueUnderTest {
  const queue = new MemoryCommandQueue();
  const subject = { queue, replica: () => queue, cleanup: async () => {} };
  opened.push(subject);
  return subject;
}

/** An answerer that records who it answered. */
function recorder(): AnswerCommand & { answered: string[] } {
  const answered: string[] = [];
  return Object.assign(async (c: QueuedCommand) => void answered.push(c.userId), { answered });
}

/** Commands left in the streams of all shards. */
async function queued(redis: RedisClient, namespace: string) {
  const lengths = await Promise.all(SHARD_NUMBERS.map((shard) => redis.xlen(commandsKey(shard, namespace))));
  return lengths.reduce((sum, n) => sum + n, 0);
}

describe.each([
  ['Redis', () => redisQueue('redis')],
  ['Redis Cluster', () => redisQueue('cluster')],
  ['memory', memoryQueue],
] as const)('command queue contract: %s', (_name, factory) => {
  it('answers a command pushed before any worker serves, once one does', async () => {
    const { queue } = factory();
    await queue.push(command(1));
    const answer = recorder();
    const worker = queue.serve(answer, memoryLogger());
    await waitFor(() => answer.answered.length === 1 || answer.answered, { what: 'the waiting command to be answered' });
    await worker.stop();
    expect(answer.answered).toEqual(['U1']);
  });

  it('answers each of 60 commands exactly once with two workers serving', async () => {
    const { queue, replica } = factory();
    const first = recorder();
    const second = recorder();
    const workers = [queue.serve(first, memoryLogger()), replica().serve(second, memoryLogger())];
    for (let n = 0; n < 60; n++) await queue.push(command(n));
    const all = () => [...first.answered, ...second.answered];
    await waitFor(() => all().length >= 60 || all().length, { what: 'all 60 commands to be answered' });
    for (const worker of workers) await worker.stop();
    expect(all().sort()).toEqual(Array.from({ length: 60 }, (_, n) => `U${n}`).sort());
  });

  it('lets an answer in flight finish before stop() resolves', async () => {
    const { queue } = factory();
    let release!: () => void;
    let started = false;
    let finished = false;
    const worker = queue.serve(async () => {
      started = true;
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    }, memoryLogger());
    await queue.push(command(1));
    await waitFor(() => started, { what: 'the answer to start' });
    const stopping = worker.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
  });

  it('logs an answer that failed, without the command’s text or person, and does not answer it again', async () => {
    const { queue } = factory();
    const logger = memoryLogger();
    let tries = 0;
    const worker = queue.serve(async () => {
      tries++;
      throw new Error('the response_url refused');
    }, logger);
    await queue.push({ ...command(7), text: 'role U8 leder' });
    await waitFor(() => logger.entries.some((e) => e.level === 'error') || logger.entries, { what: 'the failure to be logged' });
    const after = recorder();
    await worker.stop();
    const again = queue.serve(after, memoryLogger());
    await queue.push(command(9));
    await waitFor(() => after.answered.length === 1 || after.answered, { what: 'the next command to be answered' });
    await again.stop();
    expect(tries).toBe(1);
    expect(after.answered).toEqual(['U9']);
    expect(JSON.stringify(logger.entries)).not.toMatch(/U7|U8|leder/);
  });
});

describe.each(REDIS_KINDS)('command queue on %s', (kind) => {
  it('keeps nothing of a command once it is answered', async () => {
    const { queue, redis, namespace } = redisQueue(kind);
    const answer = recorder();
    const worker = queue.serve(answer, memoryLogger());
    for (let n = 0; n < 5; n++) await queue.push(command(n));
    await waitFor(() => answer.answered.length === 5 || answer.answered, { what: 'five answers' });
    await worker.stop();
    expect(await queued(redis, namespace)).toBe(0);
  });

  it('has another worker answer the commands of a worker that took them and died', async () => {
    const { queue, replica, redis, namespace } = redisQueue(kind, { abandonedMs: 50, sweepMs: 20 });
    const stream = commandsKey(shardOf(command(1).tenant), namespace);
    // A worker that read two commands and was killed before answering: they are pending in its name.
    await queue.push(command(1));
    await queue.push(command(2));
    await redis.xgroup('CREATE', stream, 'answerers', '0', 'MKSTREAM');
    await redis.xreadgroup('GROUP', 'answerers', 'killed-worker', 'COUNT', 10, 'STREAMS', stream, '>');
    const answer = recorder();
    const worker = replica().serve(answer, memoryLogger());
    await waitFor(() => answer.answered.length === 2 || answer.answered, { what: 'the abandoned commands to be answered' });
    await worker.stop();
    expect(answer.answered.sort()).toEqual(['U1', 'U2']);
    expect(await queued(redis, namespace)).toBe(0);
  });
});
