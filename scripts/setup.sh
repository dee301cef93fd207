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
