#!/usr/bin/env bash
# Sourced: ensure_packages CMD:PACKAGE... installs each Debian PACKAGE whose CMD is missing (from PATH
# or /usr/sbin), with apt-get (through sudo when not root), waiting for a dpkg lock another process
# holds rather than failing. A fresh machine with only Java, Maven and Node gets what the scripts run.
ensure_packages() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${spec%%:*}" ] || missing+=("${spec#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "installing ${missing[*]} (apt-get)" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
}
