/**
 * The Lua scripts that make a reply's write atomic. Each touches only keys of one team (one
 * hash tag), so it runs atomically on a single Redis and on Redis Cluster alike.
 */

/**
 * A script is not undone when a command in it fails: a batch that failed half-way and is then sent again call
 * by call (ScriptBatches) would find its own first writes and answer a new reply "already answered". So a
 * batch first checks that every key it writes holds the kind of value it writes (or nothing), and fails
 * before writing anything if one does not: the only failure a write of these commands can meet in the loop.
 */
const WRONG_TYPE = `
local function wrongType(key, kind)
  local found = redis.call('TYPE', key)['ok']
  return found ~= 'none' and found ~= kind
end
local WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value'
`;

/**
 * Named replies, one or many (the replies a process receives in the same moment for one team go in
 * one call, laid out as ScriptBatches does). KEYS: the occurrences zset; for each occurrence its
 * replies hash, respondents set and edited set; then each reply's history list. ARGV: how many
 * occurrences, their ids; then for each reply its occurrence's place, the user id, the reply JSON,
 * the fingerprint and the time (ms). Returns each reply's outcome, in order.
 * The fingerprint is compared by decoding the stored JSON (cjson only reads here: its encoder
 * would turn an empty list into an object). The occurrences index keeps each occurrence's oldest
 * reply time (`LT`), which is what the retention sweep looks for. The replies are taken one after
 * the other, so two of the same person in one call (a double click) are a reply and a duplicate,
 * as they would be in two calls.
 */
export const RECORD_NAMED = `${WRONG_TYPE}
local n = tonumber(ARGV[1])
if wrongType(KEYS[1], 'zset') then return redis.error_reply(WRONGTYPE) end
for o = 1, n do
  if wrongType(KEYS[3 * o - 1], 'hash') or wrongType(KEYS[3 * o], 'set') or wrongType(KEYS[3 * o + 1], 'set') then return redis.error_reply(WRONGTYPE) end
end
for k = 2 + 3 * n, #KEYS do
  if wrongType(KEYS[k], 'list') then return redis.error_reply(WRONGTYPE) end
end
local outcomes, oldest = {}, {}
for i = 0, (#ARGV - n - 1) / 5 - 1 do
  local a = n + 2 + 5 * i
  local o, user, reply, fp, time = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local replies = KEYS[3 * o - 1]
  local current = redis.call('HGET', replies, user)
  if not current then
    redis.call('HSET', replies, user, reply)
    redis.call('SADD', KEYS[3 * o], user)
    if not oldest[o] or tonumber(time) < tonumber(oldest[o]) then oldest[o] = time end
    outcomes[i + 1] = 'created'
  elseif cjson.decode(current)['fp'] == fp then
    outcomes[i + 1] = 'duplicate'
  else
    redis.call('RPUSH', KEYS[2 + 3 * n + i], current)
    redis.call('SADD', KEYS[3 * o + 1], user)
    redis.call('HSET', replies, user, reply)
    outcomes[i + 1] = 'updated'
  end
end
for o, time in pairs(oldest) do redis.call('ZADD', KEYS[1], 'LT', time, ARGV[1 + o]) end
return outcomes
`;

/**
 * Anonymous replies, one or many (of one team, and never in a call with a named reply), laid out as
 * ScriptBatches does. KEYS: the occurrences zset; for each occurrence its answered-markers zset, its
 * anonymous-answers zset and the hash where releases before the markers kept its answers. ARGV: how
 * many occurrences, their ids; then for each reply its occurrence's place, the person's keyed marker,
 * the answer (JSON: a random id, the answers, the day), a random score and the day's start (ms).
 * Returns each reply's outcome, in order; 'legacy' (nothing written) when the occurrence still has
 * data of an earlier release, which the caller moves before trying again.
 * No user id is passed: this call, and what Redis writes of it to the AOF and to replicas, carries
 * markers beside answers and nothing that names a person. A marker already there means this
 * person has answered, whenever and whatever happened to their other data since.
 */
export const RECORD_ANONYMOUS = `${WRONG_TYPE}
local n = tonumber(ARGV[1])
if wrongType(KEYS[1], 'zset') then return redis.error_reply(WRONGTYPE) end
for o = 1, n do
  if wrongType(KEYS[3 * o - 1], 'zset') or wrongType(KEYS[3 * o], 'zset') then return redis.error_reply(WRONGTYPE) end
end
local outcomes, oldest, legacy = {}, {}, {}
for i = 0, (#ARGV - n - 1) / 5 - 1 do
  local a = n + 2 + 5 * i
  local o, marker, answer, score, day = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  if legacy[o] == nil then legacy[o] = redis.call('EXISTS', KEYS[3 * o + 1]) == 1 end
  if legacy[o] then
    outcomes[i + 1] = 'legacy'
  elseif redis.call('ZADD', KEYS[3 * o - 1], 'NX', 0, marker) == 0 then
    outcomes[i + 1] = 'anonymousAlreadyAnswered'
  else
    redis.call('ZADD', KEYS[3 * o], score, answer)
    if not oldest[o] or tonumber(day) < tonumber(oldest[o]) then oldest[o] = day end
    outcomes[i + 1] = 'created'
  end
end
for o, day in pairs(oldest) do redis.call('ZADD', KEYS[1], 'LT', day, ARGV[1 + o]) end
return outcomes
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
