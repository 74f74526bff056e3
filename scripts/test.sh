#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test twice: once with warnings as
# errors, once under AddressSanitizer + UndefinedBehaviorSanitizer.
# Set AWORK_MCP_SKIP_SANITIZE=1 to run the first pass only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --tests
scripts/install-test-peers.sh
jobs=$(nproc)

echo "== build and test (warnings are errors)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs"

if [[ ${AWORK_MCP_SKIP_SANITIZE:-0} != 1 ]]; then
  echo "== build and test under ASan + UBSan"
  cmake --preset ci-sanitize >/dev/null
  cmake --build --preset ci-sanitize -j"$jobs"
  ctest --preset ci-sanitize -j"$jobs"
fi
