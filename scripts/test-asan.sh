#!/usr/bin/env bash
# Memory safety of the native reference: builds native/ with AddressSanitizer and UBSan into its own
# directory (build/asan by default, never build/Release, which the normal tests load), then runs the
# reference's native and differential tests against that build once per engine path this host can run.
# Any sanitizer report stops the run with a non-zero exit. Expects the TypeScript compiled (npm run build).
#
# Environment: A8W8_ASAN_DIR (the build directory), CXX (the compiler; its own libasan is preloaded),
# A8W8_DIFF_CASES (random differential cases per epilogue path and run; default here 300, since
# sanitized code is several times slower and every engine path gets its own run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

work=${A8W8_ASAN_DIR:-$root/build/asan}
cxx=${CXX:-g++}
diff_cases=${A8W8_DIFF_CASES:-300}

# node-gyp: on PATH inside `npm run`, else the copy bundled with npm.
if command -v node-gyp >/dev/null 2>&1; then
  gyp=(node-gyp)
else
  gyp=(node "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js")
fi
# npm passes its nodedir (where node's headers are) to node-gyp only inside `npm run`; pass it always.
nodedir=${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}
gyp_args=()
if [ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] && [ "$nodedir" != "null" ]; then gyp_args+=(--nodedir="$nodedir"); fi

# The project is mirrored into $work (binding.gyp copied, sources and node_modules linked) so that
# node-gyp's build/ lands there. -O1 -g keeps the reports' stacks readable.
mkdir -p "$work"
cp binding.gyp "$work/binding.gyp"
ln -sfn "$root/native" "$work/native"
ln -sfn "$root/node_modules" "$work/node_modules"
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
# make rebuilds what changed; a change of compiler or flags (kept in flags.txt) rebuilds everything.
flags="$cxx $sanitize -O1 -g"
step=build
[ -f "$work/build/Makefile" ] && [ "$(cat "$work/flags.txt" 2>/dev/null)" = "$flags" ] || step=rebuild
echo "test-asan: $step of the addon with ${sanitize} in ${work}"
(cd "$work" && CXX="$cxx" CXXFLAGS="$sanitize -O1 -g" LDFLAGS="$sanitize" "${gyp[@]}" "$step" "${gyp_args[@]}" >build.log 2>&1) || {
  cat "$work/build.log"; echo "test-asan: build failed"; exit 1; }
echo "$flags" >"$work/flags.txt"
addon="$work/build/Release/a8w8_ref.node"
[[ "$(ldd "$addon")" == *libasan* ]] || { echo "test-asan: $addon is not linked with libasan"; exit 1; }

# node itself is not instrumented, so the runtime must be the first library loaded: preload the libasan
# of the compiler that built the addon. detect_leaks=0 because node (V8, its isolates, libuv) keeps
# memory alive until exit by design; LeakSanitizer would report those, not the addon's.
libasan=$("$cxx" -print-file-name=libasan.so)
[ -f "$libasan" ] || { echo "test-asan: no libasan.so for $cxx"; exit 1; }

# Every native*.test.js, the differential tests (thousands of random cases through every entry point)
# and the facts. native-gemm checks every portable path the CPU runs, on 1 and 2 threads, and the forced
# oneDNN engine.
tests=(dist/test/reference/native*.test.js dist/test/reference/differential.test.js dist/test/reference/facts.test.js)
for t in "${tests[@]}"; do [ -f "$t" ] || { echo "test-asan: $t missing; run npm run build first"; exit 1; }; done

# Runs node under the sanitizers with extra environment ($@ up to `--`), then the node arguments.
sanitized() {
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" A8W8_ADDON_PATH="$addon" A8W8_DIFF_CASES="$diff_cases" LD_PRELOAD="$libasan" \
    ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 node "$@"
}

# "engine isa" that an environment selects (e.g. "portable avx2"), and why.
engine_of() {
  sanitized "$@" -- -e 'const i = require(process.env.A8W8_ADDON_PATH).engineInfo(); console.log(`${i.engine} ${i.isa}: ${i.reason}`)'
}

mocha=(node_modules/mocha/bin/mocha.js --no-config --require source-map-support/register --timeout 600000)

# The default choice first, with every test.
auto=$(engine_of)
echo "test-asan: run 1, default engine: $auto"
sanitized -- "${mocha[@]}" "${tests[@]}"
runs=1

# Then every other path this host can run, forced by the environment. Those runs leave out the one
# test that checks the default choice follows the oneDNN probe. oneDNN is forced even where its
# probe finds it inexact: its calls are what is checked here, and the fixed-seed cases stay within
# what it computes exactly on such hosts (int16 saturation needs operands the random cases rarely pair).
forced=()
for isa in avx512vnni avx2 scalar; do forced+=("A8W8_REF_ENGINE=portable A8W8_REF_ISA=$isa"); done
grep -q '"onednnLinked":true' <(sanitized -- -p 'JSON.stringify(require(process.env.A8W8_ADDON_PATH).engineInfo())') \
  && forced+=("A8W8_REF_ENGINE=onednn")
for choice in "${forced[@]}"; do
  read -r -a envs <<<"$choice"
  picked=$(engine_of "${envs[@]}")
  if [[ "$picked" == *"env ignored"* ]]; then echo "test-asan: skip $choice: ${picked##*env ignored: }"; continue; fi
  if [ "${picked%%:*}" = "${auto%%:*}" ]; then echo "test-asan: skip $choice: same as the default"; continue; fi
  runs=$((runs + 1))
  echo "test-asan: run $runs, $choice: $picked"
  sanitized "${envs[@]}" -- "${mocha[@]}" --grep 'reports the oneDNN probe and the engine it chose' --invert "${tests[@]}"
done

# The bench's probes, which no test above calls: peak, bandwidth and oneDNN's matmul, on 2 threads.
echo "test-asan: the bench probes"
sanitized -- -e '
  const a = require(process.env.A8W8_ADDON_PATH), assert = require("node:assert/strict");
  const isa = a.engineInfo().bestIsa;
  assert.ok(a.measurePeak(isa, 2, 0.05) >= 0);
  assert.ok(a.measureReadBandwidth(1 << 20, 2, 2) > 0);
  if (a.engineInfo().onednnLinked) {
    const m = 33, n = 17, k = 70, x = new Int8Array(m * k).map((_, i) => (i % 7) - 3), w = new Int8Array(n * k).map((_, i) => (i % 5) - 2);
    assert.deepEqual(a.onednnGemm(x, w, m, n, k, 2), a.gemm(x, [m, k], w, [n, k], 2));
    assert.notEqual(a.onednnImpl(m, n, k), "");
  }'
echo "test-asan: clean ($runs runs of the reference tests and the bench probes)"
