// cuBLAS's host <-> device transfers of vectors and matrices. The plain forms use the legacy
// default stream and return when the copy is done; the Async forms use the stream given.
// Memory DeviceShim cannot place, or a copy past an allocation, is CUBLAS_STATUS_MAPPING_ERROR.

/// Copies `count` runs of `rows` elements of `size` bytes, from runs `fromStep` bytes apart to
/// runs `toStep` bytes apart (both contiguous: one copy; else one copy per run). Arguments the
/// caller found invalid (`validArguments` false) are CUBLAS_STATUS_INVALID_VALUE.
private func transfer(_ api: String, count: Int32, size: Int32, to: UnsafeMutableRawPointer?, toStep: Int, from: UnsafeRawPointer?,
                      fromStep: Int, rows: Int32 = 1, kind: CopyKind, stream: OpaquePointer?, waits: Bool,
                      validArguments: Bool) -> Int32 {
    CublasCall.run(api) { () throws(CublasStatus) -> CallDetails? in
        guard validArguments else { throw .invalidValue }
        let size = Int(size), count = Int(count)
        let width = size * Int(rows)
        let target = try CublasCall.runtime { () throws(CudaError) in try CudaHandles.stream(stream, api: api) }
        try CublasCall.runtime { () throws(CudaError) in
            if toStep == width && fromStep == width {
                try MemoryTransfers.copy(to: to, from: from, count: width * count, kind: kind.rawValue, on: target, waits: waits)
            } else {
                try MemoryTransfers.copy2D(to: to, pitch: toStep, from: from, pitch: fromStep, width: width, height: count,
                                           kind: kind.rawValue, on: target, waits: waits)
            }
        }
        return CudaCall.details(RedirectionRecord(api: "", resolved: target.device.id.description, bytes: width * count, stream: target.id))
    }
}

private func vector(_ api: String, _ n: Int32, _ size: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeMutableRawPointer?,
                    _ incy: Int32, _ kind: CopyKind, _ stream: OpaquePointer?, waits: Bool) -> Int32 {
    transfer(api, count: n, size: size, to: y, toStep: Int(incy) * Int(size), from: x, fromStep: Int(incx) * Int(size),
             kind: kind, stream: stream, waits: waits, validArguments: n >= 0 && size > 0 && incx > 0 && incy > 0)
}

private func matrix(_ api: String, _ rows: Int32, _ columns: Int32, _ size: Int32, _ a: UnsafeRawPointer?, _ lda: Int32,
                    _ b: UnsafeMutableRawPointer?, _ ldb: Int32, _ kind: CopyKind, _ stream: OpaquePointer?, waits: Bool) -> Int32 {
    transfer(api, count: columns, size: size, to: b, toStep: Int(ldb) * Int(size), from: a, fromStep: Int(lda) * Int(size),
             rows: rows, kind: kind, stream: stream, waits: waits,
             validArguments: rows >= 0 && columns >= 0 && size > 0 && lda >= max(1, rows) && ldb >= max(1, rows))
}

@_cdecl("cublasSetVector")
public func cublasSetVector(_ n: Int32, _ size: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeMutableRawPointer?, _ incy: Int32) -> Int32 {
    vector("cublasSetVector", n, size, x, incx, y, incy, .hostToDevice, nil, waits: true)
}

@_cdecl("cublasGetVector")
public func cublasGetVector(_ n: Int32, _ size: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeMutableRawPointer?, _ incy: Int32) -> Int32 {
    vector("cublasGetVector", n, size, x, incx, y, incy, .deviceToHost, nil, waits: true)
}

@_cdecl("cublasSetVectorAsync")
public func cublasSetVectorAsync(_ n: Int32, _ size: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeMutableRawPointer?,
                                 _ incy: Int32, _ stream: OpaquePointer?) -> Int32 {
    vector("cublasSetVectorAsync", n, size, x, incx, y, incy, .hostToDevice, stream, waits: false)
}

@_cdecl("cublasGetVectorAsync")
public func cublasGetVectorAsync(_ n: Int32, _ size: Int32, _ x: UnsafeRawPointer?, _ incx: Int32, _ y: UnsafeMutableRawPointer?,
                                 _ incy: Int32, _ stream: OpaquePointer?) -> Int32 {
    vector("cublasGetVectorAsync", n, size, x, incx, y, incy, .deviceToHost, stream, waits: false)
}

@_cdecl("cublasSetMatrix")
public func cublasSetMatrix(_ rows: Int32, _ columns: Int32, _ size: Int32, _ a: UnsafeRawPointer?, _ lda: Int32,
                            _ b: UnsafeMutableRawPointer?, _ ldb: Int32) -> Int32 {
    matrix("cublasSetMatrix", rows, columns, size, a, lda, b, ldb, .hostToDevice, nil, waits: true)
}

@_cdecl("cublasGetMatrix")
public func cublasGetMatrix(_ rows: Int32, _ columns: Int32, _ size: Int32, _ a: UnsafeRawPointer?, _ lda: Int32,
                            _ b: UnsafeMutableRawPointer?, _ ldb: Int32) -> Int32 {
    matrix("cublasGetMatrix", rows, columns, size, a, lda, b, ldb, .deviceToHost, nil, waits: true)
}

@_cdecl("cublasSetMatrixAsync")
public func cublasSetMatrixAsync(_ rows: Int32, _ columns: Int32, _ size: Int32, _ a: UnsafeRawPointer?, _ lda: Int32,
                                 _ b: UnsafeMutableRawPointer?, _ ldb: Int32, _ stream: OpaquePointer?) -> Int32 {
    matrix("cublasSetMatrixAsync", rows, columns, size, a, lda, b, ldb, .hostToDevice, stream, waits: false)
}

@_cdecl("cublasGetMatrixAsync")
public func cublasGetMatrixAsync(_ rows: Int32, _ columns: Int32, _ size: Int32, _ a: UnsafeRawPointer?, _ lda: Int32,
                                 _ b: UnsafeMutableRawPointer?, _ ldb: Int32, _ stream: OpaquePointer?) -> Int32 {
    matrix("cublasGetMatrixAsync", rows, columns, size, a, lda, b, ldb, .deviceToHost, stream, waits: false)
}
