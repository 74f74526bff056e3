#!/usr/bin/env bash
# Builds the packages (scripts/package.sh), then installs the .deb with dpkg -i into a clean
# Debian 12 root (debootstrap --variant=minbase bookworm: no compiler, no libraries beyond the
# base system) and checks it there, in a chroot:
#   - dpkg -i succeeds (its Depends are met by the bare base system)
#   - `awork-mcp --version` prints the package's version
#   - the man page and the documents are where they belong
#   - one end-to-end exchange: initialize, notifications/initialized and tools/call through the
#     installed awork-mcp to an MCP server on 127.0.0.1 (build/release/bench/bench_upstream, run
#     on this side: a chroot shares the network)
#   - the .tar.gz's binary runs there too
#   - dpkg -r removes it all
# and ends with "package: N passed, M failed", exiting non-zero if any check failed. Mounts,
# the server and the root are removed on every exit, failed or not.
#
# The base root is made once and cached in /var/cache/awork-mcp/bookworm-minbase.tar (the mirror
# is read from /etc/apt/sources.list.d/debian.sources); delete that file to make it anew.
# Needs root (debootstrap, mount, chroot). AWORK_MCP_KEEP_ROOT=1 keeps the root for a look inside.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[[ $(id -u) -eq 0 ]] || { echo "test-package.sh: needs root (debootstrap, mount, chroot)" >&2; exit 2; }

passed=0
failed=0
results=()
finish() {
  echo
  echo "== package summary"
  ((${#results[@]})) && printf '%s\n' "${results[@]}"
  echo "package: $passed passed, $failed failed"
  ((failed == 0))
  exit
}
record() {  # record NAME STATUS
  if (($2 == 0)); then
    passed=$((passed + 1))
    results+=("passed  $1")
  else
    failed=$((failed + 1))
    results+=("FAILED  $1")
  fi
}
# check NAME COMMAND...: runs it, records one line, shows its output if it failed.
check() {
  local name=$1 out status
  shift
  out=$("$@" 2>&1)
  status=$?
  record "$name" $status
  if ((status == 0)); then
    echo "ok: $name"
  else
    echo "-- $name failed (exit $status):" >&2
    printf '%s\n' "$out" | tail -n 30 >&2
  fi
  return $status
}

# ---- the packages ---------------------------------------------------------------------------
echo "== package: building the packages"
scripts/package.sh
status=$?
record "scripts/package.sh builds a .deb and a .tar.gz" $status
((status == 0)) || finish
shopt -s nullglob
debs=(build/packages/awork-mcp_*.deb)
tarballs=(build/packages/awork-mcp-*.tar.gz)
deb=${debs[0]}
tarball=${tarballs[0]}
version=$(dpkg-deb -f "$deb" Version)
echo "$deb, $tarball (version $version; Depends: $(dpkg-deb -f "$deb" Depends))"
upstream=build/release/bench/bench_upstream
cmake --build build/release --target bench_upstream -j"$(nproc)" >/dev/null || { check "build bench_upstream" false; finish; }

# ---- the clean root -------------------------------------------------------------------------
cache_dir=/var/cache/awork-mcp
cache=$cache_dir/bookworm-minbase.tar
work=$(mktemp -d /tmp/awork-mcp-package-test.XXXXXX)
chroot_dir=$work/root
upstream_pid=
# What this script mounts in the root, and what debootstrap mounts while it works (a failed
# debootstrap can leave them behind). Innermost first.
mounts=("$chroot_dir/proc" "$chroot_dir/dev" "$work/base/proc" "$work/base/sys" "$work/base/dev/pts" "$work/base/dev")

cleanup() {
  [[ -n $upstream_pid ]] && kill "$upstream_pid" 2>/dev/null && wait "$upstream_pid" 2>/dev/null
  local still_mounted=0 m
  for m in "${mounts[@]}"; do
    if mountpoint -q "$m" 2>/dev/null; then
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
      mountpoint -q "$m" 2>/dev/null && still_mounted=1
    fi
  done
  if ((still_mounted)); then
    # Never delete through a mount that is still there (it would reach the host's /dev).
    echo "test-package.sh: could not unmount everything under $chroot_dir; left in place" >&2
  elif [[ ${AWORK_MCP_KEEP_ROOT:-0} == 1 ]]; then
    echo "the root is kept in $chroot_dir (remove it with: rm -rf --one-file-system $work)" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f $cache ]]; then
  echo "== package: making a clean Debian 12 root with debootstrap (once; cached in $cache)"
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
  mkdir -p "$cache_dir" "$work/base"
  if ! debootstrap --variant=minbase bookworm "$work/base" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    check "debootstrap --variant=minbase bookworm" false
    finish
  fi
  tar -C "$work/base" -cf "$cache.tmp.$$" . && mv "$cache.tmp.$$" "$cache"
  rm -rf --one-file-system "$work/base"
fi
echo "== package: installing $deb into a clean Debian 12 root ($chroot_dir)"
mkdir -p "$chroot_dir"
tar -C "$chroot_dir" -xf "$cache" || { check "unpack the cached root" false; finish; }
mount -t proc proc "$chroot_dir/proc" && mount --bind /dev "$chroot_dir/dev" ||
  { check "mount /proc and /dev in the root" false; finish; }
cp "$deb" "$chroot_dir/tmp/"
mkdir -p "$chroot_dir/opt/tarball" && tar -C "$chroot_dir/opt/tarball" -xzf "$tarball" --strip-components=1

# Runs a shell command in the root, as a fresh login would, with nothing from this environment.
in_root() {
  chroot "$chroot_dir" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 /bin/sh -c "$1"
}

check "dpkg -i $(basename "$deb") in a minbase root" in_root "dpkg -i /tmp/$(basename "$deb")"
check "awork-mcp --version prints 'awork-mcp $version (commit …)'" \
  in_root "out=\$(awork-mcp --version) && echo \"\$out\" && case \"\$out\" in 'awork-mcp $version (commit '?*')') ;; *) false ;; esac"
check "awork-mcp --help lists --url" in_root "awork-mcp --help | grep -q -- '--url'"
# minbase has no man-db: the page must be where man looks, and be the page.
check "man page /usr/share/man/man1/awork-mcp.1.gz" \
  in_root "if command -v man >/dev/null; then man -w awork-mcp; fi &&
           zcat /usr/share/man/man1/awork-mcp.1.gz | grep -q '^\.TH AWORK-MCP 1'"
check "README, copyright and examples in /usr/share/doc/awork-mcp" \
  in_root "test -s /usr/share/doc/awork-mcp/README.md && test -s /usr/share/doc/awork-mcp/copyright &&
           grep -q '/usr/bin/awork-mcp' /usr/share/doc/awork-mcp/examples/claude_desktop_config.json"

# ---- one exchange through the installed bridge ----------------------------------------------
"$upstream" --mode json >"$work/upstream.out" 2>"$work/upstream.err" &
upstream_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$work/upstream.out")
  [[ -n $port ]] && break
  sleep 0.1
done
exchange() {
  [[ -n $port ]] || { echo "bench_upstream did not start: $(cat "$work/upstream.err")"; return 1; }
  local out
  out=$(in_root "printf '%s\n' \
    '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test-package\",\"version\":\"1\"}}}' \
    '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}' \
    '{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hello from the package\"}}}' |
    timeout 30 awork-mcp --url http://127.0.0.1:$port/mcp") || { echo "awork-mcp failed: $out"; return 1; }
  echo "$out" | tee "$work/exchange.out"
  grep -q '"id":1,"result":{"protocolVersion":"2025-06-18".*"serverInfo":{"name":"bench-upstream"' <<<"$out" &&
    grep -q '"id":2,"result":{"content":\[{"type":"text","text":"hello from the package"}\]}' <<<"$out" &&
    [[ $(wc -l <<<"$out") -eq 2 ]]
}
check "initialize + tools/call through the installed awork-mcp to 127.0.0.1" exchange &&
  cut -c1-150 "$work/exchange.out" | sed 's/^/    /'

check "the .tar.gz's bin/awork-mcp runs in the root" \
  in_root "case \"\$(/opt/tarball/bin/awork-mcp --version)\" in 'awork-mcp $version (commit '?*')') ;; *) false ;; esac &&
           test -s /opt/tarball/share/man/man1/awork-mcp.1.gz && test -s /opt/tarball/share/doc/awork-mcp/copyright"
check "dpkg -r awork-mcp removes the binary and the man page" \
  in_root "dpkg -r awork-mcp && ! test -e /usr/bin/awork-mcp && ! test -e /usr/share/man/man1/awork-mcp.1.gz"
finish
