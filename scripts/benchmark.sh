#!/usr/bin/env bash
# Runs benchmark groups against their peers: scripts/benchmark.sh GROUP... (or `all`).
#
# Installs what is missing, idempotently: the system libraries (scripts/setup.sh) and, for
# the `devices` and `tensor` groups' peers, numpy and PyTorch's CPU build (torch==2.13.0+cpu, found in
# the wheel folder pip is configured with) — only when python3 cannot import them. Then
# builds the benchmarks in release mode and runs the groups.
# DEVICESHIM_SCRATCH_PATH picks SwiftPM's build folder (default .build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if (($# == 0)); then
  echo "usage: scripts/benchmark.sh GROUP... | all   (groups: log, devices, software, cuda, opencl, vulkan, tensor)" >&2
  exit 2
fi

"$root/scripts/setup.sh"
source "$root/scripts/mkl-environment.sh"

if [[ " $* " == *" devices "* || " $* " == *" tensor "* || " $* " == *" all "* ]]; then
  if ! python3 -c "import numpy, torch" 2>/dev/null; then
    echo "benchmark: installing the devices and tensor groups' peers (numpy, torch CPU)"
    python3 -m pip install -q numpy "torch==2.13.0+cpu"
  fi
fi

# `software`: SGEMM on the software OpenCL device (PoCL, through CLBlast) against OpenBLAS on
# the same cores: the measurement behind the default policy passing over software devices.
# `cuda`: the CUDA runtime and cuBLAS C ABI as a CUDA program sees it. A C program built
# against NVIDIA's headers and linked against NVIDIA's libcudart.so.12 / libcublas.so.12 runs
# under preload/deviceshim-run with the release libdeviceshim.so; each case is timed next to
# an in-process peer (a call through a function pointer, memcpy, cblas_sgemm). Logging is off
# (the no-op-call target is for DEVICESHIM_LOG=off). The program links OpenBLAS for its peer,
# and DeviceShim is told to use OpenBLAS too (DEVICESHIM_BLAS=openblas; its dlopen finds that
# same library): one library, core type and thread count for both, so the GEMM rows measure
# the shim, not a choice of BLAS.
openblas_coretype() {
  echo "${OPENBLAS_CORETYPE:-$(grep -q avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell)}"
}
# `vulkan`: the Vulkan backend (lavapipe on machines without a GPU) next to the CPU backend in
# one run: SGEMM N=256/512/1024 GFLOP/s, a 4M-element add, 64 MiB host<->device copies and the
# per-launch latency; it runs in the benchmarks binary like `log` and `devices`.
# The CLBlast/OpenBLAS SGEMM peer (Benchmarks/peers/software_device_gemm.c), built once;
# prints its path.
clblast_peer() {
  local peer="$root/.build/software_device_gemm"
  if [[ ! -x "$peer" || "$root/Benchmarks/peers/software_device_gemm.c" -nt "$peer" ]]; then
    mkdir -p "$root/.build"
    gcc -O2 "$root/Benchmarks/peers/software_device_gemm.c" -o "$peer" -lclblast -lOpenCL -lopenblas
  fi
  echo "$peer"
}
groups=()
for group in "$@"; do
  if [[ "$group" == software || "$group" == all ]]; then
    echo "== software: CLBlast on PoCL vs OpenBLAS, GFLOP/s (higher is better)"
    OPENBLAS_CORETYPE="$(openblas_coretype)" "$(clblast_peer)" 256 512 1024
  fi
  if [[ "$group" == cuda || "$group" == all ]]; then
    echo "== cuda: CUDA runtime and cuBLAS C ABI under deviceshim-run vs in-process peers"
    scratch_path="${DEVICESHIM_SCRATCH_PATH:-$root/.build}"
    cuda_log="$(mktemp)"
    if ! swift build -c release --scratch-path "$scratch_path" --product deviceshim >"$cuda_log" 2>&1; then
      cat "$cuda_log" >&2
      rm -f "$cuda_log"
      exit 1
    fi
    grep -E "warning:|Build of product" "$cuda_log" || true
    rm -f "$cuda_log"
    library="$(swift build -c release --scratch-path "$scratch_path" --show-bin-path)/libdeviceshim.so"
    cuda="$root/third_party/cuda"
    peer="$scratch_path/cuda_abi_bench"
    mkdir -p "$scratch_path"
    gcc -O2 -I "$cuda/include" "$root/Benchmarks/peers/cuda_abi_bench.c" -o "$peer" \
      "$cuda/lib/libcudart.so.12" "$cuda/lib/libcublas.so.12" -lopenblas -ldl -lm
    DEVICESHIM_LIBRARY="$library" DEVICESHIM_LOG=off DEVICESHIM_BLAS=openblas \
      OPENBLAS_CORETYPE="$(openblas_coretype)" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$(nproc)}" \
      LD_LIBRARY_PATH="$cuda/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      "$root/preload/deviceshim-run" "$peer"
  fi
  # `opencl`: the OpenCL backend on the first OpenCL device. CLBlast's SGEMM runs first on
  # that device (the `software` group's peer, whose second column is CLBlast); the Swift
  # group reads its numbers from the file DEVICESHIM_CLBLAST_RESULTS names and prints
  # ours/CLBlast next to them.
  if [[ "$group" == opencl || "$group" == all ]]; then
    echo "== opencl: CLBlast SGEMM peer on the same device (N, CLBlast GFLOP/s, OpenBLAS GFLOP/s)"
    clblast_results="$root/.build/clblast_sgemm.txt"
    OPENBLAS_CORETYPE="$(openblas_coretype)" "$(clblast_peer)" 256 512 1024 | tee "$clblast_results"
    export DEVICESHIM_CLBLAST_RESULTS="$clblast_results"
  fi
  [[ "$group" == software || "$group" == cuda ]] || groups+=("$group")
done
((${#groups[@]})) || exit 0
set -- "${groups[@]}"

scratch=(--scratch-path "${DEVICESHIM_SCRATCH_PATH:-$root/.build}")
echo "== release build"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
if ! swift build -c release "${scratch[@]}" --product deviceshim-benchmarks >"$build_log" 2>&1; then
  cat "$build_log" >&2
  exit 1
fi
grep -E "warning:|Build of product" "$build_log" || true
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)"
"$bin/deviceshim-benchmarks" "$@"
