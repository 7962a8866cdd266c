#!/usr/bin/env bash
# S9 hook (called by scripts/bench.sh when the jar has the sockjs/emulation transports): server CPU
# per delivery over SockJS (sockjs-client driven from Node) and the emulation transports, divided by
# the same figure over the raw WebSocket in the same run; records
# {"scenario":"S9","server":"rotor","transport":..,"cpu_ratio_to_ws":..}.
set -euo pipefail
echo "  S9: the transports are in the jar, but this hook has not been wired to them yet" >&2
echo '{"scenario":"S9","server":"rotor","not_available":"hook not wired to the sockjs/emulation transports yet"}' >>"$2"
