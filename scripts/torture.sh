#!/usr/bin/env bash
# Runs the torture suite (docs/reliability.md): the fault tests tagged "torture" (node processes
# killed, stopped and restarted under load, reconnect storms, slow consumers), which the default
# run (scripts/test.sh) leaves out. The fast torture cases (broker gap, recovery edge) also run in
# the default suite. Installs redis-server when missing, like scripts/test.sh.
#   scripts/torture.sh                      every torture test
#   scripts/torture.sh -Dtest=StormTest     one of them
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
mvn -B -ntp test -DexcludedGroups= -Dgroups=torture -Dsurefire.failIfNoSpecifiedTests=false "$@"
