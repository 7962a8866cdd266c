#!/usr/bin/env bash
# Builds the jar when it is missing or older than the sources, then runs one node in the
# foreground. Usage: scripts/start.sh [--config FILE]   (default: conf/config.json)
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/rotor.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -type f -print -quit)" ]; then
  mvn -B -ntp -q package -Dmaven.test.skip=true
fi

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--config conf/config.json)
fi
exec java ${ROTOR_JAVA_OPTS:--Xms256m -XX:+UseParallelGC} -jar "$jar" "${args[@]}"
