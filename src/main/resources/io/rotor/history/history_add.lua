-- Appends one publication to a channel's stream and assigns its offset, atomically: this script
-- is the offset sequencer of the Redis engine, so two callers can never get the same offset.
-- KEYS[1] stream key, KEYS[2] meta key (hash: e = epoch, s = top offset)
-- KEYS[3] (optional) publish-once key: when it holds "offset epoch" of the same epoch, nothing is
--   appended and that position is returned with a third element 1 (a repeat)
-- ARGV[1] encoded publication (its offset/epoch fields are filled in by the reader)
-- ARGV[2] stream max length, ARGV[3] stream TTL seconds
-- ARGV[4] epoch to use when the meta is missing (new or lost stream), ARGV[5] meta TTL seconds (0: none)
-- ARGV[6] (with KEYS[3]) how long the publish-once key is kept, in milliseconds
-- Returns {offset, epoch} or {offset, epoch, repeated}.
local epoch = redis.call("hget", KEYS[2], "e")
if KEYS[3] and epoch then
  local seen = redis.call("get", KEYS[3])
  if seen then
    local sep = string.find(seen, " ", 1, true)
    if string.sub(seen, sep + 1) == epoch then
      return {tonumber(string.sub(seen, 1, sep - 1)), epoch, 1}
    end
  end
end
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
if KEYS[3] then
  redis.call("set", KEYS[3], offset .. " " .. epoch, "PX", ARGV[6])
  return {offset, epoch, 0}
end
return {offset, epoch}
