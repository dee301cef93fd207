#!/usr/bin/env bash
# DeviceShim's demo: builds the release products, lists the devices, explains the policy,
# then shows redirection and its records from a Swift program and from a native C program
# run under the LD_PRELOAD launcher.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"
source "$root/scripts/mkl-environment.sh"
swift build -c release 2>&1 | grep -E "error|warning:|Build complete" || true
bin="$(swift build -c release --show-bin-path)"
work="$root/.build/demo"
mkdir -p "$work"

echo
echo "== 1. The devices this machine has (deviceshim-cli devices)"
"$bin/deviceshim-cli" devices

echo
echo "== 2. Where requests go under the default policy, and under one that names software devices"
"$bin/deviceshim-cli" policy explain
"$bin/deviceshim-cli" policy explain "cuda=vulkan,opencl,cpu;mps=opencl,cpu" --request cuda:0 --request mps

echo
echo "== 3. A Swift program asks for cuda:0 and mps (DEVICESHIM_LOG=info): each decision is logged"
echo "      with the rule that made it and the Swift file:line that asked"
DEVICESHIM_LOG=info "$bin/deviceshim-cli" demo

echo
echo "== 4. A CUDA program built with gcc against NVIDIA's headers and linked to NVIDIA's real"
echo "      libcudart.so.12 and libcublas.so.12 (Examples/cuda_demo.c). On its own it fails here:"
cuda="$root/third_party/cuda"
gcc -g -O1 -I "$cuda/include" Examples/cuda_demo.c -o "$work/cuda_demo" "$cuda/lib/libcudart.so.12" "$cuda/lib/libcublas.so.12" -lm
LD_LIBRARY_PATH="$cuda/lib" "$work/cuda_demo" || true
echo "      Under preload/deviceshim-run (DEVICESHIM_LOG=info; NVIDIA's libraries not on the path: the"
echo "      launcher's drop-in sonames stand in for them) it runs, and says where cuda:0 went:"
DEVICESHIM_LOG=info preload/deviceshim-run "$work/cuda_demo"
echo "      At DEVICESHIM_LOG=debug every call is a record; the calls it made, counted:"
DEVICESHIM_LOG=debug DEVICESHIM_LOG_FORMAT=json preload/deviceshim-run "$work/cuda_demo" 2>&1 >/dev/null \
  | python3 -c "import collections,json,sys; c=collections.Counter(json.loads(l)['api'] for l in sys.stdin if l.startswith('{')); print('      ' + ', '.join(f'{k} x{v}' for k,v in sorted(c.items())))"
echo "      The same binary, unchanged, with cuda:0 sent to the OpenCL and the Vulkan device"
echo "      (PoCL and lavapipe here; a GPU's driver elsewhere) by DEVICESHIM_POLICY:"
for backend in opencl vulkan; do
  DEVICESHIM_POLICY="cuda=$backend,cpu" DEVICESHIM_LOG=info preload/deviceshim-run "$work/cuda_demo" 2>&1 \
    | grep -E "cudaGetDeviceProperties_v2 cuda:0 -> |SGEMM|copying past" | grep -v "emulated:"
done

echo
echo "== 5. A C program that does not link DeviceShim, under preload/deviceshim-run"
echo "      (DEVICESHIM_LOG=trace): records name the native caller, object and file:line"
gcc -g -O0 -I include Examples/log_demo.c -o "$work/log_demo" -ldl
DEVICESHIM_LOG=trace preload/deviceshim-run "$work/log_demo"

echo
echo "== 6. The same as JSON lines, with a Chrome trace written at exit"
DEVICESHIM_LOG=debug DEVICESHIM_LOG_FORMAT=json DEVICESHIM_TRACE_FILE="$work/trace.json" \
  preload/deviceshim-run "$work/log_demo" 2>&1 >/dev/null | head -n 2
python3 -c "import json,sys; events=json.load(open(sys.argv[1])); print(f'{sys.argv[1]}: valid JSON, {len(events)} events (open it in ui.perfetto.dev)')" "$work/trace.json"

echo
echo "== 7. A bad setting: one warning, and logging goes on with the default"
DEVICESHIM_LOG=loud preload/deviceshim-run "$work/log_demo" >/dev/null
