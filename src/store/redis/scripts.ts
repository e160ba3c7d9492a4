/**
 * The Lua scripts that make a reply's write atomic. Each touches only keys of one team (one
 * hash tag), so it runs atomically on a single Redis and on Redis Cluster alike.
 */

/**
 * A named reply. KEYS: replies hash, the reply's history list, respondents set, edited set, occurrences zset.
 * ARGV: user id, reply JSON, fingerprint, time (ms), occurrence id.
 * The fingerprint is compared by decoding the stored JSON (cjson only reads here: its encoder
 * would turn an empty list into an object). The occurrences index keeps each occurrence's oldest
 * reply time (`LT`), which is what the retention sweep looks for.
 */
export const RECORD_NAMED = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  if cjson.decode(current)['fp'] == ARGV[3] then return 'duplicate' end
  redis.call('RPUSH', KEYS[2], current)
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 'updated'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[5], 'LT', ARGV[4], ARGV[5])
return 'created'
`;

/**
 * An anonymous reply. KEYS: respondents set, anonymous hash, occurrences zset.
 * ARGV: user id, random id, reply JSON (no user, no time but the day), day start (ms), occurrence id.
 * The marker and the answers go to different keys, linked by nothing.
 */
export const RECORD_ANONYMOUS = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 'anonymousAlreadyAnswered' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], 'LT', ARGV[4], ARGV[5])
return 'created'
`;
