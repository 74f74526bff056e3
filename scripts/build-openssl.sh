#!/usr/bin/env bash
# Builds OpenSSL's two static libraries for a cross target from Debian's own source package (the
# same OpenSSL, with Debian's security fixes, as the Linux program), once per OpenSSL version and
# target, into a cache outside the clone; prints the directory to give as OPENSSL_ROOT_DIR.
#
#   scripts/build-openssl.sh NAME CONFIGURE_TARGET [VAR=VALUE...] [-- CONFIGURE_OPTION...]
#     NAME               the cache's name for the target (windows-x86_64, macos-arm64, ...)
#     CONFIGURE_TARGET   OpenSSL's (mingw64, darwin64-arm64, ...)
#     VAR=VALUE          the environment of Configure and make (CC=..., AR=...)
#
# The cache: ${AWORK_MCP_CACHE:-${XDG_CACHE_HOME:-~/.cache}/awork-mcp}/openssl/<version>-<recipe>/NAME.
# Delete it to build again. Every target is configured with the same fixed prefix and installed
# with DESTDIR: OpenSSL compiles its prefix in, and a program must not depend on where the cache
# is (scripts/test-release.sh builds a second clone and compares the bytes).
# Logs: in the cache's build-logs/, shown only when a step fails. Needs root (apt-get), or sudo.
set -euo pipefail
(($# >= 2)) || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
name=$1 configure_target=$2
shift 2
build_env=()
while (($#)) && [[ $1 == *=* ]]; do build_env+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
configure_options=("$@")
# Raise when the options below change, so that caches built the old way are not used.
recipe=1
fixed_prefix=/opt/awork-mcp/openssl
jobs=${AWORK_MCP_JOBS:-$(nproc)}
cache=${AWORK_MCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awork-mcp}/openssl
sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
mkdir -p "$cache/build-logs"
logs=$cache/build-logs

source "$(dirname "$0")/lib/run-quietly.sh"

# apt-get source needs a deb-src line.
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
  run "$logs/apt.log" "apt-get update (deb-src)" "${sudo_cmd[@]}" apt-get update -qq
fi
"$(dirname "$0")/install-deps.sh" --only dpkg-dev make perl xz-utils >&2

# The newest version whose whole source package (Debian's patches included) can be had: the
# security suite's files are sometimes missing from the mirror. If none can, an upstream tarball
# that came down on the way will do.
versions=$(apt-cache showsrc openssl 2>/dev/null | awk '/^Version:/ {print $2}' | sort -Vru)
[[ -n $versions ]] || { echo "build-openssl.sh: apt knows no OpenSSL source package (apt-get update?)" >&2; exit 1; }
for v in $versions; do
  prefix=$cache/$v-$recipe/$name
  if [[ -f $prefix$fixed_prefix/lib/libssl.a && -f $prefix$fixed_prefix/lib/libcrypto.a ]]; then
    echo "$prefix$fixed_prefix"
    exit 0
  fi
done

src=$cache/source
rm -rf "$src" && mkdir -p "$src"
echo "fetching Debian's OpenSSL source package" >&2
: >"$logs/source.log"
fetched=
for v in $versions; do
  rm -rf "$src"/openssl-*/
  if (cd "$src" && apt-get source -qq "openssl=$v") >>"$logs/source.log" 2>&1; then
    fetched=$v; break
  fi
done
if [[ -z $fetched ]]; then
  tarball=$(find "$src" -maxdepth 1 -name 'openssl_*.orig.tar.gz' | sort -V | tail -n1)
  if [[ -n $tarball ]] && (cd "$src" && rm -rf openssl-*/ && tar xzf "$tarball") >>"$logs/source.log" 2>&1; then
    fetched=$(basename "$tarball" .orig.tar.gz); fetched=${fetched#openssl_}-upstream
  fi
fi
if [[ -z $fetched ]]; then
  cat "$logs/source.log" >&2
  echo "build-openssl.sh: could not fetch OpenSSL's source package (versions: $versions)" >&2
  exit 1
fi
tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'openssl-*' | head -n1)
[[ -n $tree ]] || { echo "build-openssl.sh: no OpenSSL source tree in $src" >&2; exit 1; }
prefix=$cache/$fetched-$recipe/$name
echo "building OpenSSL $fetched for $name (a few minutes; logs: $logs)" >&2
rm -rf "$prefix"
# "built on" in `openssl version -a` is the source package's date, not today's: the same
# OpenSSL gives the same bytes on every machine.
epoch=$(cd "$tree" && dpkg-parsechangelog -S Timestamp 2>/dev/null) || epoch=0
# Only the two static libraries: no DLLs, no tests, no engines or provider modules (the default
# provider is built in), no openssl.cnf read at start-up.
run "$logs/$name-configure.log" "configuring OpenSSL for $name" \
  env -C "$tree" SOURCE_DATE_EPOCH="$epoch" "${build_env[@]}" ./Configure "$configure_target" \
    no-shared no-tests no-engine no-module no-autoload-config \
    --prefix="$fixed_prefix" --libdir=lib "${configure_options[@]}"
run "$logs/$name-build.log" "building OpenSSL for $name" env SOURCE_DATE_EPOCH="$epoch" "${build_env[@]}" make -C "$tree" -j"$jobs" build_libs
run "$logs/$name-install.log" "installing OpenSSL for $name" env "${build_env[@]}" make -C "$tree" DESTDIR="$prefix" install_dev
rm -rf "$src"
echo "$prefix$fixed_prefix"
