#!/usr/bin/env bash
# Installs the real MCP peers the tests run against (the reference server, the conformance
# suite, the TypeScript SDK and a Node 22 binary for the suite) from the npm registry, unless
# the installed tree was made from this very lock file (npm's own copy of it never matches byte
# for byte, so a stamp of our own says so).
set -euo pipefail
cd "$(dirname "$0")/../tests/peers"
stamp=node_modules/.installed-from-lock.sha256
if [[ -f $stamp ]] && sha256sum --quiet -c "$stamp" 2>/dev/null; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
sha256sum package-lock.json >"$stamp"
