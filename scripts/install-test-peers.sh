#!/usr/bin/env bash
# Installs the real MCP peers the tests run against (the reference server, the conformance
# suite, the TypeScript SDK and a Node 22 binary for the suite) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../tests/peers"
if [[ -f node_modules/.package-lock.json ]] && cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
