#if canImport(Glibc)
import Glibc
#endif

// deviceshim-benchmarks GROUP...
//
// Each group measures DeviceShim against a peer in the same run and prints one table.
// A new group is a file with a `run()` function plus one entry in `groups` below.
// Build and run in release mode:
//   swift build -c release --product deviceshim-benchmarks
//   .build/release/deviceshim-benchmarks log

/// The benchmark groups, by the name given on the command line.
let groups: [(name: String, summary: String, run: () -> Void)] = [
    ("log", "redirection log: disabled sites, file records, native caller capture", LogBenchmarks.run),
    ("devices", "CPU backend: float32 GEMM, 16M add/mul/sum, against numpy and PyTorch (CPU)", DeviceBenchmarks.run),
    ("opencl", "OpenCL backend: SGEMM against CLBlast on the same device, add, copies, launch latency", OpenCLBenchmarks.run),
    ("vulkan", "Vulkan backend vs CPU backend: SGEMM, add, host<->device copies, launch latency", VulkanBenchmarks.run),
    ("tensor", "tensor engine per backend: matmul, element-wise, reductions, softmax, a chain, against PyTorch (CPU)", TensorBenchmarks.run),
]

@MainActor
func usage() -> String {
    "usage: deviceshim-benchmarks GROUP... | all\ngroups:\n"
        + groups.map { "  \($0.name)  \($0.summary)" }.joined(separator: "\n")
}

let requested = Array(CommandLine.arguments.dropFirst())
if requested.isEmpty || requested.contains(where: { $0 == "-h" || $0 == "--help" }) {
    print(usage())
    exit(requested.isEmpty ? 2 : 0)
}
let names = requested == ["all"] ? groups.map(\.name) : requested
if let unknown = names.first(where: { name in !groups.contains { $0.name == name } }) {
    var message = "deviceshim-benchmarks: unknown group \"\(unknown)\"\n\(usage())\n"
    message.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(2)
}

print(Report.machineHeader())
for name in names {
    groups.first { $0.name == name }!.run()
}
// Reading the sink keeps every store to it (and the work behind them) alive.
print("\n(checksum \(blackHoleSink))")
