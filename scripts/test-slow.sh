#!/usr/bin/env bash
# Runs the long fault tests tagged "slow" (separate node processes killed under load, ...).
# Installs redis-server when missing, like scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
mvn -B -ntp test -DexcludedGroups= -Dgroups=slow "$@"
