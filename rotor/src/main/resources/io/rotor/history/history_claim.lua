-- Remembers the idempotency key of a publish without history (position 0), atomically with the check.
-- KEYS[1] idempotent result key (hash: e = epoch, s = offset), ARGV[1] its TTL seconds
-- Returns {offset, epoch, suppressed (0/1)}: the remembered result when the key was already there.
local first = redis.call("hmget", KEYS[1], "e", "s")
if first[1] then
  return {tonumber(first[2] or "0"), first[1], 1}
end
redis.call("hset", KEYS[1], "e", "", "s", "0")
redis.call("expire", KEYS[1], ARGV[1])
return {0, "", 0}
