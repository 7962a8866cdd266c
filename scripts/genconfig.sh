#!/usr/bin/env bash
# scripts/rotor genconfig, see scripts/rotor --help
exec "$(dirname "$0")/rotor" genconfig "$@"
