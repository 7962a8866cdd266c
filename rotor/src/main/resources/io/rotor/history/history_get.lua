-- Reads a channel's stream position and, optionally, a range of its publications, creating the
-- epoch when the stream has none yet (so a reader and the next writer agree on it).
-- KEYS[1] stream key, KEYS[2] meta key
-- ARGV[1] epoch to use when the meta is missing, ARGV[2] meta TTL seconds (0: none)
-- ARGV[3] "1" to read publications, ARGV[4] lowest id, ARGV[5] highest id ("-"/"+" for open ends)
-- ARGV[6] count (-1: all), ARGV[7] "1" for newest first
-- Returns {top offset, epoch, entries?}.
-- The meta remembers the replication id of the master that last wrote it (field r). Replication is
-- asynchronous: a replica promoted by a failover (or a server restarted from its append-only file)
-- may lack the last appends, which subscribers already saw and publishers were told succeeded.
-- Continuing the epoch would hand out those offsets again; a new epoch tells every subscriber that
-- the stream is not the one it followed, so it learns of the loss (recovered: false) instead of
-- silently missing it.
local replid = string.match(redis.call("info", "replication"), "master_replid:(%w+)")
local meta = redis.call("hmget", KEYS[2], "e", "r")
local epoch = meta[1]
if not epoch or (meta[2] and meta[2] ~= replid) then
  epoch = ARGV[1]
  redis.call("hset", KEYS[2], "e", epoch, "r", replid)
elseif not meta[2] then
  redis.call("hset", KEYS[2], "r", replid)
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
