#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// Every unary and binary op the CPU claims, on every dtype, against references computed
/// here in float64 (floats) or wrapped Int64 (integers), over random shapes and layouts.
@Suite struct CPUElementwiseTests {
    /// 20 cases cycle through every pair of input and output layout (5 × 4, coprime).
    static let caseCount = 20

    @Test(arguments: DType.allCases)
    func unaryOpsMatchReference(dtype: DType) throws {
        var random = SeededGenerator(seed: 0x0E1E_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        let queue = try cpuQueue()
        let ops = UnaryOp.allCases.filter { CPUDevice.shared.supports(.unary($0), dtype) }
        #expect(!ops.isEmpty)
        for op in ops {
            let shapes = randomShapes(count: Self.caseCount, using: &random)
            for (index, shape) in shapes.enumerated() {
                let inputLayout = Layout.allCases[index % Layout.allCases.count]
                let outputLayout = Layout.outputs[index % Layout.outputs.count]
                let input = try TestTensor(shape, dtype, layout: inputLayout, using: &random) { unaryDomain(op, dtype, &$0) }
                let outputType = op.producesBool ? DType.bool : dtype
                let output = try TestTensor(shape, outputType, layout: outputLayout, using: &random) { randomValue(outputType, using: &$0) }
                try queue.unary(op, input: input.operand, output: output.operand)
                try queue.synchronize()
                let context = "\(op) \(dtype) shape \(shape) input \(inputLayout) output \(outputLayout)"
                if dtype.isFloatingPoint && outputType != .bool {
                    let expected = input.values().map { TestElements.rounded(floatUnary(op, $0), to: dtype) }
                    let worst = worstError(output.values(), expected)
                    #expect(worst.error <= tolerance(dtype), "\(context): element \(worst.index) is off by \(worst.error)")
                } else if dtype.isFloatingPoint {
                    #expect(output.integers() == input.values().map { $0 == 0 ? 1 : 0 }, "\(context)")
                } else {
                    let expected = input.integers().map { integerUnary(op, $0, dtype: dtype) }
                    #expect(output.integers() == expected, "\(context)")
                }
                #expect(output.untouchedOutsideOperand(), "\(context) wrote outside its output")
            }
        }
    }

    @Test(arguments: DType.allCases)
    func binaryOpsMatchReference(dtype: DType) throws {
        var random = SeededGenerator(seed: 0xB1_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        let queue = try cpuQueue()
        let ops = BinaryOp.allCases.filter { CPUDevice.shared.supports(.binary($0), dtype) }
        #expect(ops.count == (dtype == .bool ? 9 : BinaryOp.allCases.count))
        for op in ops {
            let shapes = randomShapes(count: Self.caseCount, using: &random)
            for (index, shape) in shapes.enumerated() {
                let layouts = (lhs: Layout.allCases[index % 5], rhs: Layout.allCases[(index + 2) % 5],
                               output: Layout.outputs[index % 4])
                let lhs = try TestTensor(shape, dtype, layout: layouts.lhs, using: &random) { randomValue(dtype, using: &$0) }
                let rhs = try TestTensor(shape, dtype, layout: layouts.rhs, using: &random) { binaryDomain(op, dtype, &$0) }
                let outputType = op.producesBool ? DType.bool : dtype
                let output = try TestTensor(shape, outputType, layout: layouts.output, using: &random) { randomValue(outputType, using: &$0) }
                try queue.binary(op, lhs: lhs.operand, rhs: rhs.operand, output: output.operand)
                try queue.synchronize()
                let context = "\(op) \(dtype) shape \(shape) layouts \(layouts)"
                if dtype.isFloatingPoint {
                    let expected = zip(lhs.values(), rhs.values()).map { floatBinary(op, $0, $1) }
                    let rounded = op.producesBool ? expected : expected.map { TestElements.rounded($0, to: dtype) }
                    let worst = worstError(output.values(), rounded)
                    #expect(worst.error <= tolerance(dtype), "\(context): element \(worst.index) is off by \(worst.error)")
                } else {
                    let expected = zip(lhs.integers(), rhs.integers()).map { integerBinary(op, $0, $1, dtype: dtype) }
                    #expect(output.integers() == expected, "\(context)")
                }
                #expect(output.untouchedOutsideOperand(), "\(context) wrote outside its output")
            }
        }
    }

    /// Large operands take the parallel path; a scalar on either side takes the broadcast loops
    /// (for float32 add, sub, mul and div, the vector kernels of vector_kernels.h).
    @Test(arguments: [BinaryOp.add, .sub, .mul, .div, .maximum])
    func largeAndScalarBroadcastOperands(op: BinaryOp) throws {
        var random = SeededGenerator(seed: 0x1A26E)
        let queue = try cpuQueue()
        let count = 300_001
        let values = (0..<count).map { _ in Double.random(in: -100...100, using: &random) }
        let vector = try cpuBuffer(values, .float32)
        let scalar = try cpuBuffer([3.25], .float32)
        let output = try cpuBuffer([Double](repeating: 0, count: count), .float32)
        let dense = StridedOperand(vector, dtype: .float32, shape: [count])
        let broadcast = StridedOperand(scalar, dtype: .float32, shape: [count], strides: [0])
        let result = StridedOperand(output, dtype: .float32, shape: [count])
        let stored = contents(vector, .float32, count: count)
        let cases: [(StridedOperand, StridedOperand, (Double) -> Double)] = [
            (dense, broadcast, { floatBinary(op, $0, 3.25) }),
            (broadcast, dense, { floatBinary(op, 3.25, $0) }),
            (dense, dense, { floatBinary(op, $0, $0) }),
        ]
        for (index, (lhs, rhs, reference)) in cases.enumerated() {
            try queue.binary(op, lhs: lhs, rhs: rhs, output: result)
            try queue.synchronize()
            let expected = stored.map { TestElements.rounded(reference($0), to: .float32) }
            let worst = worstError(contents(output, .float32, count: count), expected)
            #expect(worst.error <= tolerance(.float32), "\(op) case \(index): element \(worst.index) is off by \(worst.error)")
        }
    }

    /// A 600×513 transposed view: many runs, split across cores mid-run.
    @Test func largeStridedOperandsSplitAcrossCores() throws {
        var random = SeededGenerator(seed: 0x57_21DE)
        let queue = try cpuQueue()
        let lhs = try TestTensor([600, 513], .float64, layout: .transposed, using: &random) { _ in 0 }
        for index in lhs.elementIndices { TestElements.store(Double(index), as: .float64, at: index, in: lhs.buffer) }
        let rhs = try TestTensor([600, 513], .float64, layout: .reversed, using: &random) { Double.random(in: -1...1, using: &$0) }
        let output = try TestTensor([600, 513], .float64, layout: .stepped, using: &random) { _ in .nan }
        try queue.binary(.sub, lhs: lhs.operand, rhs: rhs.operand, output: output.operand)
        try queue.synchronize()
        #expect(output.values() == zip(lhs.values(), rhs.values()).map { $0 - $1 })
        #expect(output.untouchedOutsideOperand())
    }

    /// Outputs of 4M+ floats per thread are written with non-temporal stores (vector_kernels.c):
    /// 9M+5 elements at odd offsets exercise the scalar head, the streamed body and the tail.
    @Test(arguments: [BinaryOp.add, .sub, .mul, .div])
    func streamedOutputsOfHugeDenseOpsAreExact(op: BinaryOp) throws {
        let count = 9 * (1 << 20) + 5, offset = 3
        let queue = try cpuQueue()
        let buffers = try (0..<3).map { _ in try #require(try CPUDevice.shared.allocate(byteCount: (count + offset) * 4) as? CPUBuffer) }
        let lhs = buffers[0].baseAddress.bindMemory(to: Float.self, capacity: count + offset)
        let rhs = buffers[1].baseAddress.bindMemory(to: Float.self, capacity: count + offset)
        let output = buffers[2].baseAddress.bindMemory(to: Float.self, capacity: count + offset)
        for index in 0..<(count + offset) {
            lhs[index] = Float(index % 1000) + 0.5
            rhs[index] = Float(index % 7) + 1
            output[index] = .nan
        }
        let operands = buffers.map { StridedOperand($0, dtype: .float32, offset: offset, shape: [count]) }
        try queue.binary(op, lhs: operands[0], rhs: operands[1], output: operands[2])
        try queue.synchronize()
        let function: (Float, Float) -> Float = switch op {
        case .add: (+)
        case .sub: (-)
        case .mul: (*)
        default: (/)
        }
        let wrong = (offset..<(count + offset)).first { output[$0] != function(lhs[$0], rhs[$0]) }
        #expect(wrong == nil, "\(op): element \(wrong ?? 0) is \(output[wrong ?? 0])")
        #expect((0..<offset).allSatisfy { output[$0].isNaN })
    }

    @Test func specialValues() throws {
        let queue = try cpuQueue()
        func binary(_ op: BinaryOp, _ dtype: DType, _ lhs: [Double], _ rhs: [Double]) throws -> [Double] {
            let (a, b) = (try cpuBuffer(lhs, dtype), try cpuBuffer(rhs, dtype))
            let outputType = op.producesBool ? DType.bool : dtype
            let output = try cpuBuffer([Double](repeating: 0, count: lhs.count), outputType)
            try queue.binary(op, lhs: StridedOperand(a, dtype: dtype, shape: [lhs.count]),
                             rhs: StridedOperand(b, dtype: dtype, shape: [lhs.count]),
                             output: StridedOperand(output, dtype: outputType, shape: [lhs.count]))
            try queue.synchronize()
            return contents(output, outputType, count: lhs.count)
        }
        // Integer division and remainder truncate toward zero; a zero divisor gives 0; min / -1 wraps.
        let int32Min = Double(Int32.min)
        #expect(try binary(.div, .int32, [7, -7, 7, 5, int32Min], [2, 2, 0, -1, -1]) == [3, -3, 0, -5, int32Min])
        #expect(try binary(.remainder, .int32, [7, -7, 7, int32Min], [2, 2, 0, -1]) == [1, -1, 0, 0])
        #expect(try binary(.div, .uint8, [200, 9], [0, 4]) == [0, 2])
        #expect(try binary(.add, .uint8, [200], [100]) == [44])
        #expect(try binary(.pow, .int64, [2, 3, 2, -1, -1, 5], [10, 0, -1, -3, -2, -1]) == [1024, 1, 0, -1, 1, 0])
        // Floating point: NaN propagates through maximum/minimum; remainder is fmod.
        let maxima = try binary(.maximum, .float32, [.nan, 1, 2], [1, .nan, 1])
        #expect(maxima[0].isNaN && maxima[1].isNaN && maxima[2] == 2)
        #expect(try binary(.remainder, .float64, [5.5, -5.5], [2, 2]) == [1.5, -1.5])
        #expect(try binary(.notEqual, .float16, [.nan, 1], [.nan, 1]) == [1, 0])
        #expect(try binary(.logicalAnd, .bfloat16, [.nan, 0, 2], [1, 1, -0.0]) == [1, 0, 0])

        // Round is half to even; relu and sign pass NaN through.
        let input = try cpuBuffer([0.5, 1.5, 2.5, -0.5, .nan], .float32)
        let output = try cpuBuffer([0, 0, 0, 0, 0], .float32)
        for (op, expected) in [(UnaryOp.round, [0.0, 2, 2, -0.0]), (.relu, [0.5, 1.5, 2.5, 0]), (.sign, [1, 1, 1, -1])] {
            try queue.unary(op, input: StridedOperand(input, dtype: .float32, shape: [5]),
                            output: StridedOperand(output, dtype: .float32, shape: [5]))
            try queue.synchronize()
            let result = contents(output, .float32, count: 5)
            #expect(Array(result.prefix(4)) == expected && result[4].isNaN, "\(op)")
        }

        // Bools are any nonzero byte; kernels write 0 or 1.
        let bytes = try #require(try CPUDevice.shared.allocate(byteCount: 3) as? CPUBuffer)
        bytes.baseAddress.copyMemory(from: [UInt8(0), 2, 255], byteCount: 3)
        let negated = try cpuBuffer([7, 7, 7], .bool)
        try queue.unary(.logicalNot, input: StridedOperand(bytes, dtype: .bool, shape: [3]),
                        output: StridedOperand(negated, dtype: .bool, shape: [3]))
        try queue.synchronize()
        #expect(Array(UnsafeRawBufferPointer(start: negated.baseAddress, count: 3)) == [1, 0, 0])
    }
}

// MARK: - References

/// Inputs inside each function's domain (positive for log and roots, nonzero for 1/x).
func unaryDomain(_ op: UnaryOp, _ dtype: DType, _ random: inout SeededGenerator) -> Double {
    let value = randomValue(dtype, using: &random)
    guard dtype.isFloatingPoint else { return value }
    switch op {
    case .log, .sqrt, .rsqrt: return value.magnitude + 0.125
    case .reciprocal: return value == 0 ? 0.75 : value
    default: return value
    }
}

/// Right operands: small exponents for integer pow.
func binaryDomain(_ op: BinaryOp, _ dtype: DType, _ random: inout SeededGenerator) -> Double {
    if op == .pow, !dtype.isFloatingPoint { return Double(Int.random(in: (dtype == .uint8 ? 0 : -3)...12, using: &random)) }
    return randomValue(dtype, using: &random)
}

func floatUnary(_ op: UnaryOp, _ x: Double) -> Double {
    switch op {
    case .neg: -x
    case .abs: x.magnitude
    case .sign: x > 0 ? 1 : x < 0 ? -1 : x
    case .square: x * x
    case .relu: x < 0 ? 0 : x
    case .logicalNot: x == 0 ? 1 : 0
    case .exp: exp(x)
    case .log: log(x)
    case .sqrt: x.squareRoot()
    case .rsqrt: 1 / x.squareRoot()
    case .reciprocal: 1 / x
    case .sin: sin(x)
    case .cos: cos(x)
    case .tanh: tanh(x)
    case .sigmoid: 1 / (1 + exp(-x))
    case .gelu: 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
    case .erf: erf(x)
    case .floor: x.rounded(.down)
    case .ceil: x.rounded(.up)
    case .round: x.rounded(.toNearestOrEven)
    }
}

func integerUnary(_ op: UnaryOp, _ x: Int64, dtype: DType) -> Int64 {
    let result: Int64 = switch op {
    case .neg: 0 &- x
    case .abs: x < 0 ? 0 &- x : x
    case .sign: x > 0 ? 1 : x < 0 ? -1 : 0
    case .square: x &* x
    case .relu: max(x, 0)
    case .logicalNot: x == 0 ? 1 : 0
    default: preconditionFailure("\(op) is not an integer op")
    }
    return TestElements.wrapped(result, to: op.producesBool ? .bool : dtype)
}

func floatBinary(_ op: BinaryOp, _ a: Double, _ b: Double) -> Double {
    func truth(_ value: Bool) -> Double { value ? 1 : 0 }
    switch op {
    case .add: return a + b
    case .sub: return a - b
    case .mul: return a * b
    case .div: return a / b
    case .remainder: return fmod(a, b)
    case .pow: return pow(a, b)
    case .maximum: return a.isNaN || b.isNaN ? .nan : max(a, b)
    case .minimum: return a.isNaN || b.isNaN ? .nan : min(a, b)
    default: return truth(comparison(op, a, b))
    }
}

/// The comparisons and logical ops, alike for floats and integers.
func comparison<Value: Comparable & AdditiveArithmetic>(_ op: BinaryOp, _ a: Value, _ b: Value) -> Bool {
    switch op {
    case .equal: a == b
    case .notEqual: a != b
    case .less: a < b
    case .lessEqual: a <= b
    case .greater: a > b
    case .greaterEqual: a >= b
    case .logicalAnd: a != .zero && b != .zero
    case .logicalOr: a != .zero || b != .zero
    case .logicalXor: (a != .zero) != (b != .zero)
    default: preconditionFailure("\(op) is not a comparison")
    }
}

func integerBinary(_ op: BinaryOp, _ a: Int64, _ b: Int64, dtype: DType) -> Int64 {
    func truth(_ value: Bool) -> Int64 { value ? 1 : 0 }
    let wrap = { (value: Int64) in TestElements.wrapped(value, to: dtype) }
    switch op {
    case .add: return wrap(a &+ b)
    case .sub: return wrap(a &- b)
    case .mul: return wrap(a &* b)
    case .div: return b == 0 ? 0 : (a == .min && b == -1) ? .min : wrap(a / b)
    case .remainder: return b == 0 || b == -1 ? 0 : a % b
    case .pow:
        if b < 0 { return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0 }
        var result: Int64 = 1
        for _ in 0..<b { result = wrap(result &* a) }
        return result
    case .maximum: return max(a, b)
    case .minimum: return min(a, b)
    default: return truth(comparison(op, a, b))
    }
}
