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
 * An anonymous reply. KEYS: answered-markers zset, anonymous-answers zset, occurrences zset.
 * ARGV: the person's keyed marker, the answer (JSON: a random id, the answers, the day), a random
 * score, day start (ms), occurrence id.
 * No user id is passed: this call, and what Redis writes of it to the AOF and to replicas, carries
 * the marker beside the answer and nothing that names the person. A marker already there means this
 * person has answered, whenever and whatever happened to their other data since.
 */
export const RECORD_ANONYMOUS = `
if redis.call('ZADD', KEYS[1], 'NX', 0, ARGV[1]) == 0 then return 'anonymousAlreadyAnswered' end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], 'LT', ARGV[4], ARGV[5])
return 'created'
`;

/**
 * Adds or replaces members given as (user id, value) pairs from ARGV[first] on, and gives each one
 * not seen before the next place in the order set. `write` is HSET (a save) or HSETNX (a
 * migration, which must not overwrite an entry written since).
 */
const upsertMembers = (first: number, write: 'HSET' | 'HSETNX') => `
local last = nil
for i = ${first}, #ARGV, 2 do
  redis.call('${write}', KEYS[2], ARGV[i], ARGV[i + 1])
  if not redis.call('ZSCORE', KEYS[3], ARGV[i]) then
    if not last then
      local top = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
      last = tonumber(top[2] or '0')
    end
    last = last + 1
    redis.call('ZADD', KEYS[3], last, ARGV[i])
  end
end
`;

/**
 * Is the run value still schema 1 (the members inside)? Then no member may be written or removed
 * before it is migrated, or the copy inside the run would bring a removed member back.
 */
const LEGACY_RUN = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current)['v'] == 1 then return 'legacy' end
`;

/**
 * Saves a run's own fields (ARGV[1], or '' to leave them) and upserts members, never removing one.
 * KEYS: run, members hash, member-order zset. ARGV: run value or '', then user id / member value pairs.
 */
export const SAVE_MEMBERS = `${LEGACY_RUN}
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1]) end
${upsertMembers(2, 'HSET')}
return 'ok'
`;

/**
 * Moves the members out of a schema-1 run value, if the value is still the one the caller read.
 * KEYS: run, members hash, member-order zset. ARGV: the value as read, the run without members, then pairs.
 */
export const MIGRATE_RUN = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
${upsertMembers(3, 'HSETNX')}
return 1
`;

/** KEYS: run, members hash, member-order zset. ARGV: user id. Returns 'legacy', or how many it removed. */
export const REMOVE_MEMBER = `${LEGACY_RUN}
redis.call('ZREM', KEYS[3], ARGV[1])
return redis.call('HDEL', KEYS[2], ARGV[1])
`;

/**
 * Replaces each document still as it was read (so an edit made meanwhile is not overwritten).
 * KEYS: documents hash. ARGV: field, value as read, new value; repeated. Returns how many it replaced.
 */
export const REPLACE_UNCHANGED = `
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    n = n + 1
  end
end
return n
`;

/**
 * Replaces each entry of a list still as it was read (an entry appended meanwhile is left alone).
 * KEYS: the list. ARGV: value as read, new value; repeated. Returns how many it replaced.
 */
export const REPLACE_UNCHANGED_IN_LIST = `
local n = 0
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
for index, entry in ipairs(entries) do
  for i = 1, #ARGV, 2 do
    if entry == ARGV[i] then
      redis.call('LSET', KEYS[1], index - 1, ARGV[i + 1])
      n = n + 1
      break
    end
  end
end
return n
`;
