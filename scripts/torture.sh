#!/usr/bin/env bash
# Runs the torture suite (docs/reliability.md): the fault tests tagged "torture" (long ones, such
# as node processes killed under load, which the default run leaves out) and "torture-fast" (broker
# gap, silent starvation, recovery edge under load: short enough to run in the default suite too). Installs what the tests need, like scripts/test.sh.
#   scripts/torture.sh                      every torture test
#   scripts/torture.sh -Dtest=BrokerGapTest one of them
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-test-deps.sh
mvn -B -ntp test -DexcludedGroups= -Dgroups=torture,torture-fast -DtestTimeout=60m -Dsurefire.failIfNoSpecifiedTests=false "$@"
