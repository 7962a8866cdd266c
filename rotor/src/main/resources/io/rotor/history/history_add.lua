-- Appends one publication to a channel's stream and assigns its offset, atomically: this script
-- is the offset sequencer of the Redis engine, so two callers can never get the same offset. It is
-- also where idempotent and versioned publishes are decided, so the answer is the same whichever
-- node sends a retry.
-- KEYS[1] stream key, KEYS[2] meta key (hash: e = epoch, s = top offset, v / ve = top version and its
--   epoch, r = replication id of the master that wrote it)
-- KEYS[3] idempotent result key (hash: e = epoch, s = offset), used when ARGV[6] is not "0"
-- ARGV[1] encoded publication (its offset/epoch fields are filled in by the reader)
-- ARGV[2] stream max length, ARGV[3] stream TTL seconds
-- ARGV[4] epoch to use when the meta is missing (new or lost stream), ARGV[5] meta TTL seconds (0: none)
-- ARGV[6] idempotent result TTL seconds (0: no idempotency key)
-- ARGV[7] version (0: not versioned), ARGV[8] version epoch ("" matches any)
-- ARGV[9] PUB/SUB channel of the Redis broker, or "" when another broker fans out. Publishing here,
-- in the same script as the append, is what gives every subscriber on every node one order: Redis
-- runs one script at a time, so messages leave in offset order whichever node appended.
-- Returns {offset, epoch, suppressed (0/1)}.
-- The meta remembers the replication id of the master that last wrote it (field r). Replication is
-- asynchronous: a replica promoted by a failover (or a server restarted from its append-only file)
-- may lack the last appends, which subscribers already saw and publishers were told succeeded.
-- Continuing the epoch would hand out those offsets again; a new epoch tells every subscriber that
-- the stream is not the one it followed, so it learns of the loss (recovered: false) instead of
-- silently missing it.
if ARGV[6] ~= "0" then
  local first = redis.call("hmget", KEYS[3], "e", "s")
  if first[1] then
    return {tonumber(first[2] or "0"), first[1], 1}
  end
end
local replid = string.match(redis.call("info", "replication"), "master_replid:(%w+)")
local meta = redis.call("hmget", KEYS[2], "e", "r")
local epoch = meta[1]
if not epoch or (meta[2] and meta[2] ~= replid) then
  epoch = ARGV[4]
  redis.call("hset", KEYS[2], "e", epoch, "r", replid)
elseif not meta[2] then
  redis.call("hset", KEYS[2], "r", replid)
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
if ARGV[9] ~= "" then
  redis.call("publish", ARGV[9], "p" .. offset .. ":" .. epoch .. ":" .. ARGV[1])
end
if ARGV[6] ~= "0" then
  redis.call("hset", KEYS[3], "e", epoch, "s", offset)
  redis.call("expire", KEYS[3], ARGV[6])
end
return {offset, epoch, 0}
