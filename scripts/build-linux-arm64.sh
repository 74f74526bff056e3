#!/usr/bin/env bash
# Cross-builds the Linux arm64 (aarch64) program build/linux-arm64/awork-mcp on Debian 12 with
# Debian's cross compiler, linked like the x86_64 release (everything but the C library static),
# and checks that it runs under qemu-user.
#   1. installs g++-aarch64-linux-gnu, qemu-user, and the libraries for arm64 beside the build
#      machine's own (dpkg multiarch: `dpkg --add-architecture arm64`)
#   2. configures and builds the `linux-arm64` preset (cmake/aarch64-linux-gnu.cmake)
# Needs root (apt-get), or sudo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p build/linux-arm64

# ---- 1. toolchain and arm64 libraries ----------------------------------------------------------
"$root/scripts/install-deps.sh"
"$root/scripts/install-deps.sh" --only g++-aarch64-linux-gnu qemu-user libssl-dev:arm64 libboost1.81-dev:arm64 \
  libboost-json1.81-dev:arm64 libboost-url1.81-dev:arm64 libspdlog-dev:arm64 libfmt-dev:arm64 libcli11-dev file

# ---- 2. the program ----------------------------------------------------------------------------
cmake --preset linux-arm64 >build/linux-arm64/configure.log 2>&1 || { cat build/linux-arm64/configure.log >&2; exit 1; }
cmake --build --preset linux-arm64 -j"${AWORK_MCP_JOBS:-$(nproc)}" >build/linux-arm64/build.log 2>&1 ||
  { tail -n 60 build/linux-arm64/build.log >&2; echo "build-linux-arm64.sh: build failed (build/linux-arm64/build.log)" >&2; exit 1; }
file=$(file -b build/linux-arm64/awork-mcp)
[[ $file == *"ARM aarch64"* ]] || { echo "build-linux-arm64.sh: build/linux-arm64/awork-mcp is not an arm64 program: $file" >&2; exit 1; }
qemu-aarch64 build/linux-arm64/awork-mcp --version
