#if canImport(Glibc)
import Glibc
#endif
import DeviceShim

/// The OpenCL backend on the first OpenCL device: float32 GEMM against CLBlast's SGEMM on the
/// same device (the peer, `peers/software_device_gemm.c`, runs just before in the same
/// `scripts/benchmark.sh opencl` and hands its GFLOP/s over in the file named by
/// `DEVICESHIM_CLBLAST_RESULTS`), then element-wise add throughput, host↔device copy
/// throughput and per-launch latency.
enum OpenCLBenchmarks {
    static func run() {
        guard let device = OpenCLBackend.inventory().entries.lazy.compactMap({ $0.compute as? OpenCLDevice }).first else {
            print("\n== opencl ==\nno OpenCL device: nothing to measure")
            return
        }
        do {
            try measure(device)
        } catch {
            print("opencl benchmark failed: \(error)")
        }
    }

    private static func measure(_ device: OpenCLDevice) throws {
        let queue = try device.makeQueue()
        print("\n== opencl: \(device.properties.name) (\(device.properties.driverVersion)) ==")
        let peer = clblastResults()
        print("SGEMM, column-major N×N×N, best of 5 (GFLOP/s, higher is better)")
        print("     N   DeviceShim OpenCL      CLBlast   ours/CLBlast")
        for n in [256, 512, 1024] {
            let ours = try gemmGigaflops(n: n, device: device, queue: queue)
            let theirs = peer[n]
            let ratio = theirs.map { Report.format(ours / $0, decimals: 2) } ?? "n/a"
            print(pad(String(n), 6) + pad(Report.format(ours), 21) + pad(theirs.map { Report.format($0) } ?? "n/a", 13) + pad(ratio, 15))
        }
        let count = 1 << 22
        let bytes = count * 4
        let a = try device.allocate(byteCount: bytes), b = try device.allocate(byteCount: bytes), c = try device.allocate(byteCount: bytes)
        try queue.fill(BufferRegion(a), with: FillPattern(element: Float(1)))
        try queue.fill(BufferRegion(b), with: FillPattern(element: Float(2)))
        let operand = { (buffer: any DeviceBuffer) in StridedOperand(buffer, dtype: .float32, shape: [count]) }
        let add = try seconds(repeats: 10) {
            try queue.binary(.add, lhs: operand(a), rhs: operand(b), output: operand(c))
        } finish: { try queue.synchronize() }
        print("float32 add, 4M elements: \(Report.format(Double(3 * bytes) / add / 1e9, decimals: 2)) GB/s "
            + "(\(Report.format(add * 1e6)) µs)")
        var host = [Float](repeating: 1, count: count)
        let upload = try seconds(repeats: 10) {
            try host.withUnsafeBytes { try queue.copy(from: $0.baseAddress!, to: BufferRegion(a)) }
            try queue.synchronize()
        } finish: {}
        let download = try seconds(repeats: 10) {
            try host.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(a), to: $0.baseAddress!) }
            try queue.synchronize()
        } finish: {}
        print("copy 16 MiB host→device: \(Report.format(Double(bytes) / upload / 1e9, decimals: 2)) GB/s, "
            + "device→host: \(Report.format(Double(bytes) / download / 1e9, decimals: 2)) GB/s")
        let one = { (buffer: any DeviceBuffer) in StridedOperand(buffer, dtype: .float32, shape: [1]) }
        let launch = try seconds(repeats: 2000) {
            try queue.binary(.add, lhs: one(a), rhs: one(b), output: one(c))
        } finish: { try queue.synchronize() }
        let roundTrip = try seconds(repeats: 200) {
            try queue.binary(.add, lhs: one(a), rhs: one(b), output: one(c))
            try queue.synchronize()
        } finish: {}
        print("per launch (1-element add): \(Report.format(launch * 1e6)) µs enqueued back to back, "
            + "\(Report.format(roundTrip * 1e6)) µs launch + synchronize")
    }

    /// Seconds per repeat of `body`, after one warm-up, `finish` run once after the repeats.
    private static func seconds(repeats: Int, _ body: () throws -> Void, finish: () throws -> Void) throws -> Double {
        try body()
        try finish()
        let start = Timing.now()
        for _ in 0..<repeats { try body() }
        try finish()
        return Double(Timing.now() - start) / 1e9 / Double(repeats)
    }

    private static func gemmGigaflops(n: Int, device: OpenCLDevice, queue: any DeviceQueue) throws -> Double {
        let bytes = n * n * 4
        let a = try device.allocate(byteCount: bytes), b = try device.allocate(byteCount: bytes), c = try device.allocate(byteCount: bytes)
        try queue.fill(BufferRegion(a), with: FillPattern(element: Float(0.5)))
        try queue.fill(BufferRegion(b), with: FillPattern(element: Float(0.25)))
        let operation = GemmOperation(dtype: .float32, m: n, n: n, k: n, a: MatrixOperand(a, leadingDimension: n),
                                      b: MatrixOperand(b, leadingDimension: n), c: MatrixOperand(c, leadingDimension: n))
        var best = Double.infinity
        for _ in 0..<6 {
            let time = try seconds(repeats: 1) { try queue.gemm(operation) } finish: { try queue.synchronize() }
            best = min(best, time)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// The peer's "N GFLOP/s" lines, by N.
    private static func clblastResults() -> [Int: Double] {
        guard let path = getenv("DEVICESHIM_CLBLAST_RESULTS"), let file = fopen(path, "r") else { return [:] }
        defer { fclose(file) }
        var results: [Int: Double] = [:]
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .split(separator: " ").map { $0.trimmingCharacters() }
            if fields.count >= 2, let n = Int(fields[0]), let gflops = Double(fields[1]) { results[n] = gflops }
        }
        return results
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

private extension Substring {
    func trimmingCharacters() -> String { String(filter { !$0.isWhitespace }) }
}
