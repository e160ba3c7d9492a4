import { dueIndexKeys, parseQueueMember, shardOf, teamQueueKey, teamsIndex, unshardedKeys } from '../keys.ts';
import type { RedisClient } from './client.ts';

/** Entries moved per command, so no one command holds Redis up for long. */
const CHUNK = 500;

/**
 * Moves what releases before the shards kept in one key each (the teams index, the delivery queue, the due
 * index) into the shards keys.ts names now, and deletes the old keys. Idempotent and safe beside
 * running replicas: every write adds (a queued item keeps its time or lease: NX; a due time only comes forward;
 * a revision only grows), and a rerun after a crash finds less to move. Command streams are not moved: a command
 * is only worth answering within minutes, and the old stream is gone once its last one has expired (COMMAND_ANSWER_WINDOW_MS).
 * Returns how many entries were moved.
 */
export async function moveUnshardedKeys(redis: RedisClient, namespace?: string): Promise<number> {
  const old = unshardedKeys(namespace);
  let moved = 0;

  const teams = await redis.smembers(old.teams);
  for (const member of teams) await redis.sadd(teamsIndex(shardOf(member), namespace), member);
  moved += teams.length;

  const queue = await redis.zrange(old.queue, '0', '-1', 'WITHSCORES');
  for (let i = 0; i < queue.length; i += 2 * CHUNK) {
    const chunk = queue.slice(i, i + 2 * CHUNK);
    for (let j = 0; j < chunk.length; j += 2) await redis.zadd(teamQueueKey(parseQueueMember(chunk[j]!).team, namespace), 'NX', chunk[j + 1]!, chunk[j]!);
  }
  moved += queue.length / 2;

  const due = await redis.zrange(old.dueRuns, '0', '-1', 'WITHSCORES');
  for (let j = 0; j < due.length; j += 2) await redis.zadd(dueIndexKeys(shardOf(due[j]!), namespace).runs, 'LT', due[j + 1]!, due[j]!);
  const revisions = await redis.hgetall(old.dueRevisions);
  for (const [member, revision] of Object.entries(revisions)) {
    // The shard's counter goes past the old one: a tick that read the old revision cannot write.
    await redis.hincrby(dueIndexKeys(shardOf(member), namespace).revisions, member, Number(revision) + 1);
  }
  moved += due.length / 2;

  // One key a command: on a cluster the old keys sit in different slots.
  for (const key of Object.values(old)) await redis.del(key);
  return moved;
}
