// cuBLAS level-1 and GEMV exports, float32 (S) and float64 (D): each runs `CublasVectors`.

@_cdecl("cublasSgemv_v2")
public func cublasSgemv_v2(_ handle: OpaquePointer?, _ trans: Int32, _ m: Int32, _ n: Int32, _ alpha: UnsafePointer<Float>?,
                           _ a: UnsafePointer<Float>?, _ lda: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32, _ beta: UnsafePointer<Float>?,
                           _ y: UnsafeMutablePointer<Float>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasSgemv_v2", handle, .float32, n: n) { v throws(CublasStatus) in
        try v.gemv(trans, m, n, alpha: alpha, a, lda, x, incx, beta: beta, y, incy)
    }
}

@_cdecl("cublasSaxpy_v2")
public func cublasSaxpy_v2(_ handle: OpaquePointer?, _ n: Int32, _ alpha: UnsafePointer<Float>?, _ x: UnsafePointer<Float>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Float>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasSaxpy_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.axpy(n, alpha: alpha, x, incx, y, incy) }
}

@_cdecl("cublasSscal_v2")
public func cublasSscal_v2(_ handle: OpaquePointer?, _ n: Int32, _ alpha: UnsafePointer<Float>?, _ x: UnsafeMutablePointer<Float>?,
                           _ incx: Int32) -> Int32 {
    CublasVectors.run("cublasSscal_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.scal(n, alpha: alpha, x, incx) }
}

@_cdecl("cublasScopy_v2")
public func cublasScopy_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Float>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasScopy_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.copy(n, x, incx, y, incy) }
}

@_cdecl("cublasSswap_v2")
public func cublasSswap_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafeMutablePointer<Float>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Float>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasSswap_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.swap(n, x, incx, y, incy) }
}

@_cdecl("cublasSdot_v2")
public func cublasSdot_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32, _ y: UnsafePointer<Float>?,
                          _ incy: Int32, _ result: UnsafeMutablePointer<Float>?) -> Int32 {
    CublasVectors.run("cublasSdot_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.dot(n, x, incx, y, incy, result: result) }
}

@_cdecl("cublasSnrm2_v2")
public func cublasSnrm2_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32,
                           _ result: UnsafeMutablePointer<Float>?) -> Int32 {
    CublasVectors.run("cublasSnrm2_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.nrm2(n, x, incx, result: result) }
}

@_cdecl("cublasSasum_v2")
public func cublasSasum_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32,
                           _ result: UnsafeMutablePointer<Float>?) -> Int32 {
    CublasVectors.run("cublasSasum_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.asum(n, x, incx, result: result) }
}

@_cdecl("cublasIsamax_v2")
public func cublasIsamax_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Float>?, _ incx: Int32,
                            _ result: UnsafeMutablePointer<Int32>?) -> Int32 {
    CublasVectors.run("cublasIsamax_v2", handle, .float32, n: n) { v throws(CublasStatus) in try v.iamax(n, x, incx, result: result) }
}

@_cdecl("cublasDgemv_v2")
public func cublasDgemv_v2(_ handle: OpaquePointer?, _ trans: Int32, _ m: Int32, _ n: Int32, _ alpha: UnsafePointer<Double>?,
                           _ a: UnsafePointer<Double>?, _ lda: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32, _ beta: UnsafePointer<Double>?,
                           _ y: UnsafeMutablePointer<Double>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasDgemv_v2", handle, .float64, n: n) { v throws(CublasStatus) in
        try v.gemv(trans, m, n, alpha: alpha, a, lda, x, incx, beta: beta, y, incy)
    }
}

@_cdecl("cublasDaxpy_v2")
public func cublasDaxpy_v2(_ handle: OpaquePointer?, _ n: Int32, _ alpha: UnsafePointer<Double>?, _ x: UnsafePointer<Double>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Double>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasDaxpy_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.axpy(n, alpha: alpha, x, incx, y, incy) }
}

@_cdecl("cublasDscal_v2")
public func cublasDscal_v2(_ handle: OpaquePointer?, _ n: Int32, _ alpha: UnsafePointer<Double>?, _ x: UnsafeMutablePointer<Double>?,
                           _ incx: Int32) -> Int32 {
    CublasVectors.run("cublasDscal_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.scal(n, alpha: alpha, x, incx) }
}

@_cdecl("cublasDcopy_v2")
public func cublasDcopy_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Double>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasDcopy_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.copy(n, x, incx, y, incy) }
}

@_cdecl("cublasDswap_v2")
public func cublasDswap_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafeMutablePointer<Double>?, _ incx: Int32,
                           _ y: UnsafeMutablePointer<Double>?, _ incy: Int32) -> Int32 {
    CublasVectors.run("cublasDswap_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.swap(n, x, incx, y, incy) }
}

@_cdecl("cublasDdot_v2")
public func cublasDdot_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32, _ y: UnsafePointer<Double>?,
                          _ incy: Int32, _ result: UnsafeMutablePointer<Double>?) -> Int32 {
    CublasVectors.run("cublasDdot_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.dot(n, x, incx, y, incy, result: result) }
}

@_cdecl("cublasDnrm2_v2")
public func cublasDnrm2_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32,
                           _ result: UnsafeMutablePointer<Double>?) -> Int32 {
    CublasVectors.run("cublasDnrm2_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.nrm2(n, x, incx, result: result) }
}

@_cdecl("cublasDasum_v2")
public func cublasDasum_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32,
                           _ result: UnsafeMutablePointer<Double>?) -> Int32 {
    CublasVectors.run("cublasDasum_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.asum(n, x, incx, result: result) }
}

@_cdecl("cublasIdamax_v2")
public func cublasIdamax_v2(_ handle: OpaquePointer?, _ n: Int32, _ x: UnsafePointer<Double>?, _ incx: Int32,
                            _ result: UnsafeMutablePointer<Int32>?) -> Int32 {
    CublasVectors.run("cublasIdamax_v2", handle, .float64, n: n) { v throws(CublasStatus) in try v.iamax(n, x, incx, result: result) }
}
