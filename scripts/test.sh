#!/usr/bin/env bash
# Runs every default test: installs what the tests need (Node packages of the end-to-end drivers),
# then the Maven build with unit, integration and end-to-end tests. Long fault/soak tests are
# tagged "slow" and run from scripts/torture.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "test.sh: Node.js is required for the end-to-end tests" >&2
  exit 1
fi
(cd src/test/node && npm ci --no-audit --no-fund --loglevel=error)
# Headless Chromium for the admin UI test (driven by playwright-core, which downloads no browser).
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

mvn -B -ntp verify "$@"
