#!/usr/bin/env bash
# The portable C++ of native/src must compile for aarch64 (Kunpeng hosts). Compiles every source with
# Debian's cross compiler (g++-aarch64-linux-gnu) to an object, with the flags of binding.gyp and without
# oneDNN; the x86 SIMD files compile to their portable stubs there. Exit 0 = all compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX="${AARCH64_CXX:-aarch64-linux-gnu-g++}"
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "check-aarch64: $CXX not found (apt-get install g++-aarch64-linux-gnu)" >&2
  exit 2
fi
NAPI_INC="$(node -p "require('node-addon-api').include_dir")"
NODE_INC="${NODE_INCLUDE_DIR:-/usr/include/node}"
[ -f "$NODE_INC/node_api.h" ] || NODE_INC="$(dirname "$(dirname "$(command -v node)")")/include/node"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
FLAGS=(-c -O2 -std=c++17 -fexceptions -ffp-contract=off -Wall -Wextra -Wno-unused-parameter
  -DNAPI_VERSION=8 -DNAPI_DISABLE_CPP_EXCEPTIONS -I"$NAPI_INC" -I"$NODE_INC" -Inative/src)
compile() { "$CXX" "${FLAGS[@]}" "$1" -o "$OUT/$(basename "$1" .cc).o" || { echo "check-aarch64: FAILED $1" >&2; return 1; }; }
export CXX OUT
status=0
# two at a time: the sources are independent
ls native/src/*.cc | xargs -P 2 -I{} bash -c "$(declare -p FLAGS); $(declare -f compile); compile {}" || status=1
[ $status -eq 0 ] && echo "check-aarch64: $(ls native/src/*.cc | wc -l) sources compiled for aarch64 with $CXX"
exit $status
