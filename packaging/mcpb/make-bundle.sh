#!/usr/bin/env bash
# Makes the MCP Bundle for Claude Desktop, DIST/awork-mcp-X.Y.Z.mcpb (a zip with manifest.json,
# the binaries, icon.png, README.md, copyright and licenses/), from binaries built elsewhere:
#
#   packaging/mcpb/make-bundle.sh --version X.Y.Z --out DIST \
#       --binary linux-x64=build/release/awork-mcp \
#       [--binary win32-x64=PATH/awork-mcp.exe] [--binary darwin=PATH/awork-mcp]
#
# Each binary goes to server/<platform>/ in the bundle; the manifest
# (packaging/mcpb/make-manifest.mjs) lists only the platforms given. Steps: lay the bundle out
# in build/mcpb/, `mcpb validate` the manifest, `mcpb pack` it, zip the same folder so that the
# same inputs give the same bytes (Info-ZIP's zip: sorted entries, one date, modes 0755/0644)
# and check it holds what mcpb packed, then unpack it with `mcpb unpack`, validate it again, check that every
# file and execute bit came back, and print `mcpb info`, the platforms, the sha256 and the path
# (the only file written to DIST is the bundle).
# The bundle is not signed (`mcpb pack` does not sign; `mcpb info` says "Not signed").
#
# The date of every zip entry is SOURCE_DATE_EPOCH if set, else the time of the repository's
# last commit. @anthropic-ai/mcpb (pinned below) is installed from npm on first use into
# ${XDG_CACHE_HOME:-~/.cache}/awork-mcp-release/mcpb-<version>, outside the repository.
# tests/release/mcpb_launch_test.mjs then starts the bundled binary as Claude Desktop would.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/packaging/mcpb
mcpb_version=2.1.2

usage() {
  echo "usage: $0 --version X.Y.Z --out DIST_DIR --binary linux-x64=PATH [--binary win32-x64=PATH] [--binary darwin=PATH]" >&2
  exit 2
}
version='' out=''
declare -A binaries=()
while (($#)); do
  case $1 in
    --version) (($# >= 2)) || usage; version=$2; shift 2 ;;
    --out) (($# >= 2)) || usage; out=$2; shift 2 ;;
    --binary) (($# >= 2)) || usage
      platform=${2%%=*} path=${2#*=}
      [[ $2 == *=* && -n $path ]] || usage
      case $platform in linux-x64 | win32-x64 | darwin) ;; *) echo "make-bundle: unknown platform $platform" >&2; usage ;; esac
      [[ -f $path && -s $path ]] || { echo "make-bundle: $platform binary $path is not a non-empty file" >&2; exit 1; }
      binaries[$platform]=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
      shift 2 ;;
    -h | --help) usage ;;
    *) echo "make-bundle: unknown argument $1" >&2; usage ;;
  esac
done
[[ -n $version && -n $out && ${#binaries[@]} -gt 0 ]] || usage
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] || { echo "make-bundle: --version $version is not X.Y.Z" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The mcpb CLI, pinned: its schema is what Claude Desktop validates manifests with.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/awork-mcp-release/mcpb-$mcpb_version
mcpb=$cache/node_modules/.bin/mcpb
installed=$(node -p "require('$cache/node_modules/@anthropic-ai/mcpb/package.json').version" 2>/dev/null || true)
if [[ $installed != "$mcpb_version" ]]; then
  echo "== make-bundle: installing @anthropic-ai/mcpb@$mcpb_version into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "@anthropic-ai/mcpb@$mcpb_version" >&2
fi

# Lay the bundle out. Modes are set explicitly: they go into the zip.
work=$root/build/mcpb
stage=$work/awork-mcp-$version
rm -rf "$stage" "$work/unpacked"
mkdir -p "$stage"
platforms=() included=()
for platform in darwin linux-x64 win32-x64; do
  [[ -n ${binaries[$platform]:-} ]] || continue
  name=awork-mcp
  [[ $platform == win32-x64 ]] && name=awork-mcp.exe
  install -D -m 0755 "${binaries[$platform]}" "$stage/server/$platform/$name"
  platforms+=(--platform "$platform")
  included+=("$platform")
done
install -m 0644 "$here/icon.png" "$root/README.md" "$root/packaging/copyright" "$stage/"
install -d -m 0755 "$stage/licenses"
install -m 0644 "$root"/packaging/licenses/* "$stage/licenses/"
node "$here/make-manifest.mjs" --version "$version" "${platforms[@]}" --out "$stage/manifest.json"
chmod 0644 "$stage/manifest.json"

echo "== make-bundle: mcpb validate" >&2
"$mcpb" validate "$stage/manifest.json" >&2

echo "== make-bundle: mcpb pack" >&2
packed=$work/mcpb-pack-output.mcpb
"$mcpb" pack "$stage" "$packed" >&2

# mcpb pack stamps the time of packing and keeps the directory's order: the bundle itself is
# zipped by Info-ZIP's zip from the same folder, entries sorted, one date (SOURCE_DATE_EPOCH), no
# directory entries (mcpb unpack cannot extract them) and no extra fields, and is checked below
# as mcpb's own would be. It must hold what mcpb pack put in its zip, no more, no less.
echo "== make-bundle: zipping for reproducible bytes" >&2
command -v zip >/dev/null || { echo "make-bundle: needs zip (Debian: apt-get install zip)" >&2; exit 1; }
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
bundle=$out/awork-mcp-$version.mcpb
rm -f "$bundle"  # zip adds to an archive that exists
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | TZ=UTC zip -q -X -D -9 -@ "$bundle")
if ! diff <(unzip -Z1 "$packed" | grep -v '/$' | LC_ALL=C sort) <(unzip -Z1 "$bundle") >&2; then
  echo "make-bundle: mcpb pack packed other files than $stage holds (above: < mcpb's, > ours)" >&2
  exit 1
fi
rm -f "$packed"

echo "== make-bundle: checking the bundle (mcpb unpack, validate, contents, execute bits)" >&2
unpacked=$work/unpacked
"$mcpb" unpack "$bundle" "$unpacked" >&2
"$mcpb" validate "$unpacked/manifest.json" >&2
if ! diff -r "$stage" "$unpacked" >&2; then
  echo "make-bundle: the unpacked bundle differs from what was laid out in $stage" >&2
  exit 1
fi
while IFS= read -r -d '' file; do
  relative=${file#"$unpacked"/}
  want=644
  [[ $relative == server/* ]] && want=755
  mode=$(stat -c %a "$file")
  [[ $mode == "$want" ]] || { echo "make-bundle: $relative unpacked with mode $mode, not $want" >&2; exit 1; }
done < <(find "$unpacked" -type f -print0)
rm -rf "$unpacked"

echo "== make-bundle: mcpb info" >&2
"$mcpb" info "$bundle"
echo "platforms: ${included[*]}"
echo "sha256: $(sha256sum "$bundle" | cut -d' ' -f1)"
echo "$bundle"
