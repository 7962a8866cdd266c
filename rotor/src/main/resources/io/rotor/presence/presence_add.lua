-- Adds or refreshes one connection's presence in a channel.
-- KEYS[1] expiry zset (client id -> expire-at seconds), KEYS[2] hash (client id -> encoded info)
-- ARGV[1] key TTL seconds, ARGV[2] expire-at seconds, ARGV[3] client id, ARGV[4] encoded info
redis.call("zadd", KEYS[1], ARGV[2], ARGV[3])
redis.call("hset", KEYS[2], ARGV[3], ARGV[4])
redis.call("expire", KEYS[1], ARGV[1])
redis.call("expire", KEYS[2], ARGV[1])
return 1
