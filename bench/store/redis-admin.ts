// Redis bookkeeping on a connection of its own: each phase's namespace and dropping its keys, used memory,
// INFO commandstats and the server's CPU time, so a phase's cost can be read as the difference.
import { Redis } from 'ioredis';
import { REDIS_OPTIONS } from './config.ts';
import { sleep } from './measure.ts';

export class Admin {
  readonly redis: Redis;
  private readonly namespaces = new Set<string>();
  constructor(url: string) {
    this.redis = new Redis(url, REDIS_OPTIONS);
  }

  namespace(base: string, suffix: string) {
    const ns = `${base}${suffix}`;
    this.namespaces.add(ns);
    return ns;
  }

  async keys(ns: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  async drop(ns: string) {
    const keys = await this.keys(ns);
    for (let i = 0; i < keys.length; i += 1000) await this.redis.del(...keys.slice(i, i + 1000));
    this.namespaces.delete(ns);
  }

  async dropAll() {
    for (const ns of [...this.namespaces]) await this.drop(ns);
  }

  async usedMemory(): Promise<number> {
    await sleep(150); // let the server's cron shrink client buffers from the last burst
    return Number(/used_memory:(\d+)/.exec(await this.redis.info('memory'))?.[1] ?? NaN);
  }

  /** INFO commandstats as command → { calls, usec }. */
  async commandStats(): Promise<Map<string, { calls: number; usec: number }>> {
    const stats = new Map<string, { calls: number; usec: number }>();
    for (const m of (await this.redis.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+),usec=(\d+)/g)) stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
    return stats;
  }

  /** The server's CPU time so far (user + system, all its threads), in µs. */
  async serverCpu(): Promise<number> {
    const info = await this.redis.info('cpu');
    const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return (get('used_cpu_user') + get('used_cpu_sys')) * 1e6;
  }

  async close() {
    await this.redis.quit();
  }
}

/** CPU µs per operation of this process and of the server over a phase. */
export async function cpuPerOp<T>(admin: Admin, ops: number, phase: () => Promise<T>): Promise<[T, { client: number; server: number }]> {
  const server0 = await admin.serverCpu();
  const client0 = process.cpuUsage();
  const result = await phase();
  const client = process.cpuUsage(client0);
  const server = (await admin.serverCpu()) - server0;
  return [result, { client: (client.user + client.system) / ops, server: server / ops }];
}

export function statsDelta(before: Map<string, { calls: number; usec: number }>, after: Map<string, { calls: number; usec: number }>, skip: string[]) {
  return [...after]
    .map(([cmd, a]) => ({ cmd, calls: a.calls - (before.get(cmd)?.calls ?? 0), usec: a.usec - (before.get(cmd)?.usec ?? 0) }))
    .filter((d) => d.calls > 0 && !skip.includes(d.cmd))
    .sort((a, b) => b.usec - a.usec);
}
