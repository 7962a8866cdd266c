#!/usr/bin/env bash
# Runs centrifuge-js's own jest suite (its src/*.test.ts, as its CI runs them against Centrifugo)
# against a Rotor node started with the config that CI gives Centrifugo (centrifugo_test.json),
# on :8000 as the suite expects. The suite is downloaded at run time into a scratch directory and
# never copied into this repository. Map and shared-poll subscriptions are not Rotor features:
# their suites (map*, shared_poll*) and the map tests of the other suites are left out; the
# debounce suite skips itself (Centrifugo PRO only).
#
# Usage: scripts/centrifuge-js-suite.sh [commit]   (default: the commit this was last checked with);
# ROTOR_JAR runs another build of the node; CENTRIFUGE_JS_GIT fetches the suite from another clone
# (a URL or a local path) than GitHub's.
# Needs git, node/npm, java; builds target/rotor.jar when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

commit=${1:-c9e867858f703ef7e0b4c68e77004b36b3490214}
work=$(mktemp -d)
node_pid=
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ss -ltn 2>/dev/null | grep -q ':8000 '; then
  echo "port 8000 is in use; the suite connects to localhost:8000" >&2
  exit 1
fi

jar=${ROTOR_JAR:-target/rotor.jar}
if [ ! -f "$jar" ]; then
  mvn -B -ntp -q package -Dmaven.test.skip=true
fi

git -C "$work" init -q suite
git -C "$work/suite" fetch -q --depth 1 "${CENTRIFUGE_JS_GIT:-https://github.com/centrifugal/centrifuge-js}" "$commit"
git -C "$work/suite" checkout -q FETCH_HEAD

# Only what the tests need (the package's own devDependencies are its build and lint tools).
(cd "$work/suite" && node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("package.json"));
  delete p.devDependencies; delete p.scripts.prepare;
  fs.writeFileSync("package.json", JSON.stringify(p, null, 2));' \
  && rm -f yarn.lock \
  && npm install --no-audit --no-fund --ignore-scripts --no-save --loglevel=error \
       jest@29.7.0 ts-jest@29 typescript@5.9 @types/jest@29 @types/node@20 ws@8 eventsource@2 undici@6 \
       protobufjs@7 events@3 tslib@2)

# The CI's Centrifugo config as it is, but for the log level (Rotor names every key it does not support).
node -e '
  const fs = require("fs");
  const c = JSON.parse(fs.readFileSync(process.argv[1]));
  c.log.level = "info";
  fs.writeFileSync(process.argv[2], JSON.stringify(c));' "$work/suite/centrifugo_test.json" "$work/rotor.json"

java -Xmx768m -jar "$jar" --config "$work/rotor.json" > "$work/rotor.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 60); do
  curl -fs http://127.0.0.1:8000/health >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs http://127.0.0.1:8000/health >/dev/null || { cat "$work/rotor.log" >&2; exit 1; }

cd "$work/suite"
npx jest --runInBand --verbose --forceExit \
  --testPathIgnorePatterns 'map\.' 'shared_poll' --testNamePattern '^(?!map)'
