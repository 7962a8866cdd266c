-- Returns a channel's presence, first dropping entries whose node stopped refreshing them.
-- KEYS[1] expiry zset, KEYS[2] hash; ARGV[1] now (seconds)
-- An entry expires once "now" is past its second, not at it: the clock has whole seconds, and an
-- entry refreshed late in second S (expire-at S + ttl) must not vanish at the start of S + ttl.
local expired = redis.call("zrangebyscore", KEYS[1], "0", "(" .. ARGV[1])
if #expired > 0 then
  for _, client in ipairs(expired) do
    redis.call("hdel", KEYS[2], client)
  end
  redis.call("zremrangebyscore", KEYS[1], "0", "(" .. ARGV[1])
end
return redis.call("hgetall", KEYS[2])
