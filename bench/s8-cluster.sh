#!/usr/bin/env bash
# S8 hook (called by scripts/bench.sh when the jar has the cluster package): three nodes on this
# machine. To fill in with the cluster issue's start options: start 3 nodes (cluster config, free
# ports), subscribe 1000 clients spread over them (fanout.js --ports=a,b,c), publish 1000 messages
# through one node, and record {"scenario":"S8","server":"rotor","bus_msgs_per_publish":..,
# "redis_cmds_per_publish":..,"delivered":..,"expected":..} from the nodes' metrics.
set -euo pipefail
echo "  S8: the cluster is in the jar, but this hook has not been wired to its start options yet" >&2
echo '{"scenario":"S8","server":"rotor","not_available":"hook not wired to the cluster start options yet"}' >>"$2"
