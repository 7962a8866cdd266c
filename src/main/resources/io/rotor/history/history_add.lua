-- Appends one publication to a channel's stream and assigns its offset, atomically: this script
-- is the offset sequencer of the Redis engine, so two callers can never get the same offset.
-- KEYS[1] stream key, KEYS[2] meta key (hash: e = epoch, s = top offset, r = master replication id)
-- KEYS[3] (optional) publish-once key: when it holds "offset epoch" of the same epoch, nothing is
--   appended (nor published) and that position is returned with a third element 1 (a repeat)
-- ARGV[1] encoded publication (its offset/epoch fields are filled in by the reader)
-- ARGV[2] stream max length, ARGV[3] stream TTL seconds
-- ARGV[4] epoch to use when the meta is missing (new or lost stream), ARGV[5] meta TTL seconds (0: none)
-- ARGV[6] (with KEYS[3]) how long the publish-once key is kept, in milliseconds; else unused
-- ARGV[7] PUB/SUB channel of the Redis broker, or "" when another broker fans out. Publishing here,
-- in the same script as the append, is what gives every subscriber on every node one order: Redis
-- runs one script at a time, so messages leave in offset order whichever node appended.
-- Returns {offset, epoch} or {offset, epoch, repeated}.
-- The meta remembers the replication id of the master that last wrote it (field r). Replication is
-- asynchronous: a replica promoted by a failover (or a server restarted from its append-only file)
-- may lack the last appends, which subscribers already saw and publishers were told succeeded.
-- Continuing the epoch would hand out those offsets again; a new epoch tells every subscriber that
-- the stream is not the one it followed, so it learns of the loss (recovered: false) instead of
-- silently missing it.
local replid = string.match(redis.call("info", "replication"), "master_replid:(%w+)")
local meta = redis.call("hmget", KEYS[2], "e", "r")
local epoch = meta[1]
local fresh = not epoch or (meta[2] and meta[2] ~= replid)
if KEYS[3] and not fresh then
  local seen = redis.call("get", KEYS[3])
  if seen then
    local sep = string.find(seen, " ", 1, true)
    if string.sub(seen, sep + 1) == epoch then
      return {tonumber(string.sub(seen, 1, sep - 1)), epoch, 1}
    end
  end
end
if fresh then
  epoch = ARGV[4]
  redis.call("hset", KEYS[2], "e", epoch, "r", replid)
elseif not meta[2] then
  redis.call("hset", KEYS[2], "r", replid)
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
if ARGV[7] ~= "" then
  redis.call("publish", ARGV[7], "p" .. offset .. ":" .. epoch .. ":" .. ARGV[1])
end
if KEYS[3] then
  redis.call("set", KEYS[3], offset .. " " .. epoch, "PX", ARGV[6])
  return {offset, epoch, 0}
end
return {offset, epoch}
