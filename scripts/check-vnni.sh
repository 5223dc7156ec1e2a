#!/usr/bin/env bash
# The AVX-512 VNNI path of the reference checked for exactness on any x86-64 host, VNNI or not: builds
# native/check/vnni_emulated.cc with native/src/gemm_vnni.cc compiled against SIMDe (Debian's
# libsimde-dev, portable implementations of the AVX-512 intrinsics) and runs it. The other sources are
# compiled as the addon compiles them. Speed means nothing here; only the integers are checked.
# Exit 0 = every product equal; 1 = a difference (printed); 2 = SIMDe or the compiler missing.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX="${CXX:-g++}"
if [ "$(uname -m)" != "x86_64" ]; then
  echo "check-vnni: the VNNI path exists only on x86-64 (this is $(uname -m))" >&2
  exit 2
fi
if [ ! -f /usr/include/simde/x86/avx512.h ]; then
  echo "check-vnni: SIMDe not found (apt-get install libsimde-dev)" >&2
  exit 2
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# AddressSanitizer: a load past the end of x or w (the last row's k tail) must stop the run. The
# emulated file is built without optimisation: GCC takes 20 s to optimise SIMDe's AVX-512 code.
FLAGS=(-O1 -fsanitize=address -fno-omit-frame-pointer -std=c++17 -fexceptions -ffp-contract=off -Wall -Wextra -Wno-unused-parameter -Wno-psabi -Inative/src)
"$CXX" "${FLAGS[@]}" -O0 -c native/src/gemm_vnni.cc -DA8W8_EMULATE_AVX512 -o "$OUT/gemm_vnni.o"
for f in gemm_portable gemm_scalar gemm_avx2 gemm_avx2_few gemm_avx2_many thread_pool; do
  "$CXX" "${FLAGS[@]}" -c "native/src/$f.cc" -o "$OUT/$f.o" &
done
wait
"$CXX" "${FLAGS[@]}" native/check/vnni_emulated.cc "$OUT"/*.o -fsanitize=address -pthread -o "$OUT/vnni_emulated"
"$OUT/vnni_emulated"
