/**
 * The Lua scripts that make a reply's write atomic. Each touches only keys of one team (one
 * hash tag), so it runs atomically on a single Redis and on Redis Cluster alike.
 */

/**
 * A named reply. KEYS: replies hash, history list, respondents set, user-replies set, reply-times zset.
 * ARGV: user id, reply JSON, fingerprint, time (ms), reply-times member, occurrence id.
 * The fingerprint is compared by decoding the stored JSON (cjson only reads here: its encoder
 * would turn an empty list into an object).
 */
export const RECORD_NAMED = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  if cjson.decode(current)['fp'] == ARGV[3] then return 'duplicate' end
  redis.call('RPUSH', KEYS[2], current)
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZADD', KEYS[5], ARGV[4], ARGV[5])
  return 'updated'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[6])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[5])
return 'created'
`;

/**
 * An anonymous reply. KEYS: respondents set, anonymous hash, user-anonymous set, reply-times zset.
 * ARGV: user id, random id, reply JSON (no user), day start (ms), reply-times member, occurrence id.
 * The marker and the answers go to different keys, linked by nothing.
 */
export const RECORD_ANONYMOUS = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 'anonymousAlreadyAnswered' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
return 'created'
`;
