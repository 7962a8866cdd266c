#!/usr/bin/env bash
# Runs the torture suite (docs/reliability.md): the fault tests tagged "torture" (long ones, such
# as node processes killed under load, which the default run leaves out) and "torture-fast" (broker
# gap, silent starvation, recovery edge under load: short enough to run in the default suite too). Installs redis-server when missing, like scripts/test.sh.
#   scripts/torture.sh                      every torture test
#   scripts/torture.sh -Dtest=BrokerGapTest one of them
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
mvn -B -ntp test -DexcludedGroups= -Dgroups=torture,torture-fast -Dsurefire.failIfNoSpecifiedTests=false "$@"
