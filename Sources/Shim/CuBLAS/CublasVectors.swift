/// cuBLAS level-1 and GEMV work, built from the backend contract's kernels on the handle's
/// stream: element-wise and reduction kernels for level 1, GEMM (with a one-row left operand)
/// for GEMV.
struct CublasVectors {
    let handle: CublasHandle, stream: CudaStream, dtype: DType

    /// Runs `body` as cuBLAS call `api` on `handle`, recorded with `n`.
    static func run(_ api: String, _ handle: OpaquePointer?, _ dtype: DType, n: Int32,
                    _ body: (CublasVectors) throws(CublasStatus) -> Void) -> Int32 {
        CublasCall.run(api) { () throws(CublasStatus) -> CallDetails? in
            let found = try CublasHandle.named(handle)
            let stream = try found.stream(api: api)
            try body(CublasVectors(handle: found, stream: stream, dtype: dtype))
            return CudaCall.details(RedirectionRecord(found, stream: stream, message: "\(dtype) n=\(n)"))
        }
    }

    func vector(_ pointer: UnsafeRawPointer?, _ n: Int32, _ increment: Int32) throws(CublasStatus) -> StridedOperand {
        try CublasOperands.vector(pointer, dtype, count: Int(n), increment: Int(increment))
    }

    func scalar(_ pointer: UnsafeRawPointer?, over n: Int32) throws(CublasStatus) -> StridedOperand {
        try CublasOperands.broadcastScalar(pointer, dtype, count: Int(n), handle: handle, stream: stream)
    }

    /// A dense scratch vector of `n` elements of `type` (the handle's dtype by default).
    func scratch(_ n: Int, _ type: DType? = nil) throws(CublasStatus) -> StridedOperand {
        let type = type ?? dtype
        return StridedOperand(try CublasOperands.scratch(type, count: n, handle: handle), dtype: type, shape: [n])
    }

    /// Queues `work` on the stream's backend queue.
    func enqueue(_ work: (any DeviceQueue) throws(DeviceError) -> Void) throws(CublasStatus) {
        try CublasCall.runtime { () throws(CudaError) in try stream.enqueue(work) }
    }

    /// Reduces `input` with `op` into a new one-element scratch vector.
    func reduced(_ op: ReductionOp, _ input: StridedOperand) throws(CublasStatus) -> StridedOperand {
        let output = try scratch(1, op.outputType(for: input.dtype))
        try enqueue { queue throws(DeviceError) in try queue.reduce(op, input: input, axis: 0, output: output) }
        return output
    }

    /// Hands a one-element result to the program (per the pointer mode).
    func deliver(_ result: StridedOperand, to pointer: UnsafeMutableRawPointer?) throws(CublasStatus) {
        try CublasOperands.deliver(result.buffer, result.dtype, to: pointer, handle: handle, stream: stream)
    }

    /// Delivers zero, what BLAS returns for an empty vector or a non-positive increment.
    func deliverZero(_ type: DType, to pointer: UnsafeMutableRawPointer?) throws(CublasStatus) {
        let zero = try scratch(1, type)
        try enqueue { queue throws(DeviceError) in try queue.fill(BufferRegion(zero.buffer), with: FillPattern(byte: 0)) }
        try deliver(zero, to: pointer)
    }

    // MARK: - The operations

    /// `y = alpha·op(A)·x + beta·y` as the GEMM `yᵀ = alpha·xᵀ·op(A)ᵀ + beta·yᵀ`, whose
    /// one-row operands take the increments as leading dimensions.
    func gemv(_ trans: Int32, _ m: Int32, _ n: Int32, alpha: UnsafeRawPointer?, _ a: UnsafeRawPointer?, _ lda: Int32,
              _ x: UnsafeRawPointer?, _ incx: Int32, beta: UnsafeRawPointer?, _ y: UnsafeRawPointer?, _ incy: Int32) throws(CublasStatus) {
        guard (0...2).contains(trans), m >= 0, n >= 0, lda >= max(1, m), incx != 0, incy != 0 else { throw .invalidValue }
        guard incx > 0, incy > 0 else { throw .notSupported }
        let (alphaValue, betaValue) = (try CublasOperands.scalarValue(alpha, dtype, handle: handle, stream: stream),
                                       try CublasOperands.scalarValue(beta, dtype, handle: handle, stream: stream))
        guard m > 0, n > 0 else { return }
        let transposed = trans != 0
        let (inputs, outputs) = transposed ? (Int(m), Int(n)) : (Int(n), Int(m))
        let operation = GemmOperation(
            dtype: dtype, transposeB: !transposed, m: 1, n: outputs, k: inputs, alpha: alphaValue, beta: betaValue,
            a: try CublasOperands.matrix(x, dtype, rows: 1, columns: inputs, ld: Int(incx)),
            b: try CublasOperands.matrix(a, dtype, rows: Int(m), columns: Int(n), ld: Int(lda)),
            c: try CublasOperands.matrix(y, dtype, rows: 1, columns: outputs, ld: Int(incy)))
        try enqueue { queue throws(DeviceError) in try queue.gemm(operation) }
    }

    /// `y = alpha·x + y`.
    func axpy(_ n: Int32, alpha: UnsafeRawPointer?, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeRawPointer?, _ incy: Int32) throws(CublasStatus) {
        guard n > 0 else { return }
        let (xs, ys, scale) = (try vector(x, n, incx), try vector(y, n, incy), try scalar(alpha, over: n))
        let scaled = try scratch(Int(n))
        try enqueue { queue throws(DeviceError) in
            try queue.binary(.mul, lhs: xs, rhs: scale, output: scaled)
            try queue.binary(.add, lhs: ys, rhs: scaled, output: ys)
        }
    }

    /// `x = alpha·x`; nothing for a non-positive increment (BLAS's rule).
    func scal(_ n: Int32, alpha: UnsafeRawPointer?, _ x: UnsafeRawPointer?, _ incx: Int32) throws(CublasStatus) {
        guard n > 0, incx > 0 else { return }
        let (xs, scale) = (try vector(x, n, incx), try scalar(alpha, over: n))
        try enqueue { queue throws(DeviceError) in try queue.binary(.mul, lhs: xs, rhs: scale, output: xs) }
    }

    /// `y = x`.
    func copy(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeRawPointer?, _ incy: Int32) throws(CublasStatus) {
        guard n > 0 else { return }
        let (xs, ys) = (try vector(x, n, incx), try vector(y, n, incy))
        try enqueue { queue throws(DeviceError) in try queue.convert(input: xs, output: ys) }
    }

    /// Exchanges x and y, through a scratch copy of x.
    func swap(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeRawPointer?, _ incy: Int32) throws(CublasStatus) {
        guard n > 0 else { return }
        let (xs, ys, saved) = (try vector(x, n, incx), try vector(y, n, incy), try scratch(Int(n)))
        try enqueue { queue throws(DeviceError) in
            try queue.convert(input: xs, output: saved)
            try queue.convert(input: ys, output: xs)
            try queue.convert(input: saved, output: ys)
        }
    }

    /// `x·y`.
    func dot(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeRawPointer?, _ incy: Int32,
             result: UnsafeMutableRawPointer?) throws(CublasStatus) {
        guard n > 0 else { return try deliverZero(dtype, to: result) }
        let (xs, ys, products) = (try vector(x, n, incx), try vector(y, n, incy), try scratch(Int(n)))
        try enqueue { queue throws(DeviceError) in try queue.binary(.mul, lhs: xs, rhs: ys, output: products) }
        try deliver(try reduced(.sum, products), to: result)
    }

    /// The Euclidean norm, `sqrt(Σ xᵢ²)`.
    func nrm2(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, result: UnsafeMutableRawPointer?) throws(CublasStatus) {
        guard n > 0, incx > 0 else { return try deliverZero(dtype, to: result) }
        let (xs, squares) = (try vector(x, n, incx), try scratch(Int(n)))
        try enqueue { queue throws(DeviceError) in try queue.unary(.square, input: xs, output: squares) }
        let total = try reduced(.sum, squares)
        try enqueue { queue throws(DeviceError) in try queue.unary(.sqrt, input: total, output: total) }
        try deliver(total, to: result)
    }

    /// `Σ |xᵢ|`.
    func asum(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, result: UnsafeMutableRawPointer?) throws(CublasStatus) {
        guard n > 0, incx > 0 else { return try deliverZero(dtype, to: result) }
        let (xs, magnitudes) = (try vector(x, n, incx), try scratch(Int(n)))
        try enqueue { queue throws(DeviceError) in try queue.unary(.abs, input: xs, output: magnitudes) }
        try deliver(try reduced(.sum, magnitudes), to: result)
    }

    /// The 1-based index of the first element of largest magnitude (0 for an empty vector).
    func iamax(_ n: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, result: UnsafeMutableRawPointer?) throws(CublasStatus) {
        guard n > 0, incx > 0 else { return try deliverZero(.int32, to: result) }
        let (xs, magnitudes) = (try vector(x, n, incx), try scratch(Int(n)))
        try enqueue { queue throws(DeviceError) in try queue.unary(.abs, input: xs, output: magnitudes) }
        let index = try reduced(.argmax, magnitudes)
        let (one, oneBased) = (try scratch(1, .int64), try scratch(1, .int32))
        try enqueue { queue throws(DeviceError) in
            try queue.fill(BufferRegion(one.buffer), with: FillPattern(element: Int64(1)))
            try queue.binary(.add, lhs: index, rhs: one, output: index)
            try queue.convert(input: index, output: oneBased)
        }
        try deliver(oneBased, to: result)
    }
}
