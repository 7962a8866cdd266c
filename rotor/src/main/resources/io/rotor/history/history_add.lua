-- Appends one publication to a channel's stream and assigns its offset, atomically: this script
-- is the offset sequencer of the Redis engine, so two callers can never get the same offset. It is
-- also where idempotent and versioned publishes are decided, so the answer is the same whichever
-- node sends a retry.
-- KEYS[1] stream key, KEYS[2] meta key (hash: e = epoch, s = top offset, v / ve = top version and its epoch)
-- KEYS[3] idempotent result key (hash: e = epoch, s = offset), used when ARGV[6] is not "0"
-- ARGV[1] encoded publication (its offset/epoch fields are filled in by the reader)
-- ARGV[2] stream max length, ARGV[3] stream TTL seconds
-- ARGV[4] epoch to use when the meta is missing (new or lost stream), ARGV[5] meta TTL seconds (0: none)
-- ARGV[6] idempotent result TTL seconds (0: no idempotency key)
-- ARGV[7] version (0: not versioned), ARGV[8] version epoch ("" matches any)
-- Returns {offset, epoch, suppressed (0/1)}.
if ARGV[6] ~= "0" then
  local first = redis.call("hmget", KEYS[3], "e", "s")
  if first[1] then
    return {tonumber(first[2] or "0"), first[1], 1}
  end
end
local epoch = redis.call("hget", KEYS[2], "e")
if not epoch then
  epoch = ARGV[4]
  redis.call("hset", KEYS[2], "e", epoch)
end
if ARGV[7] ~= "0" then
  local prev = redis.call("hmget", KEYS[2], "v", "ve", "s")
  if prev[1] and (ARGV[8] == "" or ARGV[8] == prev[2]) and tonumber(prev[1]) >= tonumber(ARGV[7]) then
    return {tonumber(prev[3] or "0"), epoch, 1}
  end
  redis.call("hset", KEYS[2], "v", ARGV[7], "ve", ARGV[8])
end
local offset = redis.call("hincrby", KEYS[2], "s", 1)
if ARGV[5] ~= "0" then
  redis.call("expire", KEYS[2], ARGV[5])
end
if offset == 1 then
  -- A stream whose meta was lost may still hold entries of the old epoch.
  redis.call("del", KEYS[1])
end
redis.call("xadd", KEYS[1], "MAXLEN", ARGV[2], offset .. "-0", "d", ARGV[1])
redis.call("expire", KEYS[1], ARGV[3])
if ARGV[6] ~= "0" then
  redis.call("hset", KEYS[3], "e", epoch, "s", offset)
  redis.call("expire", KEYS[3], ARGV[6])
end
return {offset, epoch, 0}
