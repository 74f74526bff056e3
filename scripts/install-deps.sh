#!/usr/bin/env bash
# Installs the Debian 12 packages the bridge builds with (only those missing). Needs root.
set -euo pipefail
packages=(build-essential cmake g++ libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
          libssl-dev libspdlog-dev libcli11-dev)
if [[ ${1:-} == --tests ]]; then
  packages+=(libgtest-dev openssl nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian's packages; any working node will do.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
