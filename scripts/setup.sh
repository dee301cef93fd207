#!/usr/bin/env bash
# Installs everything DeviceShim needs on a fresh Debian 12 machine, idempotently:
# the Debian packages (system libraries, OpenCL/Vulkan loaders and CPU drivers) and
# NVIDIA's CUDA headers and real libraries from PyPI wheels, unpacked into
# third_party/cuda (git-ignored). Safe to run again: it only does what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(
  libunwind-dev libdw-dev libopenblas-dev
  ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo libclblast-dev
  libvulkan-dev mesa-vulkan-drivers glslc vulkan-tools
  gcc python3-pip unzip
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# CUDA 12 headers and NVIDIA's real runtime libraries (used by tests to link C programs
# exactly as a user's binary would be linked). Only the files we use are unpacked.
cuda="$root/third_party/cuda"
wheels="$root/third_party/wheels"
stamp="$cuda/.complete-v1"
if [ ! -f "$stamp" ]; then
  mkdir -p "$wheels" "$cuda/include" "$cuda/lib"
  py="$(command -v python3)"
  for w in nvidia-cuda-runtime-cu12 nvidia-cuda-nvcc-cu12 nvidia-cuda-cccl-cu12 nvidia-cublas-cu12; do
    ls "$wheels"/"${w//-/_}"-*.whl >/dev/null 2>&1 || {
      echo "setup: fetching $w"
      "$py" -m pip download -q --no-deps --only-binary=:all: -d "$wheels" "$w"
    }
  done
  "$py" - "$wheels" "$cuda" <<'PY'
import sys, zipfile, pathlib, re
wheels, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wanted = [
    (r"nvidia/cuda_runtime/include/(.+)", "include"),
    (r"nvidia/cuda_runtime/lib/(libcudart\.so\.12)$", "lib"),
    (r"nvidia/cuda_nvcc/include/(crt/.+)", "include"),
    (r"nvidia/cuda_cccl/include/(nv/.+)", "include"),
    (r"nvidia/cublas/include/(.+)", "include"),
    (r"nvidia/cublas/lib/(libcublas(Lt)?\.so\.12)$", "lib"),
]
for wheel in sorted(wheels.glob("*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            for pattern, folder in wanted:
                m = re.match(pattern, name)
                if m:
                    target = out / folder / m.group(1)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(name) as src, open(target, "wb") as dst:
                        dst.write(src.read())
PY
  touch "$stamp"
  echo "setup: CUDA headers and libraries in $cuda"
fi

# Intel oneMKL from its PyPI wheel, for the CPU backend's GEMM on Intel CPUs (the loader in
# Sources/CBLAS takes it when DEVICESHIM_MKL_LIBRARY names it; scripts and the launcher set
# that to this folder). Only the LP64 interface, the GNU OpenMP threading layer, the core,
# the AVX2 / AVX-512 kernels and the generic ones MKL takes on AMD CPUs are unpacked (279 MB
# of the wheel's 560). Without it, or off x86-64, OpenBLAS serves, so a failed download is a
# warning, not an error.
mkl="$root/third_party/mkl"
mkl_version="2025.2.0"
mkl_stamp="$mkl/.complete-$mkl_version-gnu-def"
if [ ! -f "$mkl_stamp" ] && [ "$(uname -m)" = x86_64 ]; then
  mkl_wheels="$root/third_party/wheels/mkl"
  rm -rf "$mkl/lib"
  mkdir -p "$mkl_wheels" "$mkl/lib"
  py="$(command -v python3)"
  if ls "$mkl_wheels"/mkl-"$mkl_version"-*.whl >/dev/null 2>&1 \
    || { echo "setup: fetching mkl $mkl_version"; "$py" -m pip download -q --no-deps --only-binary=:all: -d "$mkl_wheels" "mkl==$mkl_version"; }; then
    "$py" - "$mkl_wheels" "$mkl/lib" <<'PY'
import sys, zipfile, pathlib
wheels, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
# libmkl_def: the kernels MKL loads on CPUs that are not Intel's (AMD EPYC), where it asks
# for them even though the CPU backend then prefers OpenBLAS (DEVICESHIM_BLAS=mkl forces MKL).
wanted = {"libmkl_rt.so.2", "libmkl_core.so.2", "libmkl_intel_lp64.so.2", "libmkl_gnu_thread.so.2",
          "libmkl_avx2.so.2", "libmkl_avx512.so.2", "libmkl_def.so.2"}
for wheel in sorted(wheels.glob("mkl-*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if pathlib.PurePosixPath(name).name in wanted:
                target = out / pathlib.PurePosixPath(name).name
                with z.open(name) as src, open(target, "wb") as dst:
                    dst.write(src.read())
                target.chmod(0o755)
PY
    touch "$mkl_stamp"
    echo "setup: Intel oneMKL $mkl_version in $mkl/lib"
  else
    echo "setup: warning: mkl $mkl_version could not be fetched; the CPU backend's GEMM uses OpenBLAS" >&2
  fi
fi
