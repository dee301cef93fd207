// `cublasGemmEx` and the pointer-array batched GEMMs (`CublasGemmEx`).

/// Inputs of float32, float16 or bfloat16 (both alike) with float32 compute, and C of float32
/// or of the inputs' type; or float64 throughout. `algo` is accepted and ignored (every
/// algorithm gives the same result here). Other combinations are `CUBLAS_STATUS_NOT_SUPPORTED`.
@_cdecl("cublasGemmEx")
public func cublasGemmEx(
    _ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: UnsafeRawPointer?,
    _ a: UnsafeRawPointer?, _ aType: Int32, _ lda: Int32, _ b: UnsafeRawPointer?, _ bType: Int32, _ ldb: Int32,
    _ beta: UnsafeRawPointer?, _ c: UnsafeMutableRawPointer?, _ cType: Int32, _ ldc: Int32, _ computeType: Int32, _ algo: Int32
) -> Int32 {
    CublasCall.run("cublasGemmEx") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        let shape = try GemmShape(transa, transb, m, n, k, lda, ldb, ldc)
        guard let aDType = CublasGemmEx.dtype(aType), let bDType = CublasGemmEx.dtype(bType), let cDType = CublasGemmEx.dtype(cType),
              let compute = CublasGemmEx.computeType(computeType) else { throw .notSupported }
        let stream = try found.stream(api: "cublasGemmEx")
        try CublasGemmEx.run(shape, alpha: alpha, beta: beta, a: (a, aDType), b: (b, bDType), c: (UnsafeRawPointer(c), cDType),
                             compute: compute, handle: found, stream: stream)
        return CudaCall.details(RedirectionRecord(found, stream: stream,
                                                message: "\(aDType)·\(bDType) -> \(cDType) in \(compute), \(shape.m)x\(shape.n)x\(shape.k)"))
    }
}

private func batched(_ api: String, _ handle: OpaquePointer?, _ dtype: DType, _ shape: () throws(CublasStatus) -> GemmShape,
                     alpha: UnsafeRawPointer?, beta: UnsafeRawPointer?, arrays: (UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?),
                     count: Int32) -> Int32 {
    CublasCall.run(api) { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        let shape = try shape()
        guard count >= 0 else { throw .invalidValue }
        let stream = try found.stream(api: api)
        let count = Int(count)
        let (a, b, c) = (try CublasGemmEx.pointers(arrays.0, count: count, stream: stream),
                         try CublasGemmEx.pointers(arrays.1, count: count, stream: stream),
                         try CublasGemmEx.pointers(arrays.2, count: count, stream: stream))
        for index in 0..<count {
            try CublasGemm.enqueue(shape, dtype, alpha: alpha, beta: beta, .init(a: a[index], b: b[index], c: c[index]),
                                   handle: found, stream: stream)
        }
        return CudaCall.details(RedirectionRecord(found, stream: stream, message: "\(dtype) \(shape.m)x\(shape.n)x\(shape.k) x\(count)"))
    }
}

@_cdecl("cublasSgemmBatched")
public func cublasSgemmBatched(
    _ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: UnsafePointer<Float>?,
    _ a: UnsafeRawPointer?, _ lda: Int32, _ b: UnsafeRawPointer?, _ ldb: Int32, _ beta: UnsafePointer<Float>?,
    _ c: UnsafeRawPointer?, _ ldc: Int32, _ batchCount: Int32
) -> Int32 {
    batched("cublasSgemmBatched", handle, .float32, { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) },
            alpha: alpha, beta: beta, arrays: (a, b, c), count: batchCount)
}

@_cdecl("cublasDgemmBatched")
public func cublasDgemmBatched(
    _ handle: OpaquePointer?, _ transa: Int32, _ transb: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: UnsafePointer<Double>?,
    _ a: UnsafeRawPointer?, _ lda: Int32, _ b: UnsafeRawPointer?, _ ldb: Int32, _ beta: UnsafePointer<Double>?,
    _ c: UnsafeRawPointer?, _ ldc: Int32, _ batchCount: Int32
) -> Int32 {
    batched("cublasDgemmBatched", handle, .float64, { () throws(CublasStatus) in try GemmShape(transa, transb, m, n, k, lda, ldb, ldc) },
            alpha: alpha, beta: beta, arrays: (a, b, c), count: batchCount)
}
