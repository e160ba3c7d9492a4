import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../../app/ports.ts';
import { mastersOf, type RedisClient } from './client.ts';

export type Persistence = 'aof' | 'notPersistent' | 'unknown';

/**
 * Whether Redis keeps what it acknowledges across a restart. The bot tells a person "thank you" once Redis has
 * their answer; without the append-only file a restart of Redis loses every answer since its last snapshot.
 * Read once at start-up from every server that holds data (each master of a cluster) and said once per server,
 * in plain words, when it is off. Managed Redis often refuses CONFIG: then the operator is told it could not be
 * checked. Given a URL, it asks on a connection of its own that gives up quickly; given the process's client,
 * on that client (a cluster's masters are known once it is ready). The answer is the worst of the servers'.
 */
export async function warnUnlessPersistent(target: string | RedisClient, logger: Logger): Promise<Persistence> {
  if (typeof target !== 'string') {
    let masters: Redis[];
    try {
      masters = await readyMasters(target);
    } catch (error) {
      // Never a rejection: the check runs unawaited beside start-up.
      return couldNotRead(error, logger, {});
    }
    return worst(await Promise.all(masters.map((master) => check(master, logger, target instanceof Cluster))));
  }
  const redis = new Redis(target, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 5_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await check(redis, logger, false);
  } catch (error) {
    return couldNotRead(error, logger, {});
  } finally {
    redis.disconnect();
  }
}

async function readyMasters(client: RedisClient): Promise<Redis[]> {
  if (client instanceof Cluster && client.status !== 'ready') await once(client, 'ready');
  return mastersOf(client);
}

async function check(server: Redis, logger: Logger, named: boolean): Promise<Persistence> {
  // In a cluster, which master: its address, nothing about anyone's data.
  const where: Record<string, string> = named ? { server: `${server.options.host}:${server.options.port}` } : {};
  try {
    const [, appendonly] = (await server.config('GET', 'appendonly')) as [string, string];
    if (appendonly === 'yes') return 'aof';
    logger.warn(
      { appendonly, ...where },
      'Redis runs without its append-only file (appendonly no): a restart of Redis loses the answers stored since its last snapshot. Turn it on: appendonly yes, appendfsync always (README "Keeping replies safe")',
    );
    return 'notPersistent';
  } catch (error) {
    return couldNotRead(error, logger, where);
  }
}

function couldNotRead(error: unknown, logger: Logger, where: Record<string, string>): Persistence {
  logger.warn(
    { reason: error instanceof Error ? error.message : String(error), ...where },
    'could not read whether Redis keeps its data on disk (CONFIG GET appendonly refused): make sure appendonly is on',
  );
  return 'unknown';
}

function worst(answers: Persistence[]): Persistence {
  if (answers.includes('notPersistent')) return 'notPersistent';
  if (answers.includes('unknown') || answers.length === 0) return 'unknown';
  return 'aof';
}
