#!/usr/bin/env bash
# scripts/rotor gentoken, see scripts/rotor --help
exec "$(dirname "$0")/rotor" gentoken "$@"
