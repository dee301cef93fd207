import Testing
@testable import DeviceShimDevices

/// Every reduction the CPU claims, on every dtype and axis, against references computed
/// here, plus the accuracy of long float32 sums and the paths that split work across cores.
@Suite struct CPUReductionTests {
    @Test(arguments: DType.allCases)
    func reductionsMatchReference(dtype: DType) throws {
        var random = SeededGenerator(seed: 0xEED_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        let queue = try cpuQueue()
        let ops = ReductionOp.allCases.filter { CPUDevice.shared.supports(.reduce($0), dtype) }
        #expect(ops.count == (dtype == .bool ? 6 : dtype.isFloatingPoint ? 9 : 8))
        for op in ops {
            let shapes = randomShapes(count: 16, using: &random).filter { !$0.isEmpty }
            for (index, shape) in shapes.enumerated() {
                for axis in shape.indices where shape[axis] > 0 || op.allowsEmptyAxis {
                    var outputShape = shape
                    outputShape[axis] = 1
                    let inputLayout = Layout.allCases[(index + axis) % 5]
                    let outputLayout = Layout.outputs[index % 4]
                    let outputType = op.outputType(for: dtype)
                    let input = try TestTensor(shape, dtype, layout: inputLayout, using: &random) { reductionValue(op, dtype, &$0) }
                    let output = try TestTensor(outputShape, outputType, layout: outputLayout, using: &random) {
                        randomValue(outputType, using: &$0)
                    }
                    try queue.reduce(op, input: input.operand, axis: axis, output: output.operand)
                    try queue.synchronize()
                    let context = "\(op) \(dtype) shape \(shape) axis \(axis) input \(inputLayout) output \(outputLayout)"
                    let lanes = reductionLanes(shape: shape, axis: axis)
                    if dtype.isFloatingPoint, outputType == dtype {
                        let values = input.values()
                        let expected = lanes.map { TestElements.rounded(floatReduction(op, $0.map { values[$0] }), to: dtype) }
                        // Sums are judged against Σ|x| (or Σx²), the scale of their rounding errors.
                        let scales = lanes.map { lane in
                            lane.reduce(0.0) { $0 + (op == .sum ? values[$1].magnitude : values[$1] * values[$1]) }
                        }
                        let worst = worstError(output.values(), expected, scales: op == .sum || op == .sumOfSquares ? scales : nil)
                        #expect(worst.error <= tolerance(dtype), "\(context): output \(worst.index) is off by \(worst.error)")
                    } else {
                        let values = dtype.isFloatingPoint ? input.values() : input.integers().map(Double.init)
                        let integers = input.integers()
                        let expected = lanes.map { lane in
                            dtype.isFloatingPoint ? integerResult(op, lane.map { values[$0] })
                                : integerReduction(op, lane.map { integers[$0] }, dtype: dtype)
                        }
                        #expect(output.integers() == expected, "\(context)")
                    }
                    #expect(output.untouchedOutsideOperand(), "\(context) wrote outside its output")
                }
            }
        }
    }

    /// 2^22 float32 values around 0.1: a naive float32 loop is off by ~1e-3 here; blocked
    /// summation is within a few float32 roundings of the float64 sum. The axis is split
    /// across cores (one output).
    /// The same for sums of squares (`ds_float_sum_of_squares`), on 2^22 + 5 values (a tail
    /// shorter than a vector).
    @Test(arguments: [ReductionOp.sum, .sumOfSquares])
    func longFloat32SumsAreAccurate(op: ReductionOp) throws {
        var random = SeededGenerator(seed: 0x5_0E5)
        let count = 1 << 22 + (op == .sum ? 0 : 5)
        let values = (0..<count).map { _ in 0.1 + Double.random(in: -0.01...0.01, using: &random) }
        let input = try cpuBuffer(values, .float32)
        let exact = contents(input, .float32, count: count).reduce(0) { $0 + (op == .sum ? $1 : $1 * $1) }
        let output = try cpuBuffer([0], .float32)
        let queue = try cpuQueue()
        try queue.reduce(op, input: StridedOperand(input, dtype: .float32, shape: [count]), axis: 0,
                         output: StridedOperand(output, dtype: .float32, shape: [1]))
        try queue.synchronize()
        let sum = contents(output, .float32, count: 1)[0]
        #expect((sum - exact).magnitude / exact <= 2e-7, "\(op) \(sum), exact \(exact)")
    }

    /// Column sums of a row-major matrix (the tiled path) and row sums, both spread over cores.
    @Test(arguments: [0, 1])
    func matrixSumsAlongEitherAxis(axis: Int) throws {
        var random = SeededGenerator(seed: 0xC01 + UInt64(axis))
        let (rows, columns) = (700, 1030)
        let values = (0..<rows * columns).map { _ in Double.random(in: -1...1, using: &random) }
        let input = try cpuBuffer(values, .float32)
        let stored = contents(input, .float32, count: values.count)
        let outputCount = axis == 0 ? columns : rows
        let output = try cpuBuffer([Double](repeating: .nan, count: outputCount), .float32)
        let queue = try cpuQueue()
        try queue.reduce(.sum, input: StridedOperand(input, dtype: .float32, shape: [rows, columns]), axis: axis,
                         output: StridedOperand(output, dtype: .float32, shape: axis == 0 ? [1, columns] : [rows, 1]))
        try queue.synchronize()
        let lanes = (0..<outputCount).map { index in
            (0..<(axis == 0 ? rows : columns)).map { k in stored[axis == 0 ? k * columns + index : index * columns + k] }
        }
        let expected = lanes.map { TestElements.rounded($0.reduce(0, +), to: .float32) }
        let scales = lanes.map { lane in lane.reduce(0) { $0 + $1.magnitude } }
        let worst = worstError(contents(output, .float32, count: outputCount), expected, scales: scales)
        #expect(worst.error <= tolerance(.float32), "output \(worst.index) is off by \(worst.error) of Σ|x|")
    }

    /// Ties give the first index, NaN wins (first NaN), also when the axis is split across cores.
    @Test func argmaxAndArgminTiesAndNaN() throws {
        let queue = try cpuQueue()
        func reduce(_ op: ReductionOp, _ values: [Double], _ dtype: DType) throws -> Double {
            let input = try cpuBuffer(values, dtype)
            let output = try cpuBuffer([-7], op.outputType(for: dtype))
            try queue.reduce(op, input: StridedOperand(input, dtype: dtype, shape: [values.count]), axis: 0,
                             output: StridedOperand(output, dtype: op.outputType(for: dtype), shape: [1]))
            try queue.synchronize()
            return contents(output, op.outputType(for: dtype), count: 1)[0]
        }
        #expect(try reduce(.argmax, [1, 5, 2, 5, 0], .float32) == 1)
        #expect(try reduce(.argmin, [3, 0, 2, 0, 9], .int32) == 1)
        #expect(try reduce(.argmax, [1, .nan, 7, .nan], .float16) == 1)
        #expect(try reduce(.argmin, [1, -3, .nan], .bfloat16) == 2)
        #expect(try reduce(.max, [1, .nan, 7], .float64).isNaN)
        #expect(try reduce(.argmax, [0, 1, 1, 0], .bool) == 1)
        // float32 lanes take ds_float_max / ds_float_find: the first of equal extremes, past
        // blocks of 16 and 32, with +0 and -0 equal; the first NaN once one is there.
        var ramp = (0..<100).map { Double($0 % 37) }  // 36 at 36 and 73
        #expect(try reduce(.argmax, ramp, .float32) == 36)
        #expect(try reduce(.argmin, ramp, .float32) == 0)
        #expect(try reduce(.argmax, [-1, -0.0, 0.0] + [Double](repeating: -1, count: 40), .float32) == 1)
        #expect(try reduce(.argmin, [Double](repeating: 1, count: 40) + [0.0, -0.0], .float32) == 40)
        #expect(try reduce(.argmax, [Double](repeating: -.infinity, count: 50), .float32) == 0)
        (ramp[90], ramp[95]) = (.nan, .nan)
        #expect(try reduce(.argmax, ramp, .float32) == 90)
        #expect(try reduce(.argmin, ramp, .float32) == 90)
        let long = 600_000
        var values = [Double](repeating: 1, count: long)
        values[long - 10] = 4
        values[long / 2 + 5] = 4
        values[long / 2 - 5] = 4
        #expect(try reduce(.argmax, values, .float32) == Double(long / 2 - 5))
        values[long - 3] = .nan
        #expect(try reduce(.argmax, values, .float32) == Double(long - 3))
        #expect(try reduce(.max, values, .float32).isNaN)
        #expect(try reduce(.sum, values.map { $0.isNaN ? 1 : $0 }, .int64) == Double(long + 9))
    }
}

// MARK: - References

/// Values kept where products stay finite and representable.
func reductionValue(_ op: ReductionOp, _ dtype: DType, _ random: inout SeededGenerator) -> Double {
    if op == .prod, dtype.isFloatingPoint { return Double.random(in: 0.6...1.6, using: &random) }
    if op == .any || op == .all { return Int.random(in: 0..<4, using: &random) == 0 ? 0 : randomValue(dtype, using: &random) }
    return randomValue(dtype, using: &random)
}

/// The row-major indices of the input elements reduced into each output, in output order.
func reductionLanes(shape: [Int], axis: Int) -> [[Int]] {
    let strides = StridedOperand.contiguousStrides(for: shape)
    var outputShape = shape
    outputShape[axis] = 1
    let outputCount = outputShape.reduce(1, *)
    return (0..<outputCount).map { linear in
        var remaining = linear, base = 0
        for dimension in shape.indices.reversed() {
            base += (remaining % outputShape[dimension]) * strides[dimension]
            remaining /= outputShape[dimension]
        }
        return (0..<shape[axis]).map { base + $0 * strides[axis] }
    }
}

func floatReduction(_ op: ReductionOp, _ values: [Double]) -> Double {
    switch op {
    case .sum: return values.reduce(0, +)
    case .prod: return values.reduce(1, *)
    case .sumOfSquares: return values.reduce(0) { $0 + $1 * $1 }
    case .max: return values.contains { $0.isNaN } ? .nan : values.max()!
    case .min: return values.contains { $0.isNaN } ? .nan : values.min()!
    default: preconditionFailure("\(op) does not produce a float")
    }
}

/// argmax/argmin/any/all of any values (the first NaN is the extreme).
func integerResult(_ op: ReductionOp, _ values: [Double]) -> Int64 {
    switch op {
    case .argmax, .argmin:
        if let nan = values.firstIndex(where: \.isNaN) { return Int64(nan) }
        let extreme = op == .argmax ? values.max()! : values.min()!
        return Int64(values.firstIndex(of: extreme)!)
    case .any: return values.contains { $0 != 0 } ? 1 : 0
    case .all: return values.allSatisfy { $0 != 0 } ? 1 : 0
    default: preconditionFailure("\(op) does not produce an integer")
    }
}

func integerReduction(_ op: ReductionOp, _ values: [Int64], dtype: DType) -> Int64 {
    switch op {
    case .sum: return TestElements.wrapped(values.reduce(0, &+), to: dtype)
    case .prod: return values.reduce(1) { TestElements.wrapped($0 &* $1, to: dtype) }
    case .max: return values.max()!
    case .min: return values.min()!
    default: return integerResult(op, values.map(Double.init))
    }
}
