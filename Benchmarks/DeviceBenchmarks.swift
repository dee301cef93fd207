#if canImport(Glibc)
import Glibc
#endif
import DeviceShim

/// The `devices` group: the CPU backend against numpy and PyTorch (CPU) in the same run.
///
/// Cases: float32 GEMM (n×n×n) at 256…4096 and, on 16M float32 elements, add and mul into a
/// preallocated output and a full sum. DeviceShim's time is one enqueue plus `synchronize`
/// on a CPU queue, as a user of the backend pays it. The peers run in one python3 process
/// (`Benchmarks/peers/device_peers.py`) that this group drives: each case runs in rounds,
/// DeviceShim then the peers, so both sides sample the machine's (shared, drifting) memory
/// bandwidth alike. Every round starts with the same warmup on each side; each side's
/// reported time is the median of all its samples.
enum DeviceBenchmarks {
    struct Case {
        var name: String
        /// The peer script's case and size.
        var kind: String
        var size: Int
        var warmup: Int
        /// Timed repetitions per round, and rounds.
        var repetitions: Int
        var rounds: Int
        /// Whether DeviceShim should be at least as fast as PyTorch here.
        var hasTarget: Bool
    }

    static let elementCount = 16 << 20

    static let cases: [Case] = [
        Case(name: "sgemm 256", kind: "gemm", size: 256, warmup: 5, repetitions: 20, rounds: 3, hasTarget: false),
        Case(name: "sgemm 512", kind: "gemm", size: 512, warmup: 3, repetitions: 10, rounds: 3, hasTarget: false),
        Case(name: "sgemm 1024", kind: "gemm", size: 1024, warmup: 2, repetitions: 5, rounds: 3, hasTarget: false),
        Case(name: "sgemm 2048", kind: "gemm", size: 2048, warmup: 1, repetitions: 3, rounds: 3, hasTarget: false),
        Case(name: "sgemm 4096", kind: "gemm", size: 4096, warmup: 1, repetitions: 2, rounds: 3, hasTarget: true),
        Case(name: "add 16M f32", kind: "add", size: elementCount, warmup: 2, repetitions: 6, rounds: 6, hasTarget: true),
        Case(name: "mul 16M f32", kind: "mul", size: elementCount, warmup: 2, repetitions: 6, rounds: 6, hasTarget: true),
        Case(name: "sum 16M f32", kind: "sum", size: elementCount, warmup: 3, repetitions: 12, rounds: 6, hasTarget: true),
    ]

    /// The pause between one side's measurements and the other's, so that the BLAS and
    /// OpenMP worker threads of the side that just ran have stopped spinning.
    static let pauseMicroseconds: useconds_t = 300_000

    static func run() {
        let device = CPUDevice.shared
        var notes = ["CPU device: \(device.properties.name); \(device.properties.driverVersion), "
            + "\(device.blasThreadCount.map(String.init) ?? "no") BLAS threads"]
        let peers = PeerProcess(script: peerScript)
        if let greeting = peers?.readReply() {
            if let error = greeting["error"] { notes.append("peers unavailable: \(error)") } else {
                notes.append("peers: numpy \(greeting["numpy"] ?? "?"), torch \(greeting["torch"] ?? "?") "
                    + "with \(greeting["torch_threads"] ?? "?") threads; python3 \(peerScript)")
            }
        } else {
            notes.append("peers unavailable: could not start python3 \(peerScript)")
        }
        var rows: [ResultRow] = []
        do {
            let queue = try device.makeQueue()
            for benchmark in cases {
                let operation = try prepare(benchmark, device: device, queue: queue)
                var samples: [String: [Double]] = [:]
                for _ in 0..<benchmark.rounds {
                    samples["deviceShim", default: []] += try measure(operation, benchmark, queue: queue)
                    usleep(pauseMicroseconds)
                    let request = "\(benchmark.kind) \(benchmark.size) \(benchmark.warmup) \(benchmark.repetitions)"
                    for (key, values) in peers?.request(request) ?? [:] {
                        samples[key, default: []] += values.split(separator: " ").compactMap { Double($0).map { $0 * 1e9 } }
                    }
                    usleep(pauseMicroseconds)
                }
                let deviceShim = median(samples["deviceShim"] ?? [])
                for (key, label) in peerLabels(benchmark.kind) {
                    let peer = median(samples[key] ?? [])
                    let target = benchmark.hasTarget && key == "torch" && peer.isFinite ? peer : nil
                    rows.append(ResultRow(name: benchmark.name, deviceShim: deviceShim, peer: label, peerNanoseconds: peer, target: target))
                }
                if benchmark.kind == "gemm" {
                    let flops = 2 * pow(Double(benchmark.size), 3)
                    notes.append("\(benchmark.name): DeviceShim \(Report.format(flops / deviceShim)) GFLOP/s")
                }
            }
        } catch {
            notes.append("DeviceShim failed: \(error)")
        }
        peers?.finish()
        notes.append("ratio = peer time / DeviceShim time (>= 1 means DeviceShim is at least as fast); target: <= PyTorch's time")
        Report.printTable(title: "devices (CPU backend)", rows: rows, notes: notes)
    }

    static func peerLabels(_ kind: String) -> [(key: String, label: String)] {
        switch kind {
        case "gemm": [("numpy", "numpy.matmul(out=)"), ("torch", "torch.mm(out=)")]
        case "add": [("numpy", "numpy.add(out=)"), ("torch", "torch.add(out=)")]
        case "mul": [("numpy", "numpy.multiply(out=)"), ("torch", "torch.mul(out=)")]
        default: [("numpy", "numpy.sum"), ("torch", "torch.sum")]
        }
    }

    /// The peer script, next to this file in the source tree.
    static var peerScript: String {
        let source = "\(#filePath)"
        let folder = source[..<(source.lastIndex(of: "/") ?? source.startIndex)]
        return "\(folder)/peers/device_peers.py"
    }

    /// The operation `benchmark` times: one enqueue on `queue`, its operands allocated and
    /// filled (so touched) first. The buffers live as long as the returned closure.
    static func prepare(_ benchmark: Case, device: CPUDevice, queue: any DeviceQueue) throws -> () throws -> Void {
        let count = benchmark.kind == "gemm" ? benchmark.size * benchmark.size : benchmark.size
        let a = try device.allocate(byteCount: count * 4)
        let b = try device.allocate(byteCount: count * 4)
        let c = try device.allocate(byteCount: (benchmark.kind == "sum" ? 1 : count) * 4)
        try randomFill(a, count: count, seed: 1)
        try randomFill(b, count: count, seed: 2)
        try queue.fill(BufferRegion(c), with: FillPattern(element: Float(0)))
        try queue.synchronize()
        let vector = { (buffer: any DeviceBuffer) in StridedOperand(buffer, dtype: .float32, shape: [count]) }
        switch benchmark.kind {
        case "gemm":
            let n = benchmark.size
            let gemm = GemmOperation(dtype: .float32, m: n, n: n, k: n, a: MatrixOperand(a, leadingDimension: n),
                                     b: MatrixOperand(b, leadingDimension: n), c: MatrixOperand(c, leadingDimension: n))
            return { try queue.gemm(gemm) }
        case "add": return { try queue.binary(.add, lhs: vector(a), rhs: vector(b), output: vector(c)) }
        case "mul": return { try queue.binary(.mul, lhs: vector(a), rhs: vector(b), output: vector(c)) }
        default:
            let output = StridedOperand(c, dtype: .float32, shape: [1])
            return { try queue.reduce(.sum, input: vector(a), axis: 0, output: output) }
        }
    }

    /// One round: `benchmark.warmup` untimed runs, then the nanoseconds of each timed run
    /// (enqueue and `synchronize`).
    static func measure(_ operation: () throws -> Void, _ benchmark: Case, queue: any DeviceQueue) throws -> [Double] {
        for _ in 0..<benchmark.warmup {
            try operation()
            try queue.synchronize()
        }
        return try (0..<benchmark.repetitions).map { _ in
            let start = Timing.now()
            try operation()
            try queue.synchronize()
            return Double(Timing.now() - start)
        }
    }

    static func median(_ samples: [Double]) -> Double {
        samples.isEmpty ? .nan : samples.sorted()[samples.count / 2]
    }

    /// Uniform values in [-1, 1) from a seeded linear congruential generator.
    static func randomFill(_ buffer: any DeviceBuffer, count: Int, seed: UInt64) throws {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1
        var values = [Float](repeating: 0, count: count)
        for index in values.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values[index] = Float(state >> 40) / Float(1 << 23) - 1
        }
        let queue = try buffer.device.makeQueue()
        try values.withUnsafeBytes { bytes in
            try queue.copy(from: bytes.baseAddress!, to: BufferRegion(buffer))
            try queue.synchronize()
        }
    }
}

/// A python3 process running the peer script, spoken to a line at a time over pipes.
final class PeerProcess {
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private var pending: [UInt8] = []

    init?(script: String) {
        signal(SIGPIPE, SIG_IGN)  // a peer that exits makes writes fail, not the benchmark die
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO)
        for descriptor in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let arguments = ["python3", script]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, "python3", &actions, nil, &argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            return nil
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
    }

    /// Sends one request line and returns the reply, or nil if the process is gone.
    func request(_ line: String) -> [String: String]? {
        send(line) ? readReply() : nil
    }

    private func send(_ line: String) -> Bool {
        (line + "\n").withCString { write(input, $0, strlen($0)) } > 0
    }

    /// The next reply line, parsed as a flat JSON object of numbers and strings.
    func readReply() -> [String: String]? {
        while !pending.contains(UInt8(ascii: "\n")) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(output, &chunk, chunk.count)
            guard count > 0 else { return nil }
            pending += chunk[0..<count]
        }
        let end = pending.firstIndex(of: UInt8(ascii: "\n"))!
        let line = String(decoding: pending[..<end], as: UTF8.self)
        pending.removeSubrange(...end)
        return Self.parseFlatObject(line)
    }

    /// Asks the peer to exit and waits for it.
    func finish() {
        _ = send("quit")
        close(input)
        close(output)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// `{"a": 1.5, "b": "text"}` as `["a": "1.5", "b": "text"]` (no nesting, no commas in strings).
    static func parseFlatObject(_ line: String) -> [String: String] {
        var result: [String: String] = [:]
        let body = line.trimmingCharacters(of: "{} ")
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            result[String(parts[0]).trimmingCharacters(of: "\" ")] = String(parts[1]).trimmingCharacters(of: "\" ")
        }
        return result
    }
}

private extension String {
    /// Indices, not reversed collections: those rebuilt a peer's reply of thousands of samples
    /// character by character, and took a third of a tensor benchmark run.
    func trimmingCharacters(of characters: String) -> String {
        guard let first = firstIndex(where: { !characters.contains($0) }),
              let last = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
