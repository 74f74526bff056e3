#!/usr/bin/env bash
# Installs the Debian 12 packages the bridge builds with (only those missing). Needs root.
#   --tests    also what the tests need (GoogleTest, openssl, node/npm for `npm ci`, groff for the
#              man page's test, and clang with its libFuzzer runtime for scripts/fuzz.sh)
#   --fuzz     also clang and its libFuzzer runtime
#   --libcxx   also clang and LLVM's libc++ (scripts/test-libcxx.sh)
#   --package  also what makes and checks the packages: dpkg-shlibdeps, file (CPack's .deb generator
#              runs it to find the binaries whose libraries it lists), debootstrap (scripts/package.sh,
#              scripts/test-package.sh)
#   --only P...  only the packages named after it (the other scripts' own tools: cross compilers,
#              wine, zip...); a name with an architecture (libssl-dev:arm64) adds that architecture
#              to dpkg first (multiarch)
# Several may be given (--only last).
# apt's output goes to build/install-deps.log and is shown only when the install fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
packages=(build-essential cmake ninja-build g++ libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
          libssl-dev libspdlog-dev libcli11-dev)
fuzz_packages=(clang libclang-rt-14-dev)
only=0
while (($#)); do
  option=$1; shift
  case $option in
    --only) packages=("$@"); only=1; break ;;
    --tests) packages+=(libgtest-dev openssl nodejs npm groff-base "${fuzz_packages[@]}") ;;
    --fuzz) packages+=("${fuzz_packages[@]}") ;;
    --libcxx) packages+=(clang libc++-14-dev libc++abi-14-dev) ;;
    --package) packages+=(dpkg-dev file debootstrap) ;;
    *) echo "install-deps.sh: unknown option $option" >&2; exit 2 ;;
  esac
done
((only == 0 || ${#packages[@]})) || { echo "install-deps.sh: --only needs package names" >&2; exit 2; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian's packages; any working node will do (it
# only runs `npm ci`: the tests run on the Node 22 that scripts/install-test-peers.sh installs).
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  mkdir -p "$root/build"
  log=$root/build/install-deps.log
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  for p in "${missing[@]}"; do
    [[ $p == *:* ]] || continue
    arch=${p##*:}
    if [[ $arch != "$(dpkg --print-architecture)" ]] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      "${sudo_cmd[@]}" dpkg --add-architecture "$arch"
    fi
  done
  if ! { "${sudo_cmd[@]}" apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
       } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps.sh: installing ${missing[*]} failed (apt's output above, also in $log)" >&2
    exit 1
  fi
  echo "installed (apt's output: $log)" >&2
fi
