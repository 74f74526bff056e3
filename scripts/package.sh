#!/usr/bin/env bash
# Builds the release binary (preset release, in build/release) and packs it with CPack into
# build/packages/: a .deb (awork-mcp_<version>_<arch>.deb, installs under /usr) and a .tar.gz
# (awork-mcp-<version>-linux-<arch>.tar.gz: bin/, share/man/, share/doc/ in one top folder),
# each with a .sha256 beside it. Prints the files, their sizes and the .deb's Depends.
# The packaging itself is packaging/install.cmake; scripts/test-package.sh checks the result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --package

echo "== package: building the release binary (build/release)" >&2
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >&2

echo "== package: cpack (DEB, TGZ) into build/packages" >&2
out=$root/build/packages
mkdir -p "$out"
rm -rf "$out"/awork-mcp[-_]* "$out/_CPack_Packages"
# CPack builds the release tree's other targets (the benchmark tools) before it installs.
if ! (cd build/release && cpack -G "DEB;TGZ" -B "$out") >build/release/cpack.log 2>&1; then
  cat build/release/cpack.log >&2
  echo "package: cpack failed (its output above, also in build/release/cpack.log)" >&2
  exit 1
fi
rm -rf "$out/_CPack_Packages"

shopt -s nullglob
packages=("$out"/awork-mcp_*.deb "$out"/awork-mcp-*.tar.gz)
((${#packages[@]} == 2)) || { echo "package: expected one .deb and one .tar.gz in $out" >&2; exit 1; }
for f in "${packages[@]}"; do
  printf '%-60s %8s  (%s bytes)\n' "${f#"$root"/}" "$(numfmt --to=iec --suffix=B "$(stat -c %s "$f")")" "$(stat -c %s "$f")"
done
echo "Depends: $(dpkg-deb -f "$out"/awork-mcp_*.deb Depends)"
