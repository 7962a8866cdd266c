-- Returns a channel's presence, first dropping entries whose node stopped refreshing them.
-- KEYS[1] expiry zset, KEYS[2] hash; ARGV[1] now (seconds)
local expired = redis.call("zrangebyscore", KEYS[1], "0", ARGV[1])
if #expired > 0 then
  for _, client in ipairs(expired) do
    redis.call("hdel", KEYS[2], client)
  end
  redis.call("zremrangebyscore", KEYS[1], "0", ARGV[1])
end
return redis.call("hgetall", KEYS[2])
