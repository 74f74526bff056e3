#!/usr/bin/env bash
# Cross-builds the Windows program build/windows/awork-mcp.exe on Debian 12 with mingw-w64.
#   1. installs the mingw-w64 toolchain (posix thread model) and the header-only libraries
#   2. builds OpenSSL 3.0 for mingw64 from Debian's own source package, once per version, into a
#      cache outside the clone (scripts/build-openssl.sh)
#   3. configures and builds the `windows` preset (cmake/mingw-w64.cmake)
# Output goes to logs in build/windows/, shown only when a step fails.
# Needs root (apt-get), or sudo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${AWORK_MCP_JOBS:-$(nproc)}
mkdir -p build/windows

source "$(dirname "$0")/lib/run-quietly.sh"

# ---- 1. toolchain and headers ------------------------------------------------------------------
# The header-only libraries (Boost, spdlog, fmt, CLI11) are the build machine's; the toolchain
# file stages symlinks to them, never /usr/include itself (its glibc headers would break mingw).
"$root/scripts/install-deps.sh"
"$root/scripts/install-deps.sh" --only g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 \
  mingw-w64-x86-64-dev libfmt-dev dpkg-dev make perl xz-utils

# ---- 2. OpenSSL for mingw64 --------------------------------------------------------------------
# Nothing is read from OPENSSLDIR (the trust store comes from Windows or SSL_CERT_FILE /
# SSL_CERT_DIR): it is given as Windows' usual place, absolute, so that no build path is in it.
AWORK_MCP_OPENSSL_ROOT=$("$root/scripts/build-openssl.sh" windows-x86_64 mingw64 CC=gcc-posix \
  -- --cross-compile-prefix=x86_64-w64-mingw32- --openssldir="/Program Files/Common Files/SSL")
export AWORK_MCP_OPENSSL_ROOT

# ---- 3. the program ----------------------------------------------------------------------------
mkdir -p build/windows
run build/windows/configure.log "configuring the windows preset" cmake --preset windows
run build/windows/build.log "building awork-mcp.exe" cmake --build --preset windows -j"$jobs"
echo "built $root/build/windows/awork-mcp.exe" >&2
