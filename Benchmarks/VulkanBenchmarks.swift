#if canImport(Glibc)
import Glibc
#endif
import DeviceShim

/// `vulkan`: the Vulkan backend next to the CPU backend, one run: float32 GEMM (N = 256, 512,
/// 1024), a 4M-element add, 64 MiB host ↔ device copies, and the latency of one launch
/// (queued: many tiny kernels then one synchronize; round trip: one tiny kernel and
/// synchronize). Each case enqueues on the device's queue and synchronizes, so both backends
/// pay their own queueing. On a machine without a GPU the Vulkan device is lavapipe.
enum VulkanBenchmarks {
    struct Case: Sendable {
        let name: String
        /// Work per operation: flops for GEMM, bytes for copies and adds, nil for latency.
        let work: Double?
        let unit: String
        let repetitions: Int
        let make: @Sendable (any ComputeDevice, any DeviceQueue) throws -> () throws -> Void
    }

    static let addCount = 4 << 20
    static let copyBytes = 64 << 20
    static let launchesPerBatch = 200

    static let cases: [Case] = [256, 512, 1024].map { n in
        Case(name: "sgemm N=\(n)", work: 2 * Double(n * n * n), unit: "GFLOP/s", repetitions: n >= 1024 ? 3 : 7) { device, queue in
            let (a, b, c) = (try filled(device, queue, n * n), try filled(device, queue, n * n), try filled(device, queue, n * n))
            let operation = GemmOperation(dtype: .float32, m: n, n: n, k: n, a: MatrixOperand(a, leadingDimension: n),
                                          b: MatrixOperand(b, leadingDimension: n), c: MatrixOperand(c, leadingDimension: n))
            return { try queue.gemm(operation) }
        }
    } + [
        Case(name: "add 4M float32", work: Double(3 * addCount * 4), unit: "GB/s", repetitions: 7) { device, queue in
            let (a, b, c) = (try filled(device, queue, addCount), try filled(device, queue, addCount), try filled(device, queue, addCount))
            let vector = { (buffer: any DeviceBuffer) in StridedOperand(buffer, dtype: .float32, shape: [addCount]) }
            return { try queue.binary(.add, lhs: vector(a), rhs: vector(b), output: vector(c)) }
        },
        Case(name: "copy host→device 64 MiB", work: Double(copyBytes), unit: "GB/s", repetitions: 7) { device, queue in
            let buffer = try device.allocate(byteCount: copyBytes)
            let host = HostMemory(byteCount: copyBytes)
            return { try queue.copy(from: UnsafeRawPointer(host.address), to: BufferRegion(buffer)) }
        },
        Case(name: "copy device→host 64 MiB", work: Double(copyBytes), unit: "GB/s", repetitions: 7) { device, queue in
            let buffer = try filled(device, queue, copyBytes / 4)
            let host = HostMemory(byteCount: copyBytes)
            return { try queue.copy(from: BufferRegion(buffer), to: host.address) }
        },
        Case(name: "launch, queued (per kernel)", work: nil, unit: "", repetitions: 7) { device, queue in
            let buffer = try filled(device, queue, 1)
            let scalar = StridedOperand(buffer, dtype: .float32, shape: [1])
            return { for _ in 0..<launchesPerBatch { try queue.binary(.add, lhs: scalar, rhs: scalar, output: scalar) } }
        },
        Case(name: "launch + synchronize", work: nil, unit: "", repetitions: 21) { device, queue in
            let buffer = try filled(device, queue, 1)
            let scalar = StridedOperand(buffer, dtype: .float32, shape: [1])
            return { try queue.binary(.add, lhs: scalar, rhs: scalar, output: scalar) }
        },
    ]

    static func run() {
        let cpu = CPUDevice.shared
        guard let vulkan = VulkanBackend.firstComputeDevice else {
            Report.printTable(title: "vulkan (Vulkan backend vs CPU backend)", rows: [], notes: ["no Vulkan device computes on this machine"])
            return
        }
        var notes = ["Vulkan device: \(vulkan.properties.name) (\(vulkan.properties.driverVersion)); CPU device: \(cpu.properties.name)"]
        var rows: [ResultRow] = []
        do {
            let (vulkanQueue, cpuQueue) = (try vulkan.makeQueue(), try cpu.makeQueue())
            for benchmark in cases {
                let vulkanTime = try measure(benchmark, device: vulkan, queue: vulkanQueue)
                let cpuTime = try measure(benchmark, device: cpu, queue: cpuQueue)
                rows.append(ResultRow(name: benchmark.name, deviceShim: vulkanTime, peer: "CPU backend", peerNanoseconds: cpuTime, target: nil))
                if let work = benchmark.work {
                    // Work per nanosecond is giga-units per second.
                    notes.append("\(benchmark.name): Vulkan \(Report.format(work / vulkanTime)) \(benchmark.unit), "
                        + "CPU \(Report.format(work / cpuTime)) \(benchmark.unit)")
                }
            }
        } catch {
            notes.append("failed: \(error)")
        }
        notes.append("queued launch: \(launchesPerBatch) one-element adds then synchronize, time per add; add GB/s counts 3 × 16 MiB")
        notes.append("ratio = CPU backend time / Vulkan time (> 1 means Vulkan is faster)")
        Report.printTable(title: "vulkan (Vulkan backend vs CPU backend)", rows: rows, notes: notes)
    }

    /// The median nanoseconds of one operation (enqueue and synchronize), after two untimed runs.
    static func measure(_ benchmark: Case, device: any ComputeDevice, queue: any DeviceQueue) throws -> Double {
        let operation = try benchmark.make(device, queue)
        try queue.synchronize()
        for _ in 0..<2 {
            try operation()
            try queue.synchronize()
        }
        let samples = try (0..<benchmark.repetitions).map { _ in
            let start = Timing.now()
            try operation()
            try queue.synchronize()
            return Double(Timing.now() - start)
        }.sorted()
        let perOperation = benchmark.name.hasPrefix("launch, queued") ? Double(launchesPerBatch) : 1
        return samples[samples.count / 2] / perOperation
    }

    /// A buffer of `count` float32 values in [-1, 1), written through `queue`.
    static func filled(_ device: any ComputeDevice, _ queue: any DeviceQueue, _ count: Int) throws -> any DeviceBuffer {
        let buffer = try device.allocate(byteCount: count * 4)
        var state: UInt64 = 0x9E37_79B9
        let values = (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
        // Synchronized inside: the array's storage is only guaranteed alive in the closure.
        try values.withUnsafeBytes {
            try queue.copy(from: $0.baseAddress!, to: BufferRegion(buffer))
            try queue.synchronize()
        }
        return buffer
    }
}

/// Page-aligned host memory, touched once, freed with the last reference.
final class HostMemory: @unchecked Sendable {
    let address: UnsafeMutableRawPointer

    init(byteCount: Int) {
        address = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 4096)
        address.initializeMemory(as: UInt8.self, repeating: 1, count: byteCount)
    }

    deinit { address.deallocate() }
}
