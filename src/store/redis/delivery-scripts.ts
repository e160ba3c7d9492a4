/** Lua for delivery: each script touches keys of one hash tag (or the one queue key), so it is atomic on Cluster too. */

/** KEYS: queue. ARGV: now, limit, lease ms. The due members, each hidden until now + lease. */
export const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local hidden = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', hidden, member) end
return due
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
 * KEYS: the item's outbox hash. ARGV: recipient, the item's new value. Writes it only while an item is
 * stored there: a worker finishing a send must not bring back an item erased meanwhile. Returns 1 when
 * written, else 0.
 */
export const WRITE_IF_STORED = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/**
 * KEYS: the team's index of outbox occurrences, the item's outbox hash. ARGV: recipient, occurrence id. Deletes
 * the item (one sent to be forgotten) and drops its occurrence from the index once it has no item left.
 * Returns 1 when an item was deleted, else 0 (erased meanwhile).
 */
export const DELETE_ITEM = `
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
if redis.call('HLEN', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[2]) end
return 1
`;

/**
 * KEYS[1]: the team's index of outbox occurrences; KEYS[2..]: outbox hashes of that team. ARGV[1]: the
 * number of recipients r, ARGV[2..r+1]: the recipients, then one occurrence id per hash. Deletes every
 * item of those recipients in one step (a write in between cannot be lost or half-erased) and drops an
 * occurrence left empty from the index. Returns the occurrence id and recipient of each item deleted.
 */
export const ERASE_RECIPIENTS = `
local r = tonumber(ARGV[1])
local removed = {}
for i = 2, #KEYS do
  local occurrence = ARGV[r + i]
  for j = 2, r + 1 do
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

/**
 * KEYS: the item's outbox hash. ARGV: recipient, the item's new value. Writes it only while the
 * stored item is pending: a slow worker's failed try must not overwrite an item another worker has
 * since sent or dead-lettered. Returns 1 when written, else 0.
 */
export const RETRY = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or cjson.decode(current)['state'] ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/**
 * Sliding-window limits. KEYS[1]: the tenant's "slowed until", KEYS[2]: the conversation's
 * "throttled until", KEYS[3]: the tenant's next free slot for refused sends, KEYS[4..n]: one sorted
 * set per window. ARGV[1]: now (ms), ARGV[2]: a unique member, then for each window key its limit,
 * its window (ms) and 1 for a tenant window, 0 for a conversation one. A slowed tenant gets 80% of
 * its limit. Returns 0 and counts the request when every window has room, else the ms to wait.
 * When the tenant's own limit is what refuses, each refused send is given the next free slot
 * (one every window/limit ms), so a backlog comes back spread out instead of all at once.
 */
export const ACQUIRE = `
local now = tonumber(ARGV[1])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return blocked - now end
local slowed = tonumber(redis.call('GET', KEYS[1]) or '0') > now
local wait = 0
local tenantWait = 0
local interval = 0
for i = 4, #KEYS do
  local base = 3 * (i - 4) + 3
  local limit = tonumber(ARGV[base])
  local window = tonumber(ARGV[base + 1])
  local isTenant = ARGV[base + 2] == '1'
  if slowed and isTenant then limit = math.max(1, math.floor(limit * 0.8)) end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now
    if free > wait then wait = free end
    if isTenant and free > tenantWait then
      tenantWait = free
      interval = math.max(interval, math.ceil(window / limit))
    end
  end
end
if wait > 0 then
  if tenantWait == wait then
    local slot = math.max(tonumber(redis.call('GET', KEYS[3]) or '0'), now + wait)
    redis.call('SET', KEYS[3], slot + interval, 'PX', 3600000)
    return slot - now
  end
  return wait
end
for i = 4, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[3 * (i - 4) + 4]) + 60000)
end
return 0
`;

/** KEYS: the tenant's slowed-until, the conversation's throttled-until. ARGV: until (ms). Each only moves later; kept an hour (compared with the caller's clock, not Redis's). */
export const THROTTLE = `
for i = 1, 2 do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[i], ARGV[1], 'PX', 3600000) end
end
return 1
`;
