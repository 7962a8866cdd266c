#!/usr/bin/env bash
# Runs every default test: installs what the tests need (Node packages of the end-to-end drivers),
# then the Maven build with unit, integration and end-to-end tests. Long fault/soak tests are
# tagged "slow" and run from scripts/test-slow.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "test.sh: Node.js is required for the end-to-end tests" >&2
  exit 1
fi
(cd src/test/node && npm ci --no-audit --no-fund --loglevel=error)
# Headless Chromium for the admin UI test (driven by playwright-core, which downloads no browser).
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The Redis engine and cluster tests start their own redis-server processes.
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  for attempt in 1 2 3 4 5 6 7 8 9 10; do   # another apt-get may hold the dpkg lock for a while
    if $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1; then
      break
    fi
    $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
    sleep 15
  done
  command -v redis-server >/dev/null 2>&1 || { echo "test.sh: cannot install redis-server" >&2; exit 1; }
fi
# A Debian install starts a system redis on 6379; the tests do not use it.

mvn -B -ntp verify "$@"
