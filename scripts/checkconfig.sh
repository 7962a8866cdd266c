#!/usr/bin/env bash
# scripts/rotor checkconfig, see scripts/rotor --help
exec "$(dirname "$0")/rotor" checkconfig "$@"
