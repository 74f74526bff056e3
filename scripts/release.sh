#!/usr/bin/env bash
# Makes every artifact of a release, from this clone's commit, into dist/ (or --out DIR):
#
#   awork-mcp-<v>-linux-x86_64.tar.gz, awork-mcp_<v>_amd64.deb     scripts/package.sh
#   awork-mcp-<v>-linux-arm64.tar.gz,  awork-mcp_<v>_arm64.deb     scripts/build-linux-arm64.sh
#   awork-mcp-<v>-windows-x86_64.zip                               scripts/build-windows.sh
#   awork-mcp-<v>-macos-universal.tar.gz   arm64 + x86_64          scripts/build-macos.sh
#   awork-mcp-<v>.mcpb                  Claude Desktop's bundle     packaging/mcpb/make-bundle.sh
#   awork-mcp-bridge[-<platform>]-<v>.tgz   npm packages            packaging/npm/make-npm-packages.mjs
#   SHA256SUMS
#
# The version is the one in CMakeLists.txt's project(); every binary's `--version` names it with
# the commit. The same commit gives the same bytes: dates come from SOURCE_DATE_EPOCH (default:
# the commit's time), archives list their entries sorted with fixed owners and modes, and no
# build path is compiled in (-ffile-prefix-map). scripts/test-release.sh checks all of it.
#
# Nothing is published: at the end it prints what a maintainer runs to publish.
# Needs root (apt-get), or sudo. Usage: scripts/release.sh [--out DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/dist
while (($#)); do
  case $1 in
    --out) out=$(realpath -m "$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# The tools it runs besides the builds' own (a fresh Debian 12 has none of them).
scripts/install-deps.sh --only git zip unzip file
command -v node >/dev/null || { echo "release.sh: needs Node.js (npm packs the npm packages)" >&2; exit 1; }

version=$(sed -n 's/^project(awork-mcp-bridge VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "release.sh: no version in CMakeLists.txt's project()" >&2; exit 1; }
commit=$(git rev-parse --short=12 HEAD)
if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
  echo "release.sh: warning: the tree has uncommitted changes: the files are not those of commit $commit" >&2
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export TZ=UTC  # zip stores local times
stage=$root/build/release-stage
rm -rf "$out" "$stage"
mkdir -p "$out" "$stage"
say() { echo "== release: $*" >&2; }
started=$SECONDS

# unpack_binary ARCHIVE NAME: the stripped program out of a .tar.gz made by CPack, into $stage.
unpack_binary() {
  local dir=$stage/$2
  mkdir -p "$dir"
  tar -xzf "$1" -C "$dir" --strip-components=2 --wildcards '*/bin/awork-mcp'
  echo "$dir/awork-mcp"
}

# ---- Linux x86_64 ------------------------------------------------------------------------------
say "Linux x86_64 (scripts/package.sh)"
scripts/package.sh >"$stage/package-x86_64.log"
cp build/packages/awork-mcp_"$version"_amd64.deb "$out/"
cp build/packages/awork-mcp-"$version"-linux-x86_64.tar.gz "$out/"
linux_x64=$(unpack_binary "$out/awork-mcp-$version-linux-x86_64.tar.gz" linux-x64)

# ---- Linux arm64 -------------------------------------------------------------------------------
say "Linux arm64 (scripts/build-linux-arm64.sh, cross-built)"
scripts/build-linux-arm64.sh >"$stage/build-arm64.log"
rm -rf build/packages-arm64
(cd build/linux-arm64 && cpack -G "DEB;TGZ" -B "$root/build/packages-arm64") >"$stage/cpack-arm64.log" 2>&1 ||
  { cat "$stage/cpack-arm64.log" >&2; exit 1; }
cp build/packages-arm64/awork-mcp_"$version"_arm64.deb "$out/"
cp build/packages-arm64/awork-mcp-"$version"-linux-arm64.tar.gz "$out/"
linux_arm64=$(unpack_binary "$out/awork-mcp-$version-linux-arm64.tar.gz" linux-arm64)

# ---- Windows x86_64 ----------------------------------------------------------------------------
say "Windows x86_64 (scripts/build-windows.sh, cross-built)"
scripts/build-windows.sh 2>"$stage/build-windows.log"
win=$stage/awork-mcp-$version-windows-x86_64
mkdir -p "$win/licenses"
cp build/windows/awork-mcp.exe README.md CHANGELOG.md "$win/"
cp packaging/copyright "$win/licenses/COPYRIGHT"
cp packaging/licenses/* "$win/licenses/"
windows_exe=$win/awork-mcp.exe
# One folder in the zip, entries sorted, dated SOURCE_DATE_EPOCH, no uid/gid extras (-X).
find "$win" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$stage" && find "$(basename "$win")" | LC_ALL=C sort | zip -q -X -9 -@ "$out/$(basename "$win").zip")

# ---- macOS (arm64 and x86_64 in one program) ---------------------------------------------------
say "macOS arm64 + x86_64 (scripts/build-macos.sh, cross-built with Zig)"
scripts/build-macos.sh >"$stage/build-macos.log" 2>&1 || { tail -n 40 "$stage/build-macos.log" >&2; exit 1; }
mac=$stage/awork-mcp-$version-macos-universal
mkdir -p "$mac/licenses"
cp build/macos/awork-mcp README.md CHANGELOG.md "$mac/"
cp packaging/copyright "$mac/licenses/COPYRIGHT"
cp packaging/licenses/* "$mac/licenses/"
macos_universal=$mac/awork-mcp
# Entries sorted, owned by root, dated SOURCE_DATE_EPOCH; gzip without a name or time (-n).
(cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  --format=gnu -cf - "$(basename "$mac")" | gzip -9 -n >"$out/$(basename "$mac").tar.gz")

# ---- Claude Desktop bundle and npm packages -----------------------------------------------------
say "the .mcpb bundle"
packaging/mcpb/make-bundle.sh --version "$version" --out "$out" \
  --binary linux-x64="$linux_x64" --binary win32-x64="$windows_exe" --binary darwin="$macos_universal" >"$stage/mcpb.log" 2>&1 ||
  { cat "$stage/mcpb.log" >&2; exit 1; }
say "the npm packages"
node packaging/npm/make-npm-packages.mjs --version "$version" --out "$out" \
  --binary linux-x64="$linux_x64" --binary linux-arm64="$linux_arm64" --binary win32-x64="$windows_exe" \
  --binary darwin-arm64=build/macos-arm64/awork-mcp --binary darwin-x64=build/macos-x86_64/awork-mcp \
  --readme README.md --licenses packaging/licenses --copyright packaging/copyright >"$stage/npm.log" 2>&1 ||
  { cat "$stage/npm.log" >&2; exit 1; }

# ---- sums --------------------------------------------------------------------------------------
(cd "$out" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)

say "awork-mcp $version (commit $commit) in ${out#"$root"/}/ after $((SECONDS - started)) s:"
(cd "$out" && for f in *; do printf '  %-52s %9s bytes\n' "$f" "$(stat -c %s "$f")"; done)
cat <<EOF

What a maintainer runs to publish this release (nothing was published here):
  git tag -s v$version $commit && git push origin v$version
  gh release create v$version ${out#"$root"/}/awork-mcp-$version-* ${out#"$root"/}/awork-mcp_${version}_* ${out#"$root"/}/awork-mcp-$version.mcpb ${out#"$root"/}/SHA256SUMS --title "awork-mcp $version" --notes-file CHANGELOG.md
$(grep '^  npm publish' "$stage/npm.log")
EOF
