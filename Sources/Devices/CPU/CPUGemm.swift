import CBLAS

/// GEMM on the CPU through the BLAS library, MKL or OpenBLAS (`cblas_sgemm` / `cblas_dgemm`,
/// column-major, one call per batch), except many small float32 and float64 GEMMs, which are
/// split by batch across the cores (`CPUBatchedGemm`). bfloat16 runs on DeviceShim's
/// AVX512-BF16 tile where the CPU has one (`CPUBFloat16Gemm`); otherwise it and float16 are
/// widened to float32 per batch, multiplied with `cblas_sgemm` (float32 accumulation) and
/// rounded back once.
enum CPUGemm {
    /// GEMMs of at most this many multiply-adds run on the caller's thread when the queue is
    /// idle. With MKL that thread computes alone (see `run`), so only up to 128³: one core
    /// finishes those about as soon as the queue's worker would, woken (some 20 µs) and
    /// computing on every core.
    static let inlineMultiplyLimit = computesAloneOnHostThread ? 1 << 21 : 1 << 24

    /// The BLAS library loaded: "mkl" or "openblas"; nil without one. Loads it on first use.
    static let library = ds_blas_provider().map { String(cString: $0) }

    /// Whether the library computes on a host thread alone, without its own threads (MKL:
    /// see `ds_blas_sgemm`), read once rather than comparing strings on every GEMM.
    static let computesAloneOnHostThread = library == "mkl"

    /// Why no BLAS library can be used, or nil when one can. Loads it on first use.
    static var unavailableReason: String? {
        ds_blas_load().map { String(cString: $0) }
    }

    /// Checks dimensions, leading dimensions and the elements every batch touches, as BLAS
    /// would (so the library never rejects, or prints about, a call that passed).
    static func validated(_ operation: GemmOperation) throws(DeviceError) -> GemmPlan {
        let (m, n, k, batchCount) = (operation.m, operation.n, operation.k, operation.batchCount)
        try operation.checkSizes()
        let size = operation.dtype.byteSize
        // A matrix is read only if it contributes: A and B not when k == 0; nothing when C is empty.
        let touched = m > 0 && n > 0 && batchCount > 0
        let a = try checked("A", operation.a, rows: operation.transposeA ? k : m, columns: operation.transposeA ? m : k,
                            batchCount: batchCount, elementSize: size, touched: touched && k > 0)
        let b = try checked("B", operation.b, rows: operation.transposeB ? n : k, columns: operation.transposeB ? k : n,
                            batchCount: batchCount, elementSize: size, touched: touched && k > 0)
        let c = try checked("C", operation.c, rows: m, columns: n, batchCount: batchCount, elementSize: size, touched: touched)
        return GemmPlan(operation: operation, a: a, b: b, c: c)
    }

    private static func checked(
        _ name: String, _ matrix: MatrixOperand, rows: Int, columns: Int, batchCount: Int, elementSize: Int, touched: Bool
    ) throws(DeviceError) -> UnsafeMutableRawPointer {
        guard let buffer = matrix.buffer as? CPUBuffer else {
            throw .invalidArgument("gemm matrix \(name) is not in a CPU buffer")
        }
        let leading = matrix.leadingDimension
        guard leading >= max(1, rows), leading <= Int(Int32.max) else {
            throw .invalidArgument("gemm leading dimension of \(name) is \(leading), it must be at least \(max(1, rows))")
        }
        guard touched else { return buffer.baseAddress }
        let (lastBatch, overflow1) = (batchCount - 1).multipliedReportingOverflow(by: matrix.batchStride)
        let (lastColumn, overflow2) = (columns - 1).multipliedReportingOverflow(by: leading)
        let lowest = matrix.offset &+ min(0, lastBatch)
        let highest = matrix.offset &+ max(0, lastBatch) &+ (rows - 1) &+ lastColumn
        let (endByte, overflow3) = (highest &+ 1).multipliedReportingOverflow(by: elementSize)
        guard !overflow1, !overflow2, !overflow3, lowest >= 0, endByte <= buffer.byteCount else {
            throw .invalidArgument("gemm matrix \(name) (\(rows)×\(columns), leading dimension \(leading), offset "
                + "\(matrix.offset), batch stride \(matrix.batchStride) × \(batchCount)) lies outside its "
                + "\(buffer.byteCount)-byte buffer")
        }
        return buffer.baseAddress
    }

    /// Multiplies; `onHostThread` when the calling thread is not DeviceShim's own (see
    /// `ds_blas_sgemm`: MKL then computes on it alone).
    static func run(_ plan: GemmPlan, onHostThread: Bool) {
        let operation = plan.operation
        guard operation.m > 0, operation.n > 0 else { return }
        // Many small GEMMs: each core computes whole ones (the pool's threads, not the BLAS's).
        if CPUBatchedGemm.run(plan) { return }
        // bfloat16 with AVX512-BF16: DeviceShim's own tile, on the pool's threads.
        if CPUBFloat16Gemm.run(plan) { return }
        // The library's threads are about to share the cores with the pool's (MKL's on the
        // host thread excepted: it then computes on that thread alone).
        if !(onHostThread && computesAloneOnHostThread) { Parallel.restWorkers() }
        switch operation.dtype {
        case .float32:
            runFloat32(plan, batches: 0..<operation.batchCount, alone: onHostThread)
        case .float64:
            runFloat64(plan, batches: 0..<operation.batchCount, alone: onHostThread)
        case .float16:
            runWidened(plan, Float16.self, batches: 0..<operation.batchCount, columns: 0..<operation.n, alone: onHostThread)
        case .bfloat16:
            runWidened(plan, BFloat16.self, batches: 0..<operation.batchCount, columns: 0..<operation.n, alone: onHostThread)
        case .int32, .int64, .uint8, .bool: preconditionFailure("gemm on \(operation.dtype) passed validation")
        }
    }

    /// `batches` of a float32 plan through `cblas_sgemm`, one call each; `alone` asks MKL to
    /// compute on the calling thread only (`ds_blas_sgemm`'s `on_host_thread`).
    static func runFloat32(_ plan: GemmPlan, batches: Range<Int>, alone: Bool) {
        let gemm = plan.operation
        forEach(batches, of: plan, as: Float.self) { a, b, c in
            ds_blas_sgemm(alone ? 1 : 0, gemm.transposeA ? 1 : 0, gemm.transposeB ? 1 : 0,
                          Int32(gemm.m), Int32(gemm.n), Int32(gemm.k), Float(gemm.alpha), a, Int32(gemm.a.leadingDimension),
                          b, Int32(gemm.b.leadingDimension), Float(gemm.beta), c, Int32(gemm.c.leadingDimension))
        }
    }

    /// `runFloat32` in double precision (`cblas_dgemm`).
    static func runFloat64(_ plan: GemmPlan, batches: Range<Int>, alone: Bool) {
        let gemm = plan.operation
        forEach(batches, of: plan, as: Double.self) { a, b, c in
            ds_blas_dgemm(alone ? 1 : 0, gemm.transposeA ? 1 : 0, gemm.transposeB ? 1 : 0,
                          Int32(gemm.m), Int32(gemm.n), Int32(gemm.k), gemm.alpha, a, Int32(gemm.a.leadingDimension),
                          b, Int32(gemm.b.leadingDimension), gemm.beta, c, Int32(gemm.c.leadingDimension))
        }
    }

    /// Calls `body` with the first elements of A, B and C of each of `batches`.
    private static func forEach<E>(
        _ batches: Range<Int>, of plan: GemmPlan, as _: E.Type,
        _ body: (UnsafeMutablePointer<E>, UnsafeMutablePointer<E>, UnsafeMutablePointer<E>) -> Void
    ) {
        for batch in batches {
            let (a, b, c) = plan.matrices(of: batch, as: E.self)
            body(a, b, c)
        }
    }

    /// Half-precision GEMM of `batches`, columns `columns` of C: each batch's matrices are
    /// copied to dense float32 scratch, multiplied with `cblas_sgemm` and rounded back.
    static func runWidened<E: FloatElement>(
        _ plan: GemmPlan, _: E.Type, batches: Range<Int>, columns: Range<Int>, alone: Bool
    ) where E.Math == Float {
        let operation = plan.operation
        let (m, n, k) = (operation.m, columns.count, operation.k)
        let (aRows, aColumns) = operation.transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = operation.transposeB ? (n, k) : (k, n)
        // Where column `columns.lowerBound` of op(B) and of C starts.
        let bShift = columns.lowerBound * (operation.transposeB ? 1 : operation.b.leadingDimension)
        let cShift = columns.lowerBound * operation.c.leadingDimension
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: aRows * aColumns + bRows * bColumns + m * n)
        defer { scratch.deallocate() }
        let (wideA, wideB, wideC) = (scratch, scratch + aRows * aColumns, scratch + aRows * aColumns + bRows * bColumns)
        forEach(batches, of: plan, as: E.self) { a, b, c in
            let (b, c) = (b + bShift, c + cShift)
            widen(a, leading: operation.a.leadingDimension, rows: aRows, columns: aColumns, into: wideA)
            widen(b, leading: operation.b.leadingDimension, rows: bRows, columns: bColumns, into: wideB)
            if operation.beta != 0 { widen(c, leading: operation.c.leadingDimension, rows: m, columns: n, into: wideC) }
            ds_blas_sgemm(alone ? 1 : 0, operation.transposeA ? 1 : 0, operation.transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k),
                          Float(operation.alpha), wideA, Int32(max(1, aRows)), wideB, Int32(max(1, bRows)),
                          Float(operation.beta), wideC, Int32(m))
            for column in 0..<n {
                let target = c + column * operation.c.leadingDimension
                for row in 0..<m { target[row] = E(math: wideC[row + column * m]) }
            }
        }
    }

    private static func widen<E: FloatElement>(
        _ matrix: UnsafePointer<E>, leading: Int, rows: Int, columns: Int, into wide: UnsafeMutablePointer<Float>
    ) where E.Math == Float {
        for column in 0..<columns {
            let source = matrix + column * leading
            for row in 0..<rows { wide[row + column * rows] = source[row].math }
        }
    }
}

extension GemmOperation {
    /// m·n·k, the multiply-adds of one batch; Int.max when that overflows (sizes are checked
    /// only against the buffers).
    var multipliesPerBatch: Int { Self.saturatingProduct(Self.saturatingProduct(m, n), k) }

    /// The multiply-adds of every batch, Int.max when that overflows.
    var multiplies: Int { Self.saturatingProduct(multipliesPerBatch, batchCount) }

    /// Whether two batches' C share elements (for m, n > 0): a C's last element is
    /// (n - 1)·ldc + m - 1 past its first, and sizes are at most Int32.max.
    var outputsOverlap: Bool {
        batchCount > 1 && c.batchStride.magnitude < UInt((n - 1) * c.leadingDimension + m)
    }

    private static func saturatingProduct(_ x: Int, _ y: Int) -> Int {
        let (product, overflow) = x.multipliedReportingOverflow(by: y)
        return overflow ? .max : product
    }
}

/// A validated GEMM: the operation and the base address of each matrix's buffer.
struct GemmPlan: @unchecked Sendable {
    // The buffers these point into are kept alive by `operation`, held with the queued work.
    let operation: GemmOperation
    let a: UnsafeMutableRawPointer
    let b: UnsafeMutableRawPointer
    let c: UnsafeMutableRawPointer

    /// The first elements of batch `batch`'s A, B and C, as elements of type `E`.
    func matrices<E>(of batch: Int, as _: E.Type)
        -> (a: UnsafeMutablePointer<E>, b: UnsafeMutablePointer<E>, c: UnsafeMutablePointer<E>) {
        (a.assumingMemoryBound(to: E.self) + operation.a.offset + batch * operation.a.batchStride,
         b.assumingMemoryBound(to: E.self) + operation.b.offset + batch * operation.b.batchStride,
         c.assumingMemoryBound(to: E.self) + operation.c.offset + batch * operation.c.batchStride)
    }
}
