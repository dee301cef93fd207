import Testing
@testable import DeviceShimDevices

/// The conformance cases of `select`, `gather` and `scatter`. They move elements (a scatter
/// also adds them), so the reference is computed here from the operands' values, not by the
/// CPU's kernels.
extension ConformanceSuite {
    func checkSelect(_ dtype: DType, _ shape: [Int], _ index: Int, _ queue: any DeviceQueue,
                     _ report: inout Report, _ random: inout SeededGenerator) throws {
        let condition = try TestTensor(shape, .bool, layout: Layout.allCases[(index + 1) % 5], using: &random) { randomValue(.bool, using: &$0) }
        let whenTrue = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let whenFalse = try TestTensor(shape, dtype, layout: Layout.allCases[(index + 3) % 5], using: &random) { randomValue(dtype, using: &$0) }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) select \(dtype) \(shape) \(Layout.allCases[index % 5])"
        let expected = zip(condition.integers(), zip(whenTrue.values(), whenFalse.values())).map { $0 != 0 ? $1.0 : $1.1 }
        try judgeKernel(context, output: output, dtype: dtype, queue, &report, expected: { expected }) {
            try queue.select(condition: try DeviceTensor(condition, on: queue).operand, whenTrue: try DeviceTensor(whenTrue, on: queue).operand,
                             whenFalse: try DeviceTensor(whenFalse, on: queue).operand, output: output.operand)
        }
    }

    /// A gather whose input is up to two larger than the output outside `axis`, with indices
    /// in range and, one in seven, outside it (-1 or the axis length), which give zero and
    /// set the out-of-range flag (the middle word of three; the others must stay as they were).
    func checkGather(_ dtype: DType, _ shape: [Int], _ axis: Int, _ index: Int, _ queue: any DeviceQueue,
                     _ report: inout Report, _ random: inout SeededGenerator) throws {
        var inputShape = shape.map { $0 + Int.random(in: 0...2, using: &random) }
        inputShape[axis] = Int.random(in: 1...6, using: &random)
        let length = inputShape[axis]
        let input = try TestTensor(inputShape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let positions = try TestTensor(shape, .int64, layout: Layout.outputs[(index + 1) % 4], using: &random) { random in
            Int.random(in: 0..<7, using: &random) == 0 ? [-1, Double(length)].randomElement(using: &random)!
                : Double(Int.random(in: 0..<length, using: &random))
        }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) gather \(dtype) \(inputShape) to \(shape) axis \(axis) \(Layout.allCases[index % 5])"
        let inputValues = input.values(), inputStrides = StridedOperand.contiguousStrides(for: inputShape)
        let expected = zip(Self.coordinates(of: shape), positions.integers()).map { coordinates, position -> Double in
            guard (0..<Int64(length)).contains(position) else { return 0 }
            var at = coordinates
            at[axis] = Int(position)
            return inputValues[zip(at, inputStrides).map(*).reduce(0, +)]
        }
        let flag = try OutOfRangeFlag(on: queue)
        try judgeKernel(context, output: output, dtype: dtype, queue, &report, expected: { expected }) {
            try queue.gather(input: try DeviceTensor(input, on: queue).operand, index: try DeviceTensor(positions, on: queue).operand,
                             axis: axis, output: output.operand, outOfRange: flag.region)
        }
        let missed = positions.integers().contains { !(0..<Int64(length)).contains($0) }
        try flag.judge(context, expectingMiss: missed, on: queue, &report)
    }

    /// A scatter into an output of random contents (of `shape`) from an index up to two
    /// smaller outside `axis` and of 1 to 6 elements along it, with positions in range and,
    /// one in seven, outside it (which write nothing and set the out-of-range flag). Fibers
    /// name positions twice, so the order of assignments and the rounding of each addition
    /// show: the reference applies the index in row-major order, rounding as it goes.
    func checkScatter(_ mode: ScatterMode, _ dtype: DType, _ shape: [Int], _ axis: Int, _ index: Int, _ queue: any DeviceQueue,
                      _ report: inout Report, _ random: inout SeededGenerator) throws {
        var indexShape = shape.map { Int.random(in: max(0, $0 - 2)...$0, using: &random) }
        indexShape[axis] = Int.random(in: 1...6, using: &random)
        let length = shape[axis]
        let source = try TestTensor(indexShape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let positions = try TestTensor(indexShape, .int64, layout: Layout.outputs[(index + 1) % 4], using: &random) { random in
            Int.random(in: 0..<7, using: &random) == 0 || length == 0 ? [-1, Double(length)].randomElement(using: &random)!
                : Double(Int.random(in: 0..<length, using: &random))
        }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) scatter.\(mode) \(dtype) \(indexShape) into \(shape) axis \(axis) \(Layout.allCases[index % 5])"
        var (floats, integers) = (output.host.values(), output.host.integers())
        let (arriving, arrivingIntegers) = (source.values(), source.integers())
        let outputStrides = StridedOperand.contiguousStrides(for: shape)
        for (element, (coordinates, position)) in zip(Self.coordinates(of: indexShape), positions.integers()).enumerated()
        where (0..<Int64(length)).contains(position) {
            var at = coordinates
            at[axis] = Int(position)
            let target = zip(at, outputStrides).map(*).reduce(0, +)
            switch mode {
            case .assign: (floats[target], integers[target]) = (arriving[element], arrivingIntegers[element])
            case .add where dtype.isFloatingPoint: floats[target] = TestElements.rounded(floats[target] + arriving[element], to: dtype)
            case .add: integers[target] = TestElements.wrapped(integers[target] &+ arrivingIntegers[element], to: dtype)
            }
        }
        let expected = dtype.isFloatingPoint ? floats : integers.map(Double.init)
        let flag = try OutOfRangeFlag(on: queue)
        try judgeKernel(context, output: output, dtype: dtype, queue, &report, expected: { expected }) {
            try queue.scatter(mode, source: try DeviceTensor(source, on: queue).operand, index: try DeviceTensor(positions, on: queue).operand,
                              axis: axis, output: output.operand, outOfRange: flag.region)
        }
        let missed = positions.integers().contains { !(0..<Int64(length)).contains($0) }
        try flag.judge(context, expectingMiss: missed, on: queue, &report)
    }

    /// Every coordinate of `shape`, in row-major order.
    private static func coordinates(of shape: [Int]) -> [[Int]] {
        let count = shape.reduce(1, *)
        return (0..<count).map { linear in
            var remaining = linear
            return shape.reversed().map { size in
                defer { remaining /= size }
                return remaining % size
            }.reversed()
        }
    }
}

/// A gather's or scatter's out-of-range flag on a device: the middle of three 32-bit words, zeroed, between
/// two guard words a kernel must not touch.
struct OutOfRangeFlag {
    static let guardWord: UInt32 = 0xABAB_ABAB
    let buffer: any DeviceBuffer

    init(on queue: any DeviceQueue) throws {
        buffer = try queue.device.allocate(byteCount: 12)
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 0xAB))
        try queue.fill(region, with: FillPattern(byte: 0))
    }

    var region: BufferRegion { BufferRegion(buffer, offset: 4, byteCount: 4) }

    func words(on queue: any DeviceQueue) throws -> [UInt32] {
        var words = [UInt32](repeating: 0, count: 3)
        try words.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(buffer), to: $0.baseAddress!) }
        try queue.synchronize()
        return words
    }

    /// Expects (in a test) the flag set exactly when `set`, and the guard words untouched.
    func expect(set: Bool, on queue: any DeviceQueue, _ context: String,
                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let words = try self.words(on: queue)
        #expect((words[1] != 0) == set, "\(context): flag word \(words[1])", sourceLocation: sourceLocation)
        #expect(words[0] == Self.guardWord && words[2] == Self.guardWord, "\(context): words around the flag \(words[0]), \(words[2])",
                sourceLocation: sourceLocation)
    }

    /// One conformance case: the flag is set exactly when an index was out of range
    /// (`missed`), and the guard words are untouched.
    func judge(_ context: String, expectingMiss missed: Bool, on queue: any DeviceQueue,
               _ report: inout ConformanceSuite.Report) throws {
        do {
            let words = try self.words(on: queue)
            report.checked += 1
            if (words[1] != 0) != missed || words[0] != Self.guardWord || words[2] != Self.guardWord {
                report.failures.append("\(context): out-of-range flag words \(words), expected an index \(missed ? "" : "not ")out of range")
            }
        } catch let error as DeviceError {
            report.checked += 1
            report.failures.append("\(context): \(error)")
        }
    }
}
