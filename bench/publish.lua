-- wrk body for Rotor's server API: POST /api/publish, ~100-byte payload, API key header.
-- The key comes from the environment (ROTOR_BENCH_API_KEY), as scripts/bench.sh starts the node with it.
wrk.method = "POST"
wrk.body   = '{"channel":"bench6","data":{"text":"hello world, this is a 100-byte-ish payload for publish api benchmarking purposes......"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ROTOR_BENCH_API_KEY") or "bench-api-key"
