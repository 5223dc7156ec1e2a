#!/usr/bin/env bash
# One idempotent setup for a fresh Debian machine: Debian packages first, only when
# missing, because the addon's build looks for oneDNN; then `npm ci`, which builds native/.
# Safe to run again: it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project needs:
#   libdnnl-dev      oneDNN: the reference's int32 GEMM (probed for exactness at load)
#   python3-torch    real PyTorch for the torch-npu worker's tests (with the stand-in torch_npu)
#   python3-numpy    the worker's host-side arrays
#   chromium         the HTML report's browser test (driven by playwright-core)
#   g++-aarch64-linux-gnu  checks that the portable C++ path compiles for Kunpeng hosts
#   libsimde-dev     portable AVX-512 intrinsics: scripts/check-vnni.sh checks the VNNI path on any x86-64
#   fonts-noto-cjk   a CJK font, so that the HTML report's screenshots render Chinese text
#   g++, make        node-gyp builds the addon with them; g++ brings gcc's libasan and libubsan,
#                    which scripts/test-asan.sh (npm run test:integration) builds and runs with
PKGS=(libdnnl-dev python3-torch python3-numpy chromium g++-aarch64-linux-gnu libsimde-dev fonts-noto-cjk g++ make)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present: ${PKGS[*]}"
fi

# npm ci builds the addon (node-gyp) and compiles nothing else; npm's bundled node-gyp is used.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund 2>&1 | grep -v 'Unknown user config "nodedir"' || true
  test -d node_modules
fi
npm run --silent build
