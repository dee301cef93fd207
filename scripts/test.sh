#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (scripts/setup.sh), checks
# that a release build has no warnings, builds every product (the tests compile C programs
# against libdeviceshim.so), then runs the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"
# Intel oneMKL, unpacked by scripts/setup.sh, for the CPU backend's GEMM (Sources/CBLAS).
mkl_library="$root/third_party/mkl/lib/libmkl_rt.so.2"
[ -n "${DEVICESHIM_MKL_LIBRARY:-}" ] || [ ! -f "$mkl_library" ] || export DEVICESHIM_MKL_LIBRARY="$mkl_library"

echo "== generated sources are current"
python3 "$root/scripts/generate-cuda-errors.py" --check
"$root/scripts/compile-shaders.sh" --check

echo "== release build (warnings fail the run)"
release_log="$(mktemp)"
swift build -c release 2>&1 | tee "$release_log" | grep -E "error|warning:|Compiling|Build complete" || true
if grep -q "warning:" "$release_log"; then
  echo "test.sh: the release build has warnings (see above)" >&2
  exit 1
fi
rm -f "$release_log"

echo "== debug build with tests"
swift build --build-tests
echo "== tests"
swift test --skip-build
