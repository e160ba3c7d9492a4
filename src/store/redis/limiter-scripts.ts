/** Lua for the rate limiter (RedisRateLimiter): each script touches the keys of one tenant (one hash tag), so it is atomic on Cluster too. */

/**
 * The limiter's acquire, step for step as MemoryRateLimiter.acquire (src/store/embedded/memory-rate-limiter.ts,
 * with earliestFit of src/delivery/limit-windows.ts). KEYS: the tenant's sends, the conversation's sends
 * (sorted sets of granted sends: send id → ms), the conversation's throttled-until, the tenant's slowed-until,
 * the tenant's held slots, the conversation's held slots (sorted sets: send id → the slot's ms). ARGV: now, the
 * send id, how long a held slot stays the send's own, how far ahead a slot may be held, then the number of
 * tenant windows and for each its limit, its limit while slowed and its span, then the number of
 * conversation windows and for each its limit and span. Returns 0 (granted: counted at now, or at the slot
 * held for it) or the ms to wait (a slot held for the send then, unless it is the full hold horizon: nothing
 * held). A held slot whose holder is later than `held` lapses and counts no more.
 */
export const ACQUIRE = `
local now = tonumber(ARGV[1])
local send = ARGV[2]
local held = tonumber(ARGV[3])
local within = tonumber(ARGV[4])
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if blocked > now then return blocked - now end
local slowed = tonumber(redis.call('GET', KEYS[4]) or '0') > now
local tenant = { key = KEYS[1], heldKey = KEYS[5], windows = {}, longest = 0 }
local conversation = { key = KEYS[2], heldKey = KEYS[6], windows = {}, longest = 0 }
local i = 6
for w = 1, tonumber(ARGV[5]) do
  local limit = tonumber(ARGV[i])
  if slowed then limit = tonumber(ARGV[i + 1]) end
  tenant.windows[w] = { limit = limit, span = tonumber(ARGV[i + 2]) }
  i = i + 3
end
local conversationWindows = tonumber(ARGV[i])
i = i + 1
for w = 1, conversationWindows do
  conversation.windows[w] = { limit = tonumber(ARGV[i]), span = tonumber(ARGV[i + 1]) }
  i = i + 2
end
local groups = { tenant, conversation }
for _, g in ipairs(groups) do
  for _, w in ipairs(g.windows) do
    if w.span > g.longest then g.longest = w.span end
  end
end
local lapsed = '(' .. (now - held)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tenant.longest)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', lapsed)
-- Most conversations of a fan-out have had no send within their windows: nothing to trim or count.
local conversationEmpty = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[6]) == 0
if not conversationEmpty then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - conversation.longest)
  redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', lapsed)
  conversationEmpty = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[6]) == 0
end
local slot = redis.call('ZSCORE', KEYS[5], send)
if slot then
  slot = tonumber(slot)
  if slot > now then return slot - now end
  -- On time: the slot becomes the send.
  for _, g in ipairs(groups) do
    redis.call('ZREM', g.heldKey, send)
    redis.call('ZADD', g.key, slot, send)
    redis.call('PEXPIRE', g.key, g.longest + 60000)
  end
  return 0
end
local own = redis.call('ZSCORE', KEYS[1], send)
if own then
  if tonumber(own) >= now - held then return 0 end
  redis.call('ZREM', KEYS[1], send)
  redis.call('ZREM', KEYS[2], send)
end
local function fits(g)
  for _, w in ipairs(g.windows) do
    local from, to = '(' .. (now - w.span), '(' .. (now + w.span)
    if redis.call('ZCOUNT', g.key, from, to) + redis.call('ZCOUNT', g.heldKey, from, to) >= w.limit then return false end
  end
  return true
end
local at = now
if not (fits(tenant) and (conversationEmpty or fits(conversation))) then
  -- The earliest moment a send leaves a window and room is left, walked with two cursors per window.
  local horizon = now + within
  local candidates = { now }
  local cursors = {}
  for _, g in ipairs(groups) do
    local times = {}
    for _, key in ipairs({ g.key, g.heldKey }) do
      local flat = redis.call('ZRANGEBYSCORE', key, '(' .. (now - g.longest), horizon + g.longest, 'WITHSCORES')
      for j = 2, #flat, 2 do times[#times + 1] = tonumber(flat[j]) end
    end
    table.sort(times)
    for _, w in ipairs(g.windows) do
      cursors[#cursors + 1] = { times = times, limit = w.limit, span = w.span, from = 1, to = 1 }
      for _, t in ipairs(times) do
        local leaves = t + w.span
        if leaves > now and leaves <= horizon then candidates[#candidates + 1] = leaves end
      end
    end
  end
  table.sort(candidates)
  at = nil
  for _, candidate in ipairs(candidates) do
    local fit = true
    for _, c in ipairs(cursors) do
      while c.from <= #c.times and c.times[c.from] <= candidate - c.span do c.from = c.from + 1 end
      while c.to <= #c.times and c.times[c.to] < candidate + c.span do c.to = c.to + 1 end
      if c.to - c.from >= c.limit then
        fit = false
        break
      end
    end
    if fit then
      at = candidate
      break
    end
  end
  -- Booked further ahead than a slot may be held: come back then, holding nothing.
  if not at then return within end
end
for _, g in ipairs(groups) do
  local key = g.key
  if at > now then key = g.heldKey end
  redis.call('ZADD', key, at, send)
  redis.call('PEXPIRE', key, at - now + g.longest + 60000)
end
return at - now
`;

/** KEYS: the tenant's sends, the conversation's sends, the tenant's held slots, the conversation's. ARGV: the send id. The send no longer counts (the platform did not take it). */
export const RELEASE = `
for _, key in ipairs(KEYS) do redis.call('ZREM', key, ARGV[1]) end
return 1
`;

/**
 * After a 429, as MemoryRateLimiter.throttle. KEYS: the tenant's sends, the conversation's sends, the
 * conversation's throttled-until, the tenant's slowed-until, the tenant's recent 429s, the tenant's and the
 * conversation's held slots. ARGV: the send id,
 * until (ms), now (ms), the span over which 429s are counted, how many slow the tenant. The send no longer
 * counts; the conversation waits until then; repeated 429s slow the tenant until then. Each "until" only
 * moves later and is kept an hour (compared with the caller's clock, not Redis's).
 */
export const THROTTLE = `
for _, k in ipairs({ 1, 2, 6, 7 }) do redis.call('ZREM', KEYS[k], ARGV[1]) end
local untilMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local span = tonumber(ARGV[4])
if untilMs > tonumber(redis.call('GET', KEYS[3]) or '0') then redis.call('SET', KEYS[3], ARGV[2], 'PX', 3600000) end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - span)
redis.call('ZADD', KEYS[5], now, ARGV[1] .. '@' .. ARGV[3])
redis.call('PEXPIRE', KEYS[5], span + 60000)
if redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[5]) and untilMs > tonumber(redis.call('GET', KEYS[4]) or '0') then
  redis.call('SET', KEYS[4], ARGV[2], 'PX', 3600000)
end
return 1
`;

/**
 * KEYS: the tenant's pace. ARGV: now, how many sends, the interval (ms, may be fractional). The first
 * send's time: now, or after the sends spread before; the pace moves on by count × interval (rounded up).
 */
export const PACE = `
local now = tonumber(ARGV[1])
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local paced = start + math.ceil(tonumber(ARGV[2]) * tonumber(ARGV[3]))
redis.call('SET', KEYS[1], paced, 'PX', paced - now + 3600000)
return start
`;
