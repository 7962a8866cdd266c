#!/usr/bin/env bash
# Sourced by scripts/test.sh, test-slow.sh and torture.sh: installs what the tests need, once, the
# same way for every suite (a fresh machine has none of it).
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js is required for the end-to-end tests" >&2
  exit 1
fi
(cd rotor/src/test/node && npm ci --no-audit --no-fund --loglevel=error)
# Debian packages the tests drive: redis-server (the Redis engine and cluster tests start their own
# processes on free ports; the system one a Debian install starts on 6379 is not used), chromium (the
# browser and admin UI tests, through playwright-core, which downloads no browser) and nginx (the
# proxy that refuses WebSocket upgrades), postgresql (the outbox consumer tests run a throwaway
# cluster of their own with initdb on a free port; the system service is not used).
# redis-cli builds the Redis Cluster of the Redis Cluster tests (redis-cli --cluster create); the
# Sentinel tests run redis-server in sentinel mode (redis-server <conf> --sentinel), the same binary
# the redis-sentinel package starts, so that package is not needed. nats-server: the NATS broker
# tests start their own on a free port.
source scripts/ensure-packages.sh
ensure_packages redis-server:redis-server redis-cli:redis-tools nats-server:nats-server chromium:chromium nginx:nginx
# initdb lives in /usr/lib/postgresql/<version>/bin, off PATH.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ensure_packages initdb:postgresql
export PATH="$PATH:/usr/sbin"
