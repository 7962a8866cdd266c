#!/usr/bin/env bash
# Runs the long fault tests tagged "slow" (separate node processes killed under load, ...).
# Installs what the tests need, like scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-test-deps.sh
mvn -B -ntp test -DexcludedGroups= -Dgroups=slow -DtestTimeout=60m "$@"
