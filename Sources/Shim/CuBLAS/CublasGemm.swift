/// The shape arguments every cuBLAS GEMM takes, checked as cuBLAS checks them.
struct GemmShape {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let lda: Int, ldb: Int, ldc: Int

    /// `CUBLAS_OP_N` (0) is no transpose; `T` (1) and `C` (2, the same for real numbers) are.
    init(_ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ lda: Int32, _ ldb: Int32, _ ldc: Int32) throws(CublasStatus) {
        guard (0...2).contains(transa), (0...2).contains(transb), m >= 0, n >= 0, k >= 0 else { throw .invalidValue }
        (transposeA, transposeB) = (transa != 0, transb != 0)
        (self.m, self.n, self.k) = (Int(m), Int(n), Int(k))
        (self.lda, self.ldb, self.ldc) = (Int(lda), Int(ldb), Int(ldc))
        guard self.lda >= max(1, transposeA ? self.k : self.m), self.ldb >= max(1, transposeB ? self.n : self.k),
              self.ldc >= max(1, self.m) else { throw .invalidValue }
    }

    /// Rows and columns of A and B as stored.
    var aStored: (rows: Int, columns: Int) { transposeA ? (k, m) : (m, k) }
    var bStored: (rows: Int, columns: Int) { transposeB ? (n, k) : (k, n) }
}

/// GEMM on the device the handle resolved to, on the handle's stream.
enum CublasGemm {
    /// Pointers of one GEMM (or of a strided batch: element strides between matrices).
    struct Operands {
        var a: UnsafeRawPointer?, b: UnsafeRawPointer?, c: UnsafeRawPointer?
        var strideA = 0, strideB = 0, strideC = 0
        var batchCount = 1
    }

    /// `C = alpha·op(A)·op(B) + beta·C` for `operands.batchCount` matrices of `dtype`.
    static func run(_ api: String, _ handle: OpaquePointer?, _ dtype: DType, _ shape: () throws(CublasStatus) -> GemmShape,
                    alpha: UnsafeRawPointer?, beta: UnsafeRawPointer?, _ operands: Operands) -> Int32 {
        CublasCall.run(api) { () throws(CublasStatus) -> CallDetails? in
            let handle = try CublasHandle.named(handle)
            let shape = try shape()
            guard operands.batchCount >= 0 else { throw .invalidValue }
            let stream = try handle.stream(api: api)
            try enqueue(shape, dtype, alpha: alpha, beta: beta, operands, handle: handle, stream: stream)
            return CudaCall.details(RedirectionRecord(handle, stream: stream, message: "\(dtype) \(shape.m)x\(shape.n)x\(shape.k)"
                                                    + (operands.batchCount == 1 ? "" : " x\(operands.batchCount)")))
        }
    }

    static func enqueue(_ shape: GemmShape, _ dtype: DType, alpha: UnsafeRawPointer?, beta: UnsafeRawPointer?, _ operands: Operands,
                        handle: CublasHandle, stream: CudaStream) throws(CublasStatus) {
        let (alphaValue, betaValue) = (try CublasOperands.scalarValue(alpha, dtype, handle: handle, stream: stream),
                                       try CublasOperands.scalarValue(beta, dtype, handle: handle, stream: stream))
        guard shape.m > 0, shape.n > 0, operands.batchCount > 0 else { return }
        let count = operands.batchCount
        let a = try CublasOperands.matrix(operands.a, dtype, rows: shape.aStored.rows, columns: shape.aStored.columns,
                                          ld: shape.lda, batchStride: operands.strideA, batchCount: count)
        let b = try CublasOperands.matrix(operands.b, dtype, rows: shape.bStored.rows, columns: shape.bStored.columns,
                                          ld: shape.ldb, batchStride: operands.strideB, batchCount: count)
        let c = try CublasOperands.matrix(operands.c, dtype, rows: shape.m, columns: shape.n, ld: shape.ldc,
                                          batchStride: operands.strideC, batchCount: count)
        let operation = GemmOperation(dtype: dtype, transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m, n: shape.n,
                                      k: shape.k, alpha: alphaValue, beta: betaValue, a: a, b: b, c: c, batchCount: count)
        try CublasCall.runtime { () throws(CudaError) in
            try stream.enqueue { queue throws(DeviceError) in try queue.gemm(operation) }
        }
    }
}

@_cdecl("cublasSgemm_v2")
public func cublasSgemm_v2(_ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32,
                           _ alpha: UnsafePointer<Float>?, _ a: UnsafePointer<Float>?, _ lda: Int32, _ b: UnsafePointer<Float>?,
                           _ ldb: Int32, _ beta: UnsafePointer<Float>?, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32) -> Int32 {
    CublasGemm.run("cublasSgemm_v2", handle, .float32, { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) },
                   alpha: alpha, beta: beta, .init(a: a, b: b, c: c))
}

@_cdecl("cublasDgemm_v2")
public func cublasDgemm_v2(_ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32,
                           _ alpha: UnsafePointer<Double>?, _ a: UnsafePointer<Double>?, _ lda: Int32, _ b: UnsafePointer<Double>?,
                           _ ldb: Int32, _ beta: UnsafePointer<Double>?, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32) -> Int32 {
    CublasGemm.run("cublasDgemm_v2", handle, .float64, { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) },
                   alpha: alpha, beta: beta, .init(a: a, b: b, c: c))
}

@_cdecl("cublasSgemmStridedBatched")
public func cublasSgemmStridedBatched(
    _ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: UnsafePointer<Float>?,
    _ a: UnsafePointer<Float>?, _ lda: Int32, _ strideA: Int64, _ b: UnsafePointer<Float>?, _ ldb: Int32, _ strideB: Int64,
    _ beta: UnsafePointer<Float>?, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32, _ strideC: Int64, _ batchCount: Int32
) -> Int32 {
    CublasGemm.run("cublasSgemmStridedBatched", handle, .float32,
                   { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) }, alpha: alpha, beta: beta,
                   .init(a: a, b: b, c: c, strideA: Int(strideA), strideB: Int(strideB), strideC: Int(strideC), batchCount: Int(batchCount)))
}

@_cdecl("cublasDgemmStridedBatched")
public func cublasDgemmStridedBatched(
    _ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: UnsafePointer<Double>?,
    _ a: UnsafePointer<Double>?, _ lda: Int32, _ strideA: Int64, _ b: UnsafePointer<Double>?, _ ldb: Int32, _ strideB: Int64,
    _ beta: UnsafePointer<Double>?, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32, _ strideC: Int64, _ batchCount: Int32
) -> Int32 {
    CublasGemm.run("cublasDgemmStridedBatched", handle, .float64,
                   { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) }, alpha: alpha, beta: beta,
                   .init(a: a, b: b, c: c, strideA: Int(strideA), strideB: Int(strideB), strideC: Int(strideC), batchCount: Int(batchCount)))
}
