import { Redis } from 'ioredis';
import type { Logger } from '../../app/ports.ts';

/**
 * Whether Redis keeps what it acknowledges across a restart. The bot tells a person "thank you" once Redis has
 * their answer; without the append-only file a restart of Redis loses every answer since its last snapshot.
 * Read once at start-up and said once, in plain words, when it is off. Managed Redis often refuses CONFIG: then
 * the operator is told it could not be checked.
 */
export async function warnUnlessPersistent(url: string, logger: Logger): Promise<'aof' | 'notPersistent' | 'unknown'> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 5_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as [string, string];
    if (appendonly === 'yes') return 'aof';
    logger.warn(
      { appendonly },
      'Redis runs without its append-only file (appendonly no): a restart of Redis loses the answers stored since its last snapshot. Turn it on: appendonly yes, appendfsync always (README "Keeping replies safe")',
    );
    return 'notPersistent';
  } catch (error) {
    logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'could not read whether Redis keeps its data on disk (CONFIG GET appendonly refused): make sure appendonly is on');
    return 'unknown';
  } finally {
    redis.disconnect();
  }
}
