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

# The browser and proxy tests drive Debian's chromium and put Debian's nginx in front of a node.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  # Another process may hold the dpkg lock for a while: wait for it rather than fail.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi
export PATH="$PATH:/usr/sbin"

mvn -B -ntp verify "$@"
