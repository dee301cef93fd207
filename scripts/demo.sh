#!/usr/bin/env bash
# DeviceShim's demo: builds the release products, lists the devices, explains the policy,
# then shows redirection and its records from a Swift program and from a native C program
# run under the LD_PRELOAD launcher.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"
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
echo "== 4. A C program that does not link DeviceShim, under preload/deviceshim-run"
echo "      (DEVICESHIM_LOG=trace): records name the native caller, object and file:line"
gcc -g -O0 -I include Examples/log_demo.c -o "$work/log_demo" -ldl
DEVICESHIM_LOG=trace preload/deviceshim-run "$work/log_demo"

echo
echo "== 5. The same as JSON lines, with a Chrome trace written at exit"
DEVICESHIM_LOG=debug DEVICESHIM_LOG_FORMAT=json DEVICESHIM_TRACE_FILE="$work/trace.json" \
  preload/deviceshim-run "$work/log_demo" 2>&1 >/dev/null | head -n 2
python3 -c "import json,sys; events=json.load(open(sys.argv[1])); print(f'{sys.argv[1]}: valid JSON, {len(events)} events (open it in ui.perfetto.dev)')" "$work/trace.json"

echo
echo "== 6. A bad setting: one warning, and logging goes on with the default"
DEVICESHIM_LOG=loud preload/deviceshim-run "$work/log_demo" >/dev/null
