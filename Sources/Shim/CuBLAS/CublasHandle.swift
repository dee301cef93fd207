import Synchronization

/// A cuBLAS handle (`cublasHandle_t`): the device it was created on, the stream its work
/// goes to, and how scalars are passed. The C ABI hands out its address; a handle that was
/// never created or is destroyed is `CUBLAS_STATUS_NOT_INITIALIZED`.
final class CublasHandle: Sendable {
    /// The `cuda:N` current when the handle was created, and the device it resolved to.
    let resolution: Resolution
    private struct Settings {
        /// The `cudaStream_t` set with `cublasSetStream` (NULL: the default stream).
        var stream: UInt = 0
        /// `CUBLAS_POINTER_MODE_DEVICE` (1): scalars and results live in device memory.
        var scalarsOnDevice = false
        var mathMode: UInt32 = 0
    }
    private let settings = Mutex(Settings())

    init(resolution: Resolution) {
        self.resolution = resolution
    }

    static let table = HandleTable<CublasHandle>()

    /// The live handle `handle` names, or `.notInitialized`.
    static func named(_ handle: OpaquePointer?) throws(CublasStatus) -> CublasHandle {
        guard let found = table.lookup(handle) else { throw .notInitialized }
        return found
    }

    var streamHandle: OpaquePointer? {
        get { OpaquePointer(bitPattern: settings.withLock { $0.stream }) }
        set { settings.withLock { $0.stream = UInt(bitPattern: newValue) } }
    }

    var scalarsOnDevice: Bool {
        get { settings.withLock { $0.scalarsOnDevice } }
        set { settings.withLock { $0.scalarsOnDevice = newValue } }
    }

    var mathMode: UInt32 {
        get { settings.withLock { $0.mathMode } }
        set { settings.withLock { $0.mathMode = newValue } }
    }

    /// The stream the handle's work goes to.
    func stream(api: String) throws(CublasStatus) -> CudaStream {
        try CublasCall.runtime { () throws(CudaError) in try CudaHandles.stream(streamHandle, api: api) }
    }
}

/// How every cuBLAS export runs: the body's `CublasStatus` becomes the returned code, and the
/// call is one record with its native caller (`debug`, or `warn` when it fails).
enum CublasCall {
    static func run(_ api: String, _ body: () throws(CublasStatus) -> CallDetails?) -> Int32 {
        let start = CudaCall.log.isEnabled(.debug) ? MonotonicClock.now() : 0
        do {
            let details = try body()
            CudaCall.record(api, status: "\(CublasStatus.success.name)", failed: false, since: start, details)
            return CublasStatus.success.rawValue
        } catch {
            CudaCall.record(api, status: "\(error.name)", failed: true, since: start, nil)
            return error.rawValue
        }
    }

    /// Runs a step of the runtime (a copy, a queue call) inside a cuBLAS call.
    static func runtime<Result>(_ body: () throws(CudaError) -> Result) throws(CublasStatus) -> Result {
        do {
            return try body()
        } catch {
            throw CublasStatus(error)
        }
    }
}

extension RedirectionRecord {
    /// A record of cuBLAS work on `handle`'s device and `stream`.
    init(_ handle: CublasHandle, stream: CudaStream? = nil, message: String? = nil) {
        self.init(handle.resolution, stream: stream?.id, message: message)
    }
}

@_cdecl("cublasCreate_v2")
public func cublasCreate_v2(_ handle: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    CublasCall.run("cublasCreate_v2") { () throws(CublasStatus) -> CallDetails? in
        guard let handle else { throw .invalidValue }
        let resolution = try CublasCall.runtime { () throws(CudaError) in try CudaCall.resolve(api: "cublasCreate_v2") }
        let made = CublasHandle(resolution: resolution)
        handle.pointee = CublasHandle.table.insert(made)
        return CudaCall.details(RedirectionRecord(made))
    }
}

@_cdecl("cublasDestroy_v2")
public func cublasDestroy_v2(_ handle: OpaquePointer?) -> Int32 {
    CublasCall.run("cublasDestroy_v2") { () throws(CublasStatus) -> CallDetails? in
        guard let removed = CublasHandle.table.remove(handle) else { throw .notInitialized }
        return CudaCall.details(RedirectionRecord(removed))
    }
}

@_cdecl("cublasSetStream_v2")
public func cublasSetStream_v2(_ handle: OpaquePointer?, _ stream: OpaquePointer?) -> Int32 {
    CublasCall.run("cublasSetStream_v2") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard let chosen = try? CudaHandles.stream(stream, api: "cublasSetStream_v2") else { throw .invalidValue }
        found.streamHandle = stream
        return CudaCall.details(RedirectionRecord(found, stream: chosen))
    }
}

@_cdecl("cublasGetStream_v2")
public func cublasGetStream_v2(_ handle: OpaquePointer?, _ stream: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    CublasCall.run("cublasGetStream_v2") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard let stream else { throw .invalidValue }
        stream.pointee = found.streamHandle
        return nil
    }
}

@_cdecl("cublasSetPointerMode_v2")
public func cublasSetPointerMode_v2(_ handle: OpaquePointer?, _ mode: Int32) -> Int32 {
    CublasCall.run("cublasSetPointerMode_v2") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard mode == 0 || mode == 1 else { throw .invalidValue }
        found.scalarsOnDevice = mode == 1
        return CudaCall.details(RedirectionRecord(found, message: mode == 1 ? "device pointer mode" : "host pointer mode"))
    }
}

@_cdecl("cublasGetPointerMode_v2")
public func cublasGetPointerMode_v2(_ handle: OpaquePointer?, _ mode: UnsafeMutablePointer<Int32>?) -> Int32 {
    CublasCall.run("cublasGetPointerMode_v2") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard let mode else { throw .invalidValue }
        mode.pointee = found.scalarsOnDevice ? 1 : 0
        return nil
    }
}

/// Modes: default (0), tensor-op (1), pedantic (2), TF32 (3), optionally with
/// `CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION` (16). They are kept and reported; the
/// backends compute in full precision whatever the mode allows.
@_cdecl("cublasSetMathMode")
public func cublasSetMathMode(_ handle: OpaquePointer?, _ mode: UInt32) -> Int32 {
    CublasCall.run("cublasSetMathMode") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard mode & 0xf <= 3, mode & ~UInt32(0x1f) == 0 else { throw .invalidValue }
        found.mathMode = mode
        return CudaCall.details(RedirectionRecord(found, message: "math mode \(mode)"))
    }
}

@_cdecl("cublasGetMathMode")
public func cublasGetMathMode(_ handle: OpaquePointer?, _ mode: UnsafeMutablePointer<UInt32>?) -> Int32 {
    CublasCall.run("cublasGetMathMode") { () throws(CublasStatus) -> CallDetails? in
        let found = try CublasHandle.named(handle)
        guard let mode else { throw .invalidValue }
        mode.pointee = found.mathMode
        return nil
    }
}

/// The cuBLAS version DeviceShim's ABI follows (12.9.3, as the headers it was written against).
@_cdecl("cublasGetVersion_v2")
public func cublasGetVersion_v2(_ handle: OpaquePointer?, _ version: UnsafeMutablePointer<Int32>?) -> Int32 {
    CublasCall.run("cublasGetVersion_v2") { () throws(CublasStatus) -> CallDetails? in
        guard let version else { throw .invalidValue }
        version.pointee = 12 * 10000 + 9 * 100 + 3
        return nil
    }
}
