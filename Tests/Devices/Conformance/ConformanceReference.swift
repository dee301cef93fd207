import Testing
@testable import DeviceShimDevices

/// The reference a device is judged against: the CPU backend computing in float64 (integer
/// and bool operations in their own dtype) on dense copies of the operation's logical inputs.
enum ConformanceReference {
    /// The dtype the reference computes `dtype` in.
    static func widened(_ dtype: DType) -> DType { dtype.isFloatingPoint ? .float64 : dtype }

    static func unary(_ op: UnaryOp, _ input: TestTensor) throws -> [Double] {
        let source = try dense(input.values(), input.dtype, shape: input.shape)
        let output = try blank(op.producesBool ? .bool : widened(input.dtype), shape: input.shape)
        try run { try $0.unary(op, input: source, output: output) }
        return values(of: output)
    }

    static func binary(_ op: BinaryOp, _ lhs: TestTensor, _ rhs: TestTensor) throws -> [Double] {
        let left = try dense(lhs.values(), lhs.dtype, shape: lhs.shape)
        let right = try dense(rhs.values(), rhs.dtype, shape: rhs.shape)
        let output = try blank(op.producesBool ? .bool : widened(lhs.dtype), shape: lhs.shape)
        try run { try $0.binary(op, lhs: left, rhs: right, output: output) }
        return values(of: output)
    }

    static func reduce(_ op: ReductionOp, _ input: TestTensor, axis: Int) throws -> [Double] {
        let source = try dense(input.values(), input.dtype, shape: input.shape)
        var shape = input.shape
        shape[axis] = 1
        let output = try blank(op.outputType(for: widened(input.dtype)), shape: shape)
        try run { try $0.reduce(op, input: source, axis: axis, output: output) }
        return values(of: output)
    }

    static func alongAxis(_ op: AxisOp, _ input: TestTensor, axis: Int) throws -> [Double] {
        let source = try dense(input.values(), input.dtype, shape: input.shape)
        let output = try blank(widened(input.dtype), shape: input.shape)
        try run { try $0.alongAxis(op, input: source, axis: axis, output: output) }
        return values(of: output)
    }

    static func convert(_ input: TestTensor, to dtype: DType) throws -> [Double] {
        let source = try dense(input.values(), input.dtype, shape: input.shape)
        let output = try blank(widened(dtype), shape: input.shape)
        try run { try $0.convert(input: source, output: output) }
        return values(of: output)
    }

    /// C after the GEMM, batch by batch, column-major and dense.
    static func gemm(_ operation: GemmOperation, a: [Double], b: [Double], c: [Double]) throws -> [Double] {
        let (aRows, aColumns) = operation.transposeA ? (operation.k, operation.m) : (operation.m, operation.k)
        let (bRows, bColumns) = operation.transposeB ? (operation.n, operation.k) : (operation.k, operation.n)
        let batches = operation.batchCount
        let left = try dense(a, .float64, shape: [a.count]), right = try dense(b, .float64, shape: [b.count])
        let result = try dense(c, .float64, shape: [c.count])
        var reference = operation
        reference.dtype = .float64
        reference.a = MatrixOperand(left.buffer, leadingDimension: max(aRows, 1), batchStride: aRows * aColumns)
        reference.b = MatrixOperand(right.buffer, leadingDimension: max(bRows, 1), batchStride: bRows * bColumns)
        reference.c = MatrixOperand(result.buffer, leadingDimension: max(operation.m, 1), batchStride: operation.m * operation.n)
        precondition(a.count == batches * aRows * aColumns && c.count == batches * operation.m * operation.n)
        try run { try $0.gemm(reference) }
        return values(of: result)
    }

    // MARK: - Dense CPU operands

    private static func dense(_ values: [Double], _ dtype: DType, shape: [Int]) throws -> StridedOperand {
        let widened = widened(dtype)
        let buffer = try cpuBuffer(values.isEmpty ? [0] : values, widened)
        return StridedOperand(buffer, dtype: widened, shape: shape)
    }

    private static func blank(_ dtype: DType, shape: [Int]) throws -> StridedOperand {
        let count = max(shape.reduce(1, *), 1)
        return StridedOperand(try cpuBuffer([Double](repeating: 0, count: count), dtype), dtype: dtype, shape: shape)
    }

    private static func values(of operand: StridedOperand) -> [Double] {
        guard let buffer = operand.buffer as? CPUBuffer else { return [] }
        return contents(buffer, operand.dtype, count: operand.elementCount)
    }

    private static func run(_ body: (any DeviceQueue) throws -> Void) throws {
        let queue = try cpuQueue()
        try body(queue)
        try queue.synchronize()
    }
}

/// How far a device's results are from the reference: for floating-point outputs the
/// normalised mean squared error Σ(a − r)² / Σr² (as ggml's test-backend-ops reports it;
/// NaN must meet NaN and infinities must match exactly), for the rest exact equality.
enum ConformanceError {
    static func of(_ actual: [Double], _ expected: [Double], dtype: DType) -> Double {
        guard actual.count == expected.count else { return .infinity }
        guard dtype.isFloatingPoint else { return actual == expected ? 0 : .infinity }
        var squaredError = 0.0, squaredReference = 0.0
        for (a, r) in zip(actual, expected) {
            if a.isNaN || r.isNaN || a.isInfinite || r.isInfinite {
                let same = (a.isNaN && r.isNaN) || a == r
                if !same { return .infinity }
                continue
            }
            squaredError += (a - r) * (a - r)
            squaredReference += r * r
        }
        if squaredError == 0 { return 0 }
        return squaredError / max(squaredReference, .leastNormalMagnitude)
    }

    /// The largest error accepted for outputs of `dtype`: the CPU reaches well below these;
    /// a kernel with a wrong formula, rounding or index lands orders of magnitude above.
    static func limit(_ dtype: DType) -> Double {
        switch dtype {
        case .float64: 1e-20
        case .float32: 1e-9
        case .float16: 1e-5
        case .bfloat16: 1e-3
        default: 0
        }
    }
}
