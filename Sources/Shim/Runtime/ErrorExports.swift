#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// The CUDA runtime's error calls, with CUDA's per-thread last error (`CudaLastError`).

/// C strings of error names and messages, made once per code and kept for the process's
/// life, as the pointers CUDA returns are.
private let errorStrings = Mutex<[Int32: (name: UnsafePointer<CChar>, message: UnsafePointer<CChar>)]>([:])

private func strings(for code: Int32) -> (name: UnsafePointer<CChar>, message: UnsafePointer<CChar>) {
    errorStrings.withLock { cache in
        if let known = cache[code] { return known }
        let error = CudaError(rawValue: code)
        let made = (name: UnsafePointer(strdup(error.name)!), message: UnsafePointer(strdup(error.message)!))
        cache[code] = made
        return made
    }
}

private func answer(_ api: String, _ error: CudaError) -> Int32 {
    CudaCall.log.record(.debug, RedirectionRecord(api: api, status: error.name), from: .native)
    return error.rawValue
}

@_cdecl("cudaGetLastError")
public func cudaGetLastError() -> Int32 {
    answer("cudaGetLastError", CudaLastError.get())
}

@_cdecl("cudaPeekAtLastError")
public func cudaPeekAtLastError() -> Int32 {
    answer("cudaPeekAtLastError", CudaLastError.peek())
}

/// CUDA's name for `error` ("cudaErrorInvalidValue"); "unrecognized error code" for others.
@_cdecl("cudaGetErrorName")
public func cudaGetErrorName(_ error: Int32) -> UnsafePointer<CChar> {
    CudaCall.log.record(.debug, RedirectionRecord(api: "cudaGetErrorName", status: CudaError(rawValue: error).name), from: .native)
    return strings(for: error).name
}

/// CUDA's message for `error` ("invalid argument"); "unrecognized error code" for others.
@_cdecl("cudaGetErrorString")
public func cudaGetErrorString(_ error: Int32) -> UnsafePointer<CChar> {
    CudaCall.log.record(.debug, RedirectionRecord(api: "cudaGetErrorString", status: CudaError(rawValue: error).name), from: .native)
    return strings(for: error).message
}
