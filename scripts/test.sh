#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (scripts/setup.sh), checks
# that a release build has no warnings, builds every product (the tests compile C programs
# against libdeviceshim.so), then runs the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"
source "$root/scripts/mkl-environment.sh"

echo "== generated sources are current"
python3 "$root/scripts/generate-cuda-errors.py" --check
"$root/scripts/compile-shaders.sh" --check
if ! python3 -c "import torch" 2>/dev/null; then
  echo "test: installing PyTorch's CPU build (the tensor references' generator)"
  python3 -m pip install -q numpy "torch==2.13.0+cpu"
fi
python3 "$root/scripts/generate-tensor-references.py" --check

# setup.sh installed PoCL and lavapipe: a backend that does not compute here is a failure
# (TensorDevices), not a reason to run fewer tests.
export DEVICESHIM_TEST_BACKENDS="${DEVICESHIM_TEST_BACKENDS:-cpu,opencl,vulkan}"

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
# glibc fills freed memory with 0x30 bytes (and fresh allocations with 0xcf): code that reads
# host memory after it was freed (a copy enqueued from a dead array) then sees garbage and
# fails its test, instead of passing by luck while the old bytes happen to survive.
export MALLOC_PERTURB_="${MALLOC_PERTURB_:-48}"
swift test --skip-build
# The CPU GEMM runs on one BLAS per process: MKL by default on Intel CPUs, OpenBLAS elsewhere
# (with DeviceShim's own tiles for batches of small float32 and float64 GEMMs). Run its tests
# again with the other one, so every machine checks both paths.
if [ -n "${DEVICESHIM_MKL_LIBRARY:-}" ]; then
  other=mkl
  if grep -q GenuineIntel /proc/cpuinfo; then other=openblas; fi
  echo "== CPU GEMM tests again with DEVICESHIM_BLAS=$other"
  DEVICESHIM_BLAS=$other swift test --skip-build --filter CPUGemmTests
fi
