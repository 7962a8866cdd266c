#!/usr/bin/env bash
# Runs every default test: installs what the tests need (Node packages of the end-to-end drivers),
# then the Maven build with unit, integration and end-to-end tests. Long fault/soak tests are
# tagged "slow" and run from scripts/test-slow.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/install-test-deps.sh

mvn -B -ntp verify "$@"

# The library artifact (what embedding applications depend on): Rotor's own classes only, with no
# dependency shaded in and no logging configuration; the standalone server is target/rotor.jar.
library=$(ls rotor/target/rotor-[0-9]*.jar | grep -v -- '-sources\|-javadoc' | head -1)
foreign=$(jar tf "$library" | grep -E '\.class$' | grep -v '^io/rotor/' | head -3 || true)
logging=$(jar tf "$library" | grep -E '^logback' || true)
if [ -n "$foreign" ] || [ -n "$logging" ]; then
  echo "library jar $library holds what it must not: $foreign $logging" >&2
  exit 1
fi
echo "library jar $library: io.rotor classes only, no logback configuration"
