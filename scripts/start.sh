#!/usr/bin/env bash
# Builds the jar when it is missing or older than the sources, then runs one node in the
# foreground. Usage: scripts/start.sh [--config FILE]   (default: conf/config.json)
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/rotor.jar
if [ ! -f "$jar" ] || [ -n "$(find rotor/src pom.xml rotor/pom.xml rotor-server/pom.xml -newer "$jar" -type f -print -quit)" ]; then
  mvn -B -ntp -q package -Dmaven.test.skip=true
fi

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--config conf/config.json)
fi
# A fixed, small young generation: throughput GC pauses stay short (fan-out garbage is short-lived)
# and RSS follows the live set instead of an adaptively grown heap. ROTOR_JAVA_OPTS replaces these.
exec java ${ROTOR_JAVA_OPTS:--Xms256m -Xmx2g -Xmn96m -XX:+UseParallelGC} -jar "$jar" "${args[@]}"
