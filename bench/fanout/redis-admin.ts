// Redis bookkeeping: dropping a phase's keys, counting the commands and CPU a phase cost the server (every
// master of a cluster), and waiting until a phase's queue is drained.
import { setTimeout as sleep } from 'node:timers/promises';
import { queueKey, SHARD_NUMBERS } from '../../src/store/keys.ts';
import type { RedisClient } from '../../src/store/redis/client.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { connectBench, dataServers } from '../../test/support/bench-redis.ts';
import { REDIS_OPTIONS } from './config.ts';

export class Admin {
  readonly redis: RedisClient;
  constructor(url: string) {
    this.redis = connectBench(url, REDIS_OPTIONS);
  }
  /** On a cluster, each master's keys (SCAN sees one node), deleted one a command (they sit in many slots). */
  async drop(namespace: string) {
    for (const server of await dataServers(this.redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
        cursor = next;
        await Promise.all(keys.map((key) => server.del(key)));
      } while (cursor !== '0');
    }
  }
  /** Summed over the servers (every master of a cluster). */
  async commandStats(): Promise<Map<string, number>> {
    const stats = new Map<string, number>();
    for (const server of await dataServers(this.redis)) {
      for (const m of (await server.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+),usec=(\d+)/g)) stats.set(m[1]!, (stats.get(m[1]!) ?? 0) + Number(m[2]));
    }
    return stats;
  }
  async serverCpuMs(): Promise<number> {
    let total = 0;
    for (const server of await dataServers(this.redis)) {
      const info = await server.info('cpu');
      const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
      total += (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
    }
    return total;
  }
}

/** Commands the phase sent, without the benchmark's own monitoring (INFO, the pending polls). */
export function commandDelta(before: Map<string, number>, after: Map<string, number>) {
  const delta = [...after].map(([cmd, calls]) => [cmd, calls - (before.get(cmd) ?? 0)] as const).filter(([cmd, n]) => n > 0 && cmd !== 'info' && cmd !== 'zcard');
  return new Map(delta.sort((a, b) => b[1] - a[1]));
}

/** Until nothing is pending; past the deadline the queue is emptied, so the workers' passes end, and false. */
export async function waitUntilDrained(redis: RedisClient, namespace: string, deadline: number, onTick?: () => void) {
  const outbox = new RedisOutbox(redis, namespace);
  for (;;) {
    onTick?.();
    if ((await outbox.pending()) === 0) return true;
    if (Date.now() > deadline) {
      for (const shard of SHARD_NUMBERS) await redis.del(queueKey(shard, namespace));
      return false;
    }
    await sleep(20);
  }
}
