-- Appends one publication to a channel's stream and assigns its offset, atomically: this script
-- is the offset sequencer of the Redis engine, so two callers can never get the same offset.
-- KEYS[1] stream key, KEYS[2] meta key (hash: e = epoch, s = top offset)
-- ARGV[1] encoded publication (its offset/epoch fields are filled in by the reader)
-- ARGV[2] stream max length, ARGV[3] stream TTL seconds
-- ARGV[4] epoch to use when the meta is missing (new or lost stream), ARGV[5] meta TTL seconds (0: none)
-- ARGV[6] PUB/SUB channel of the Redis broker, or "" when another broker fans out. Publishing here,
-- in the same script as the append, is what gives every subscriber on every node one order: Redis
-- runs one script at a time, so messages leave in offset order whichever node appended.
-- Returns {offset, epoch}.
local epoch = redis.call("hget", KEYS[2], "e")
if not epoch then
  epoch = ARGV[4]
  redis.call("hset", KEYS[2], "e", epoch)
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
if ARGV[6] ~= "" then
  redis.call("publish", ARGV[6], "p" .. offset .. ":" .. epoch .. ":" .. ARGV[1])
end
return {offset, epoch}
