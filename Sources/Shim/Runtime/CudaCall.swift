import CCudaABI

/// How every CUDA runtime export of `libdeviceshim.so` runs: the process-wide sticky error
/// first (once the context is corrupted every call returns it, as on CUDA), then the call's
/// body, whose `CudaError` becomes the returned `cudaError_t` and the thread's last error.
///
/// Exports whose work is a stream or event call of the Mocks layer are recorded there; the
/// others are recorded here: one `debug` record per call with its native caller, at `warn`
/// when the call fails.
enum CudaCall {
    static var runtime: CudaRuntime { .shared }
    static var log: RedirectionLog { .shared }

    /// Runs `body` for export `api` and records it. `body` returns how to make a fuller record
    /// (bytes, device), made only when the log takes it, or nil for the plain record.
    static func run(_ api: String, _ body: () throws(CudaError) -> CallDetails?) -> Int32 {
        let start = log.isEnabled(.debug) ? MonotonicClock.now() : 0
        let status: CudaError
        var details: CallDetails?
        if let sticky = CudaLastError.stickyError {
            status = sticky
        } else {
            do {
                details = try body()
                status = .success
            } catch {
                status = error
                CudaLastError.record(error)
            }
        }
        CudaCall.record(api, status: status.name, failed: status != .success, since: start, details)
        return status.rawValue
    }

    /// Whether a call that succeeds leaves no trace: no record is written for it (the log
    /// takes no `debug` records) and no sticky error stands in for its result. A call may
    /// then take a direct path that only ever succeeds, falling back to `run` otherwise.
    static var succeedsSilently: Bool {
        !log.isEnabled(.debug) && CudaLastError.stickyError == nil
    }

    /// The fuller record of a call that succeeded, as a body of `run` returns it: `make` runs
    /// only when the log takes successful calls, and nil is returned otherwise. A closure
    /// capturing the call's values would be a heap allocation on every call, logging or not.
    static func details(_ make: @autoclosure () -> RedirectionRecord) -> CallDetails? {
        guard log.isEnabled(.debug) else { return nil }
        let record = make()
        return { record }
    }

    /// The one record of a C export (CUDA runtime and cuBLAS alike): `debug` with its details
    /// when it succeeded, `warn` when it `failed`, timed from `start` (0: the log was off then).
    /// `status` (a name) is only spelled out when the record is written.
    static func record(_ api: String, status: @autoclosure () -> String, failed: Bool, since start: UInt64,
                       _ details: CallDetails?) {
        let level: LogLevel = failed ? .warn : .debug
        guard log.isEnabled(level) else { return }
        var record = details?() ?? RedirectionRecord(api: api)
        record.api = api
        record.status = status()
        record.timeNanoseconds = start == 0 ? MonotonicClock.now() : start
        if start != 0 { record.durationNanoseconds = MonotonicClock.now() - start }
        log.record(level, record, from: .native)
    }

    /// Runs `body`, an export whose calls the Mocks layer records itself (stream and event
    /// calls, at `debug`). A failure is also recorded here, at `warn`, so that it shows at the
    /// default level and also when it happened before the Mocks layer was reached (a NULL
    /// argument, a bogus handle).
    static func mocksRecorded(_ api: String, _ body: () throws(CudaError) -> Void) -> Int32 {
        mocksRecordedQuery(api, { () throws(CudaError) -> CudaError in
            try body()
            return .success
        })
    }

    /// Like `mocksRecorded(_:_:)` for a query, whose answer (`cudaErrorNotReady`, say) is the
    /// returned code but not a failure: only what `body` throws is the thread's last error.
    static func mocksRecordedQuery(_ api: String, _ body: () throws(CudaError) -> CudaError) -> Int32 {
        if let sticky = CudaLastError.stickyError { return sticky.rawValue }
        do {
            return try body().rawValue
        } catch {
            CudaLastError.record(error)
            record(api, status: error.name, failed: true, since: 0, nil)
            return error.rawValue
        }
    }


    /// The device `cuda:index` (the calling thread's current device when nil) resolves to.
    static func resolve(_ index: Int? = nil, api: String) throws(CudaError) -> Resolution {
        try runtime.resolve(index, api: api, from: .native)
    }

    /// `pointer`, or `.invalidValue` when it is NULL.
    static func required<T>(_ pointer: T?) throws(CudaError) -> T {
        guard let pointer else { throw .invalidValue }
        return pointer
    }
}

/// Makes the record of a call that succeeded, with what only the call knows. A closure, so
/// that with logging off no record, and none of its strings, is ever built.
typealias CallDetails = () -> RedirectionRecord

extension RedirectionRecord {
    /// A record of a call served by `resolution`'s device.
    init(_ resolution: Resolution, bytes: Int? = nil, stream: UInt64? = nil, message: String? = nil) {
        self.init(api: "", requested: resolution.request.description, resolved: resolution.entry.id.description,
                  bytes: bytes, stream: stream, message: message)
    }
}
