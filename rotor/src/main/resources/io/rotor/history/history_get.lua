-- Reads a channel's stream position and, optionally, a range of its publications, creating the
-- epoch when the stream has none yet (so a reader and the next writer agree on it).
-- KEYS[1] stream key, KEYS[2] meta key
-- ARGV[1] epoch to use when the meta is missing, ARGV[2] meta TTL seconds (0: none)
-- ARGV[3] "1" to read publications, ARGV[4] lowest id, ARGV[5] highest id ("-"/"+" for open ends)
-- ARGV[6] count (-1: all), ARGV[7] "1" for newest first
-- Returns {top offset, epoch, entries?}.
local epoch = redis.call("hget", KEYS[2], "e")
if not epoch then
  epoch = ARGV[1]
  redis.call("hset", KEYS[2], "e", epoch)
end
if ARGV[2] ~= "0" then
  redis.call("expire", KEYS[2], ARGV[2])
end
local top = redis.call("hget", KEYS[2], "s")
if not top then
  top = "0"
end
if ARGV[3] ~= "1" then
  return {top, epoch}
end
local entries
if ARGV[7] == "1" then
  if ARGV[6] == "-1" then
    entries = redis.call("xrevrange", KEYS[1], ARGV[5], ARGV[4])
  else
    entries = redis.call("xrevrange", KEYS[1], ARGV[5], ARGV[4], "COUNT", ARGV[6])
  end
else
  if ARGV[6] == "-1" then
    entries = redis.call("xrange", KEYS[1], ARGV[4], ARGV[5])
  else
    entries = redis.call("xrange", KEYS[1], ARGV[4], ARGV[5], "COUNT", ARGV[6])
  end
end
return {top, epoch, entries}
