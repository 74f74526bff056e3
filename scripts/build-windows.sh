#!/usr/bin/env bash
# Cross-builds the Windows program build/windows/awork-mcp.exe on Debian 12 with mingw-w64.
#   1. installs the mingw-w64 toolchain (posix thread model) and the header-only libraries
#   2. builds OpenSSL 3.0 for mingw64 from Debian's own source package, once, into
#      build/win-deps/openssl (reused when present; delete that folder to rebuild it)
#   3. configures and builds the `windows` preset (cmake/mingw-w64.cmake)
# Output goes to logs in build/win-deps/ and build/windows/, shown only when a step fails.
# Needs root (apt-get), or sudo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# AWORK_MCP_WIN_DEPS: where OpenSSL for mingw64 is built once and kept (cmake/mingw-w64.cmake
# reads the same variable); scripts/test-release.sh points a second clone at the first's.
deps=${AWORK_MCP_WIN_DEPS:-$root/build/win-deps}
export AWORK_MCP_WIN_DEPS=$deps
openssl_prefix=$deps/openssl
jobs=${AWORK_MCP_JOBS:-$(nproc)}
mkdir -p "$deps"
sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)

# run LOG DESCRIPTION COMMAND...: runs quietly; on failure shows the log's end and exits.
run() {
  local log=$1 what=$2; shift 2
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "build-windows.sh: $what failed (the end of its log is above; all of it in $log)" >&2
    exit 1
  fi
}

apt_updated=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "installing: ${missing[*]}" >&2
  if ((!apt_updated)); then
    run "$deps/apt.log" "apt-get update" "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=1
  fi
  run "$deps/apt.log" "installing ${missing[*]}" \
    env DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ---- 1. toolchain and headers ------------------------------------------------------------------
# The header-only libraries (Boost, spdlog, fmt, CLI11) are the build machine's; the toolchain
# file stages symlinks to them, never /usr/include itself (its glibc headers would break mingw).
"$root/scripts/install-deps.sh"
apt_install g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev \
            libfmt-dev dpkg-dev make perl xz-utils

# ---- 2. OpenSSL for mingw64 --------------------------------------------------------------------
if [[ ! -f $openssl_prefix/lib/libssl.a || ! -f $openssl_prefix/lib/libcrypto.a ]]; then
  # Debian's source package, so that the Windows program carries the same OpenSSL (with Debian's
  # security fixes) as the Linux one. apt-get source needs a deb-src line.
  if ! grep -rqs -E '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "adding deb-src lines for bookworm (/etc/apt/sources.list.d/awork-mcp-deb-src.sources)" >&2
    "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/awork-mcp-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    run "$deps/apt.log" "apt-get update (deb-src)" "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=1
  fi
  src=$deps/openssl-src
  rm -rf "$src" && mkdir -p "$src"
  echo "fetching Debian's OpenSSL source package" >&2
  : >"$deps/openssl-source.log"
  # The newest version whose whole source package (Debian's patches included) can be had: the
  # security suite's files are sometimes missing from the mirror. If none can, an upstream
  # tarball that came down on the way will do.
  versions=$(apt-cache showsrc openssl 2>/dev/null | awk '/^Version:/ {print $2}' | sort -Vru)
  fetched=0
  for v in $versions; do
    rm -rf "$src"/openssl-*/
    if (cd "$src" && apt-get source -qq "openssl=$v") >>"$deps/openssl-source.log" 2>&1; then
      fetched=1; break
    fi
  done
  if ((!fetched)); then
    tarball=$(find "$src" -maxdepth 1 -name 'openssl_*.orig.tar.gz' | sort -V | tail -n1)
    if [[ -n $tarball ]] && (cd "$src" && rm -rf openssl-*/ && tar xzf "$tarball") >>"$deps/openssl-source.log" 2>&1; then
      fetched=1
    fi
  fi
  if ((!fetched)); then
    cat "$deps/openssl-source.log" >&2
    echo "build-windows.sh: could not fetch OpenSSL's source package (versions: ${versions:-none})" >&2
    exit 1
  fi
  tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'openssl-*' | head -n1)
  [[ -n $tree ]] || { echo "build-windows.sh: no OpenSSL source tree in $src" >&2; exit 1; }
  echo "building OpenSSL for mingw64 from $(basename "$tree") (a few minutes; log: $deps/openssl-build.log)" >&2
  rm -rf "$openssl_prefix"
  # Only the two static libraries: no DLLs, no tests, no engines or provider modules (the
  # default provider is built in), no openssl.cnf read at start-up. Nothing is read from
  # OPENSSLDIR then (the trust store comes from Windows or SSL_CERT_FILE / SSL_CERT_DIR): it is
  # given as Windows' usual place, and absolute for Configure, so that no build path ends up in it.
  run "$deps/openssl-configure.log" "configuring OpenSSL" \
    env -C "$tree" CC=gcc-posix ./Configure mingw64 --cross-compile-prefix=x86_64-w64-mingw32- \
      no-shared no-tests no-engine no-module no-autoload-config \
      --prefix="$openssl_prefix" --openssldir="/Program Files/Common Files/SSL" --libdir=lib
  run "$deps/openssl-build.log" "building OpenSSL" make -C "$tree" -j"$jobs" build_libs
  run "$deps/openssl-install.log" "installing OpenSSL" make -C "$tree" install_dev
  rm -rf "$src"
fi

# ---- 3. the program ----------------------------------------------------------------------------
mkdir -p build/windows
run build/windows/configure.log "configuring the windows preset" cmake --preset windows
run build/windows/build.log "building awork-mcp.exe" cmake --build --preset windows -j"$jobs"
echo "built $root/build/windows/awork-mcp.exe" >&2
