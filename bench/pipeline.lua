-- wrk script: HTTP/1.1 pipelining of one publish request, DEPTH requests per write (wrk counts each
-- response). Environment: BENCH_PATH (path and query), BENCH_BODY (JSON body), BENCH_API_KEY (sent
-- as X-API-Key when set), BENCH_DEPTH (default 16).
local path  = os.getenv("BENCH_PATH") or "/api/publish"
local body  = os.getenv("BENCH_BODY")
  or '{"channel":"bench6","data":{"text":"hello world, this is a 100-byte-ish payload for publish api benchmarking purposes......"}}'
local key   = os.getenv("BENCH_API_KEY")
local depth = tonumber(os.getenv("BENCH_DEPTH") or "16")
local headers = { ["Content-Type"] = "application/json" }
if key and key ~= "" then headers["X-API-Key"] = key end

init = function(args)
  local r = {}
  for i = 1, depth do r[i] = wrk.format("POST", path, headers, body) end
  req = table.concat(r)
end

request = function()
  return req
end
