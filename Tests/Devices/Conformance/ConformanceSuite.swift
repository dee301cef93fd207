import Testing
@testable import DeviceShimDevices

/// One conformance run over one device, in the manner of ggml's test-backend-ops: every op
/// and dtype the device claims (`supports`) runs on random shapes and layouts (transposed,
/// reversed, stepped, broadcast inputs) and is compared with the CPU's float64 reference
/// (`ConformanceReference`) by normalised error. A kernel that throws although claimed, or
/// writes outside its output, fails too.
struct ConformanceSuite {
    let device: any ComputeDevice
    var seed: UInt64 = 0xC0_F0_4E

    struct Report {
        var checked = 0
        var failures: [String] = []
        /// The largest normalised error seen per output dtype.
        var worstError: [DType: Double] = [:]

        mutating func judge(_ context: String, actual: [Double], expected: [Double], dtype: DType, untouched: Bool = true) {
            checked += 1
            // The reference computed in float64; the device rounds to its output dtype.
            let expected = dtype.isFloatingPoint ? expected.map { TestElements.rounded($0, to: dtype) } : expected
            let error = ConformanceError.of(actual, expected, dtype: dtype)
            worstError[dtype] = max(worstError[dtype] ?? 0, error)
            if error > ConformanceError.limit(dtype) {
                failures.append("\(context): error \(error) > \(ConformanceError.limit(dtype)); got \(actual.prefix(6)), expected \(expected.prefix(6))")
            }
            if !untouched { failures.append("\(context): wrote outside its output") }
        }
    }

    /// Shapes of rank 0 to 4, empty ones included.
    func shapes(_ random: inout SeededGenerator) -> [[Int]] {
        [[], [0], [7], [2, 3, 1, 5]] + (0..<2).map { _ in
            (0..<Int.random(in: 1...3, using: &random)).map { _ in Int.random(in: 1...9, using: &random) }
        }
    }

    func run() throws -> Report {
        var report = Report()
        var random = SeededGenerator(seed: seed)
        let queue = try device.makeQueue()
        for dtype in DType.allCases {
            for op in UnaryOp.allCases where device.supports(.unary(op), dtype) {
                for (index, shape) in shapes(&random).enumerated() {
                    try checkUnary(op, dtype, shape, index, queue, &report, &random)
                }
            }
            for op in BinaryOp.allCases where device.supports(.binary(op), dtype) {
                for (index, shape) in shapes(&random).enumerated() {
                    try checkBinary(op, dtype, shape, index, queue, &report, &random)
                }
            }
            for op in ReductionOp.allCases where device.supports(.reduce(op), dtype) {
                for (index, shape) in shapes(&random).enumerated() where !shape.isEmpty {
                    let axis = Int.random(in: shape.indices, using: &random)
                    if shape[axis] == 0, !op.allowsEmptyAxis { continue }
                    try checkReduce(op, dtype, shape, axis, index, queue, &report, &random)
                }
            }
            for op in AxisOp.allCases where device.supports(.axis(op), dtype) {
                for (index, shape) in shapes(&random).enumerated() where !shape.isEmpty {
                    try checkAlongAxis(op, dtype, shape, Int.random(in: shape.indices, using: &random), index, queue, &report, &random)
                }
            }
            for source in DType.allCases where device.supports(.convert(from: source), dtype) {
                for (index, shape) in shapes(&random).enumerated() {
                    try checkConvert(source, dtype, shape, index, queue, &report, &random)
                }
            }
            if device.supports(.select, dtype) {
                for (index, shape) in shapes(&random).enumerated() { try checkSelect(dtype, shape, index, queue, &report, &random) }
            }
            if device.supports(.gather, dtype) {
                for (index, shape) in shapes(&random).enumerated() where !shape.isEmpty {
                    try checkGather(dtype, shape, Int.random(in: shape.indices, using: &random), index, queue, &report, &random)
                }
            }
            for mode in ScatterMode.allCases where device.supports(.scatter(mode), dtype) {
                for (index, shape) in shapes(&random).enumerated() where !shape.isEmpty {
                    try checkScatter(mode, dtype, shape, Int.random(in: shape.indices, using: &random), index, queue, &report, &random)
                }
            }
            if device.supports(.argsort, dtype) {
                for (index, shape) in shapes(&random).enumerated() where !shape.isEmpty {
                    try checkArgsort(dtype, shape, Int.random(in: shape.indices, using: &random), descending: index % 2 == 1, index,
                                     queue, &report, &random)
                }
            }
            if device.supports(.gemm, dtype) {
                for transposes in [(false, false), (true, false), (false, true), (true, true)] {
                    try checkGemm(dtype, transposes, queue, &report, &random)
                }
            }
        }
        return report
    }

    // MARK: - One case per op family

    private func checkUnary(_ op: UnaryOp, _ dtype: DType, _ shape: [Int], _ index: Int, _ queue: any DeviceQueue,
                            _ report: inout Report, _ random: inout SeededGenerator) throws {
        let input = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { unaryDomain(op, dtype, &$0) }
        let outputType: DType = op.producesBool ? .bool : dtype
        let output = try output(shape, outputType, index, queue, &random)
        let context = "\(device.id) \(op) \(dtype) \(shape) \(Layout.allCases[index % 5])"
        try judgeKernel(context, output: output, dtype: outputType, queue, &report,
                        expected: { try ConformanceReference.unary(op, input) }) {
            try queue.unary(op, input: try DeviceTensor(input, on: queue).operand, output: output.operand)
        }
    }

    private func checkBinary(_ op: BinaryOp, _ dtype: DType, _ shape: [Int], _ index: Int, _ queue: any DeviceQueue,
                             _ report: inout Report, _ random: inout SeededGenerator) throws {
        let lhs = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let rhs = try TestTensor(shape, dtype, layout: Layout.allCases[(index + 2) % 5], using: &random) { binaryDomain(op, dtype, &$0) }
        let outputType: DType = op.producesBool ? .bool : dtype
        let output = try output(shape, outputType, index, queue, &random)
        let context = "\(device.id) \(op) \(dtype) \(shape)"
        try judgeKernel(context, output: output, dtype: outputType, queue, &report,
                        expected: { try ConformanceReference.binary(op, lhs, rhs) }) {
            try queue.binary(op, lhs: try DeviceTensor(lhs, on: queue).operand, rhs: try DeviceTensor(rhs, on: queue).operand,
                             output: output.operand)
        }
    }

    private func checkReduce(_ op: ReductionOp, _ dtype: DType, _ shape: [Int], _ axis: Int, _ index: Int,
                             _ queue: any DeviceQueue, _ report: inout Report, _ random: inout SeededGenerator) throws {
        let input = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        var outputShape = shape
        outputShape[axis] = 1
        let outputType = op.outputType(for: dtype)
        let output = try output(outputShape, outputType, index, queue, &random)
        let context = "\(device.id) reduce.\(op) \(dtype) \(shape) axis \(axis)"
        try judgeKernel(context, output: output, dtype: outputType, queue, &report,
                        expected: { try ConformanceReference.reduce(op, input, axis: axis) }) {
            try queue.reduce(op, input: try DeviceTensor(input, on: queue).operand, axis: axis, output: output.operand)
        }
    }

    private func checkAlongAxis(_ op: AxisOp, _ dtype: DType, _ shape: [Int], _ axis: Int, _ index: Int,
                                _ queue: any DeviceQueue, _ report: inout Report, _ random: inout SeededGenerator) throws {
        let input = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) \(op) \(dtype) \(shape) axis \(axis) \(Layout.allCases[index % 5])"
        try judgeKernel(context, output: output, dtype: dtype, queue, &report,
                        expected: { try ConformanceReference.alongAxis(op, input, axis: axis) }) {
            try queue.alongAxis(op, input: try DeviceTensor(input, on: queue).operand, axis: axis, output: output.operand)
        }
    }

    private func checkConvert(_ source: DType, _ dtype: DType, _ shape: [Int], _ index: Int, _ queue: any DeviceQueue,
                              _ report: inout Report, _ random: inout SeededGenerator) throws {
        let input = try TestTensor(shape, source, layout: Layout.allCases[index % 5], using: &random) { randomValue(source, using: &$0) }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) convert \(source) to \(dtype) \(shape)"
        try judgeKernel(context, output: output, dtype: dtype, queue, &report,
                        expected: { try ConformanceReference.convert(input, to: dtype) }) {
            try queue.convert(input: try DeviceTensor(input, on: queue).operand, output: output.operand)
        }
    }

    private func checkGemm(_ dtype: DType, _ transposes: (Bool, Bool), _ queue: any DeviceQueue,
                           _ report: inout Report, _ random: inout SeededGenerator) throws {
        let (m, n, k) = (Int.random(in: 1...40, using: &random), Int.random(in: 1...40, using: &random), Int.random(in: 1...70, using: &random))
        let batches = Int.random(in: 1...3, using: &random)
        let (alpha, beta) = [(1.0, 0.0), (-0.5, 1.0), (2.0, 0.25)].randomElement(using: &random)!
        let a = try DeviceMatrix(rows: transposes.0 ? k : m, columns: transposes.0 ? m : k, batchCount: batches, dtype: dtype,
                                 queue: queue, using: &random)
        let b = try DeviceMatrix(rows: transposes.1 ? n : k, columns: transposes.1 ? k : n, batchCount: batches, dtype: dtype,
                                 shared: Bool.random(using: &random), queue: queue, using: &random)
        let c = try DeviceMatrix(rows: m, columns: n, batchCount: batches, dtype: dtype, nan: beta == 0, queue: queue, using: &random)
        let operation = GemmOperation(dtype: dtype, transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k,
                                      alpha: alpha, beta: beta, a: a.operand, b: b.operand, c: c.operand, batchCount: batches)
        let context = "\(device.id) gemm \(dtype) \(transposes.0 ? "T" : "N")\(transposes.1 ? "T" : "N") m \(m) n \(n) k \(k) batches \(batches)"
        try attempt(context, &report) { (report: inout Report) in
            try queue.gemm(operation)
            let initialC = c.values(dtype, in: c.host).map { beta == 0 ? 0 : $0 }
            let expected = try ConformanceReference.gemm(operation, a: a.values(dtype, in: a.host), b: b.values(dtype, in: b.host),
                                                         c: initialC)
            report.judge(context, actual: c.values(dtype, in: try c.downloaded(on: queue)), expected: expected, dtype: dtype)
        }
    }

    // MARK: - Support

    /// An output of random contents (so stray writes show) in one of the output layouts.
    func output(_ shape: [Int], _ dtype: DType, _ index: Int, _ queue: any DeviceQueue,
                        _ random: inout SeededGenerator) throws -> DeviceTensor {
        let host = try TestTensor(shape, dtype, layout: Layout.outputs[index % 4], using: &random) { randomValue(dtype, using: &$0) }
        return try DeviceTensor(host, on: queue)
    }

    /// Runs `kernel`, which writes `output`, as one case, and judges what it wrote against
    /// `expected` (made after the kernel ran), as `dtype`.
    func judgeKernel(_ context: String, output: DeviceTensor, dtype: DType, _ queue: any DeviceQueue, _ report: inout Report,
                     expected: () throws -> [Double], _ kernel: () throws -> Void) throws {
        try attempt(context, &report) { (report: inout Report) in
            try kernel()
            let result = try output.download(on: queue)
            report.judge(context, actual: result.values(), expected: try expected(), dtype: dtype,
                         untouched: result.untouchedOutsideOperand())
        }
    }

    /// Runs one case; a device error there is the case's failure, not the run's.
    func attempt(_ context: String, _ report: inout Report, _ body: (inout Report) throws -> Void) throws {
        do {
            try body(&report)
        } catch let error as DeviceError {
            report.checked += 1
            report.failures.append("\(context): \(error)")
        }
    }
}
