/** Lua for the outbox and the claims: each script touches keys of one hash tag (or the queue's shards, on one server only), so it is atomic on Cluster too. */

/** KEYS: queue. ARGV: now, limit, lease ms. The due members, each hidden until now + lease. */
export const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due == 0 then return due end
local hidden = tonumber(ARGV[1]) + tonumber(ARGV[3])
local scored = {}
for i, member in ipairs(due) do
  scored[2 * i - 1] = hidden
  scored[2 * i] = member
end
redis.call('ZADD', KEYS[1], 'XX', unpack(scored))
return due
`;

/**
 * KEYS: every shard of the queue. ARGV: now, limit, lease ms. The `limit` earliest due members of all shards
 * (oldest first), each hidden until now + lease: one call per take instead of a count and a take per shard.
 * One server only: on a cluster the shards sit in different slots, and each is taken on its own (RedisOutbox).
 */
export const TAKE_DUE_SHARDS = `
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local found = {}
for k = 1, #KEYS do
  local due = redis.call('ZRANGEBYSCORE', KEYS[k], '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #due, 2 do found[#found + 1] = { k, due[i], tonumber(due[i + 1]) } end
end
table.sort(found, function(a, b)
  if a[3] ~= b[3] then return a[3] < b[3] end
  return a[2] < b[2]
end)
local hidden = now + tonumber(ARGV[3])
local taken = {}
for i = 1, math.min(limit, #found) do
  redis.call('ZADD', KEYS[found[i][1]], 'XX', hidden, found[i][2])
  taken[i] = found[i][2]
end
return taken
`;

/** KEYS: every shard of the queue. The earliest score among them as Redis wrote it, or false when all are empty. One server only, as above. */
export const NEXT_DUE_SHARDS = `
local first, text = nil, false
for k = 1, #KEYS do
  local head = redis.call('ZRANGE', KEYS[k], 0, 0, 'WITHSCORES')
  if head[2] and (first == nil or tonumber(head[2]) < first) then first, text = tonumber(head[2]), head[2] end
end
return text
`;

/** Redis's own time in ms: every lease runs on this one clock, never on a worker's. */
const REDIS_NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * Whether an outbox value may be leased and recorded: a pending item, or one this release cannot read at all (not
 * JSON), which the outbox takes out of the queue as a dead letter (RedisOutbox.take) rather than let it fail every
 * take for the items beside it.
 */
const PENDING_OR_UNREADABLE = `
local function pendingOrUnreadable(value)
  local ok, item = pcall(cjson.decode, value)
  return not ok or type(item) ~= 'table' or item['state'] == 'pending'
end
`;

/**
 * KEYS: an occurrence's outbox hash, its lease hash. ARGV: lease ms, then for each item its recipient and the
 * new lease's token. Leases each pending item whose lease (recipient → "token|until", in Redis time) is not
 * held by another until later. Returns for each item two entries: its value (leased now), 'busy' (another's
 * lease runs on) or '' (sent, dead or gone: nothing to do); then 1 when a lease on it ran out with no outcome
 * recorded (its worker stopped mid-send), else 0.
 */
export const LEASE = `${REDIS_NOW}${PENDING_OR_UNREADABLE}
local lease = tonumber(ARGV[1])
local result = {}
for i = 2, #ARGV, 2 do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  local out, resumed = '', 0
  if value and pendingOrUnreadable(value) then
    local held = redis.call('HGET', KEYS[2], ARGV[i])
    if held and tonumber(string.match(held, '|(%d+)$')) > now then
      out = 'busy'
    else
      if held then resumed = 1 end
      redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1] .. '|' .. (now + lease))
      out = value
    end
  end
  result[#result + 1] = out
  result[#result + 1] = resumed
end
return result
`;

/**
 * KEYS: an occurrence's outbox hash, its lease hash. ARGV: lease ms, then for each item its recipient and its
 * lease's token. Extends each lease still held by that token, whose item is pending, to now + lease (Redis
 * time). Returns for each item 1 (extended) or 0 (no longer this lease's: changed nothing).
 */
export const RENEW = `${REDIS_NOW}${PENDING_OR_UNREADABLE}
local lease = tonumber(ARGV[1])
local result = {}
for i = 2, #ARGV, 2 do
  local held = redis.call('HGET', KEYS[2], ARGV[i])
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  local out = 0
  if held and string.match(held, '^(.*)|') == ARGV[i + 1] and value and pendingOrUnreadable(value) then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1] .. '|' .. (now + lease))
    out = 1
  end
  result[#result + 1] = out
end
return result
`;

/**
 * Records a leased item's outcome by compare-and-set. KEYS: the team's index of outbox occurrences, the
 * occurrence's outbox hash, its lease hash, the team's dead letters. ARGV: recipient, lease token, occurrence
 * id, the item's new value ('' deletes it, '=' keeps it), a dead letter to add ('' none), how many the team
 * keeps. Only while the lease on record is this token's (run out or not, as long as no one took it over) and
 * the item is pending; the lease ends. Returns 1 when recorded, else 0 (changing nothing).
 */
export const FINISH = `${PENDING_OR_UNREADABLE}
local held = redis.call('HGET', KEYS[3], ARGV[1])
if not held or string.match(held, '^(.*)|') ~= ARGV[2] then return 0 end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current or not pendingOrUnreadable(current) then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  if redis.call('HLEN', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[3]) end
elseif ARGV[4] ~= '=' then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
end
if ARGV[5] ~= '' then
  redis.call('RPUSH', KEYS[4], ARGV[5])
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[6]), -1)
end
return 1
`;

/**
 * KEYS: an occurrence's outbox hash, the team's dead letters. ARGV: recipient, the dead letter as stored, the
 * item's new (pending) value. Puts a dead item back, dropping its letter, only while it is still dead. Returns
 * 1 when done, else 0.
 */
export const RESEND = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or cjson.decode(current)['state'] ~= 'dead' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('LREM', KEYS[2], 0, ARGV[2])
return 1
`;

/**
 * KEYS: claim, fired set. ARGV: occurrence id, owner, lease ms, now (ms). The claim holds
 * "owner|expires" in the caller's clock (so tests can move time); Redis's own expiry only cleans up.
 */
export const CLAIM = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'fired' end
local now = tonumber(ARGV[4])
local current = redis.call('GET', KEYS[1])
if current then
  local owner, expires = string.match(current, '^(.*)|(%d+)$')
  if owner ~= ARGV[2] and tonumber(expires) > now then return 'taken' end
end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. (now + tonumber(ARGV[3])), 'PX', tonumber(ARGV[3]) + 3600000)
return 'claimed'
`;

/**
 * KEYS: claim, fired set. ARGV: occurrence id, owner. Only the claim's holder (its lease run out or
 * not, as long as no one took it over) marks the occurrence fired and releases the claim: a replica
 * that lost its lease leaves both to the one that took over. Returns 1 when fired, else 0.
 */
export const COMPLETE = `
local current = redis.call('GET', KEYS[1])
if not current or string.match(current, '^(.*)|') ~= ARGV[2] then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * KEYS[1]: the team's index of outbox occurrences; KEYS[2..]: the outbox hashes of the items, all of one
 * team (one hash tag). ARGV: for each item its recipient, its encoded value and its occurrence id. Adds
 * each item not stored yet and lists its occurrence in the index (so export, erase and retention find
 * it); one stored already is left as it is. Returns for each item 1 (added), 0 (there, still pending:
 * queue it again, in case a crash came between the two writes) or -1 (there, sent or dead: never
 * queued again).
 */
export const ENQUEUE = `
local result = {}
for i = 2, #KEYS do
  local recipient = ARGV[3 * i - 5]
  redis.call('SADD', KEYS[1], ARGV[3 * i - 3])
  if redis.call('HSETNX', KEYS[i], recipient, ARGV[3 * i - 4]) == 1 then
    result[i - 1] = 1
  elseif cjson.decode(redis.call('HGET', KEYS[i], recipient))['state'] == 'pending' then
    result[i - 1] = 0
  else
    result[i - 1] = -1
  end
end
return result
`;

/**
 * KEYS[1]: the team's index of outbox occurrences; KEYS[2..n+1]: n outbox hashes of that team, then their n
 * lease hashes. ARGV[1]: the number of recipients r, ARGV[2..r+1]: the recipients, then one occurrence id per
 * hash. Deletes every item of those recipients, and any lease of it, in one step (a write in between cannot be
 * lost or half-erased) and drops an occurrence left empty from the index. Returns the occurrence id and
 * recipient of each item deleted.
 */
export const ERASE_RECIPIENTS = `
local r = tonumber(ARGV[1])
local n = (#KEYS - 1) / 2
local removed = {}
for i = 2, n + 1 do
  local occurrence = ARGV[r + i]
  for j = 2, r + 1 do
    redis.call('HDEL', KEYS[i + n], ARGV[j])
    if redis.call('HDEL', KEYS[i], ARGV[j]) == 1 then
      removed[#removed + 1] = occurrence
      removed[#removed + 1] = ARGV[j]
    end
  end
  if redis.call('HLEN', KEYS[i]) == 0 then redis.call('SREM', KEYS[1], occurrence) end
end
return removed
`;

/**
 * KEYS[1]: the team's index of outbox occurrences; KEYS[2..]: outbox hashes of that team. ARGV[1]: the
 * cut-off as an ISO instant (as every updatedAt is written: they compare as text), then one occurrence id
 * per hash. Deletes the sent and dead items last changed before the cut-off (pending ones still have to
 * go out) and drops an occurrence left empty from the index. Returns how many were deleted.
 */
export const DELETE_BEFORE = `
local deleted = 0
for i = 2, #KEYS do
  local fields = redis.call('HGETALL', KEYS[i])
  for j = 1, #fields, 2 do
    local item = cjson.decode(fields[j + 1])
    if item['state'] ~= 'pending' and item['updatedAt'] < ARGV[1] then
      redis.call('HDEL', KEYS[i], fields[j])
      deleted = deleted + 1
    end
  end
  if redis.call('HLEN', KEYS[i]) == 0 then redis.call('SREM', KEYS[1], ARGV[i]) end
end
return deleted
`;
