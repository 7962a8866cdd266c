#!/usr/bin/env bash
# Runs every default test: installs what the tests need (Node packages of the end-to-end drivers),
# then the Maven build with unit, integration and end-to-end tests. Long fault/soak tests are
# tagged "slow" and run from scripts/test-slow.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/install-test-deps.sh

mvn -B -ntp verify "$@"
