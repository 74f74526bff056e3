#!/usr/bin/env bash
# Installs what is missing, builds the release binary (build/release/awork-mcp) and runs it.
# Arguments go to the bridge; by default it talks to awork with the key in AWORK_API_KEY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >&2
exec "$root/build/release/awork-mcp" "$@"
