#if canImport(Glibc)
import Glibc
#endif
import CBLAS
import DeviceShim

/// The `tensor` group: the tensor engine's ops against PyTorch (CPU) eager ops, per backend.
///
/// Each DeviceShim sample is the op through the public `Tensor` API (a new output tensor, as
/// PyTorch's `a + b` makes one) and `synchronize()`. The peer runs in one python3 process
/// (`Benchmarks/peers/tensor_peers.py`), in rounds with DeviceShim, as in the `devices`
/// group. The target, on the CPU backend: at least PyTorch's speed for every case.
/// `DEVICESHIM_TENSOR_BACKENDS=cpu` (a comma-separated list) limits the backends measured,
/// `DEVICESHIM_TENSOR_CASES=softmax,matmul` the cases (by kind, or by name such as
/// `add 4K f32`, e.g. to profile one), and `DEVICESHIM_TENSOR_REPEAT=200` multiplies the
/// repetitions (so a profiler sees mostly the timed op, not PyTorch starting).
/// `DEVICESHIM_TENSOR_SAMPLES=1` prints every round's samples, matmul's direct `cblas_sgemm`
/// calls too (to see a slow spell, or a slow start after the pause between rounds, that a
/// median hides, and whether it struck the engine alone).
/// `DEVICESHIM_TENSOR_SURVEY=1` adds ops beyond the target list, without a target (`TensorSurvey`).
enum TensorBenchmarks {
    struct Case {
        var kind: String
        var size: Int
        var repetitions: Int
        var name: String {
            if let name = TensorSurvey.name(of: kind, size: size) { return name }
            return kind == "matmul" ? "matmul \(size)" : size < 1 << 20 ? "\(kind) \(size >> 10)K f32" : "\(kind) \(size >> 20)M f32"
        }
    }

    /// Rounds per case, DeviceShim then PyTorch in each: short alternating rounds, so that
    /// a slow spell of this shared machine falls on both sides rather than on one.
    static let rounds = 6

    static let printSamples = getenv("DEVICESHIM_TENSOR_SAMPLES") != nil

    static func cases(for backend: String) -> [Case] {
        let (matmul, elements, perRound) = backend == "vulkan" ? (256, 1 << 20, 2) : (1024, 4 << 20, 4)
        let repetitions = perRound * max(1, getenv("DEVICESHIM_TENSOR_REPEAT").map { Int(atoi($0)) } ?? 1)
        let all = [Case(kind: "matmul", size: matmul, repetitions: repetitions)]
            + ["add", "mul", "sum", "sumdim", "softmax", "chain", "where", "gather"].map { Case(kind: $0, size: elements, repetitions: repetitions) }
            // A small op, where the cost per op (dispatch, queue hand-off, output allocation) dominates.
            + [Case(kind: "add", size: 4096, repetitions: 25 * repetitions)]
            // A quarter of the size: 1024 × 1024 on the CPU (scatter_add's size since it ran on the host).
            + ["scatter", "sort"].map { Case(kind: $0, size: elements / 4, repetitions: repetitions) }
        let survey = TensorSurvey.cases.map { Case(kind: $0.kind, size: elements, repetitions: repetitions) }
        guard let listed = getenv("DEVICESHIM_TENSOR_CASES") else { return TensorSurvey.enabled ? all + survey : all }
        let kinds = String(cString: listed).split(separator: ",").map(String.init)
        return (all + survey).filter { kinds.contains($0.kind) || kinds.contains($0.name) }
    }

    static func run() {
        var notes: [String] = []
        let peers = PeerProcess(script: peerScript)
        if let greeting = peers?.readReply() {
            notes.append(greeting["error"].map { "peer unavailable: \($0)" }
                ?? "peer: torch \(greeting["torch"] ?? "?") with \(greeting["torch_threads"] ?? "?") threads")
        }
        for backend in backends {
            var rows: [ResultRow] = []
            var backendNotes = notes
            do {
                for benchmark in cases(for: backend) {
                    let body = try prepare(benchmark, device: backend)
                    let blas = backend == "cpu" && benchmark.kind == "matmul" ? DirectSgemm(size: benchmark.size) : nil
                    var ours: [Double] = [], theirs: [Double] = [], direct: [Double] = [], roundRatios: [Double] = []
                    for _ in 0..<rounds {
                        let mineThisRound = try measure(body, repetitions: benchmark.repetitions)
                        ours += mineThisRound
                        usleep(DeviceBenchmarks.pauseMicroseconds)
                        let reply = peers?.request("\(benchmark.kind) \(benchmark.size) 2 \(benchmark.repetitions)") ?? [:]
                        let theirsThisRound = (reply["torch"] ?? "").split(separator: " ").compactMap { Double($0).map { $0 * 1e9 } }
                        theirs += theirsThisRound
                        if printSamples {
                            print("\(benchmark.name) round: DeviceShim µs \(mineThisRound.map { Int($0 / 1000) }), PyTorch µs \(theirsThisRound.map { Int($0 / 1000) })")
                        }
                        if !theirsThisRound.isEmpty {
                            roundRatios.append(DeviceBenchmarks.median(theirsThisRound) / DeviceBenchmarks.median(mineThisRound))
                        }
                        usleep(DeviceBenchmarks.pauseMicroseconds)
                        if let blas {
                            let directThisRound = blas.measure(repetitions: benchmark.repetitions)
                            direct += directThisRound
                            if printSamples {
                                print("\(benchmark.name) round: cblas_sgemm directly µs \(directThisRound.map { Int($0 / 1000) })")
                            }
                            usleep(DeviceBenchmarks.pauseMicroseconds)
                        }
                    }
                    let (mine, peer) = (DeviceBenchmarks.median(ours), DeviceBenchmarks.median(theirs))
                    let best = (theirs.min() ?? .nan) / (ours.min() ?? .nan)
                    rows.append(ResultRow(name: benchmark.name, deviceShim: mine, peer: "torch (CPU)", peerNanoseconds: peer,
                                          target: backend == "cpu" && peer.isFinite && !TensorSurvey.includes(benchmark.kind)
                                              ? peer : nil,
                                          note: "best/best \(Report.format(best, decimals: 2))" + spread(of: roundRatios)))
                    if let blas, !direct.isEmpty {
                        let alone = DeviceBenchmarks.median(direct)
                        backendNotes.append("\(benchmark.name): cblas_sgemm called directly (the CPU backend's "
                            + "\(blas.library), same threads, no tensor engine): \(Report.format(alone / 1e6, decimals: 2)) "
                            + "ms (median); its time / DeviceShim time \(Report.format(alone / mine, decimals: 2)) (1: the "
                            + "engine adds nothing), PyTorch time / its time \(Report.format(peer / alone, decimals: 2))")
                    }
                }
            } catch {
                backendNotes.append("DeviceShim failed on \(backend): \(error)")
            }
            backendNotes.append("ratio = PyTorch time / DeviceShim time, of the medians (>= 1: DeviceShim at least as fast); "
                + "target on cpu: >= 1; best/best: of the fastest samples, which a busy machine disturbs least; "
                + "rounds: the lowest and highest ratio of the \(rounds) alternating rounds' medians (a range across 1 is "
                + "a difference this machine's noise hides)")
            Report.printTable(title: "tensor (\(backend) backend)", rows: rows, notes: backendNotes)
        }
        peers?.finish()
    }

    /// ", rounds low–high" of per-round ratios, or nothing without a peer.
    static func spread(of ratios: [Double]) -> String {
        guard let low = ratios.min(), let high = ratios.max() else { return "" }
        return ", rounds \(Report.format(low, decimals: 2))–\(Report.format(high, decimals: 2))"
    }

    /// The timed body: one op through the Tensor API, its operands made (and touched) first.
    static func prepare(_ benchmark: Case, device: String) throws -> () throws -> Tensor {
        let generator = RandomGenerator(seed: UInt64(benchmark.size))
        if benchmark.kind == "matmul" {
            let a = try Tensor.randn([benchmark.size, benchmark.size], generator: generator, device: device)
            let b = try Tensor.randn([benchmark.size, benchmark.size], generator: generator, device: device)
            return { try a.matmul(b) }
        }
        let rows = try Tensor.randn([benchmark.size / 1024, 1024], generator: generator, device: device)
        let (a, b, c) = try (Tensor.randn([benchmark.size], generator: generator, device: device),
                             Tensor.randn([benchmark.size], generator: generator, device: device),
                             Tensor.randn([benchmark.size], generator: generator, device: device))
        switch benchmark.kind {
        case "add": return { try a + b }
        case "mul": return { try a * b }
        case "sum": return { try a.sum() }
        case "sumdim": return { try rows.sum(dims: [1]) }
        case "softmax": return { try rows.softmax(dim: 1) }
        case "where":
            let mask = try a.greater(0)
            return { try Tensor.where(mask, a, b) }
        case "gather":
            let index = try Tensor.randint(0, 1024, shape: rows.shape, generator: generator, device: device)
            return { try rows.gather(dim: 1, index: index) }
        case "scatter":
            let index = try Tensor.randint(0, 1024, shape: rows.shape, generator: generator, device: device)
            let source = try Tensor.randn(rows.shape, generator: generator, device: device)
            return { try rows.scatter(dim: 1, index: index, source: source, add: true) }
        case "sort": return { try rows.sort(dim: 1).values }
        case "chain": return { try (a * b + c).relu().sum() }
        default:
            guard let body = try TensorSurvey.body(benchmark.kind, size: benchmark.size, rows: rows, a: a, b: b,
                                                   generator: generator, device: device) else {
                throw TensorError.invalidArgument("no benchmark case \(benchmark.kind)")
            }
            return body
        }
    }

    static func measure(_ body: () throws -> Tensor, repetitions: Int) throws -> [Double] {
        for _ in 0..<2 { try body().synchronize() }
        return try (0..<repetitions).map { _ in
            let start = Timing.now()
            try body().synchronize()
            return Double(Timing.now() - start)
        }
    }

    /// `cblas_sgemm` on two square float32 matrices, called directly through the CPU backend's
    /// BLAS (the same library, kernels and threads): what matmul would cost without the
    /// tensor engine, to tell the engine's share of a gap to PyTorch from the library's.
    struct DirectSgemm {
        let size: Int
        let a: [Float], b: [Float]
        /// "mkl" or "openblas".
        let library: String

        init?(size: Int) {
            guard ds_blas_load() == nil, let provider = ds_blas_provider() else { return nil }
            library = String(cString: provider)
            self.size = size
            var generator = SystemRandomNumberGenerator()
            a = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
            b = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
        }

        func measure(repetitions: Int) -> [Double] {
            var c = [Float](repeating: 0, count: size * size)
            let n = Int32(size)
            return a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        // Two warm-up calls, as `measure` makes for the engine's op.
                        Array((0..<repetitions + 2).map { _ in
                            let start = Timing.now()
                            ds_blas_sgemm(0, 0, 0, n, n, n, 1, a.baseAddress, n, b.baseAddress, n, 0, c.baseAddress, n)
                            return Double(Timing.now() - start)
                        }.dropFirst(2))
                    }
                }
            }
        }
    }

    /// The backends to run: `DEVICESHIM_TENSOR_BACKENDS` (comma-separated) or all three.
    static var backends: [String] {
        guard let listed = getenv("DEVICESHIM_TENSOR_BACKENDS") else { return ["cpu", "opencl", "vulkan"] }
        return String(cString: listed).split(separator: ",").map(String.init)
    }

    static var peerScript: String {
        let source = "\(#filePath)"
        return "\(source[..<(source.lastIndex(of: "/") ?? source.startIndex)])/peers/tensor_peers.py"
    }
}
