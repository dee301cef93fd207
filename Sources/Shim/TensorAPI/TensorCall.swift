#if canImport(Glibc)
import Glibc
#endif

/// How every tensor export of deviceshim.h runs: the body, whose `TensorCallError` becomes
/// the returned status and the thread's last error; one `debug` record naming the native
/// caller when it succeeded, one `warn` record with the message when it failed (`trace` adds
/// the arguments). Nothing the caller passes can crash the host: NULLs, freed and bogus
/// handles, bad enum values and sizes are all checked here or by the tensor engine.
enum TensorCall {
    static var log: RedirectionLog { .shared }
    static var handles: TensorHandles { .shared }

    /// Runs `body` for export `api`. `body` returns how to make a fuller success record, or nil.
    static func run(_ api: String, arguments: @autoclosure () -> String,
                    _ body: () throws(TensorCallError) -> CallDetails?) -> Int32 {
        let start = log.isEnabled(.debug) ? MonotonicClock.now() : 0
        do {
            let details = try body()
            guard log.isEnabled(.debug) else { return DeviceShimStatus.ok.rawValue }
            var record = details?() ?? RedirectionRecord(api: api)
            record.api = api
            record.status = DeviceShimStatus.ok.name
            if start != 0 {
                record.timeNanoseconds = start
                record.durationNanoseconds = MonotonicClock.now() - start
            }
            log.record(.debug, record, from: .native, arguments: arguments())
            return DeviceShimStatus.ok.rawValue
        } catch {
            fail(api, error, arguments: arguments())
            return error.status.rawValue
        }
    }

    /// Makes `error` the thread's last error and records it at `warn`.
    static func fail(_ api: String, _ error: TensorCallError, arguments: @autoclosure () -> String?) {
        LastErrorMessage.store("\(api): \(error.message)")
        log.record(.warn, RedirectionRecord(api: api, status: error.status.name, message: error.message),
                   from: .native, arguments: arguments())
    }

    /// Runs `make` for an export that returns a new tensor in `*out`: registered under a new
    /// handle when it succeeds, `*out` set to 0 (when `out` is not NULL) when it fails.
    static func produce(_ api: String, _ out: UnsafeMutablePointer<UInt64>?, arguments: @autoclosure () -> String,
                        _ make: () throws(TensorCallError) -> TensorHandles.Entry) -> Int32 {
        let status = run(api, arguments: arguments()) { () throws(TensorCallError) -> CallDetails? in
            guard let out else { throw .invalidArgument("out is NULL") }
            let entry = try make()
            let handle = handles.register(entry)
            out.pointee = handle
            let tensor = entry.tensor
            return {
                RedirectionRecord(api: api, requested: tensor.requestedDevice.description, resolved: tensor.device.description,
                                  message: "tensor \(handle): \(tensor.shape) \(tensor.dtype)")
            }
        }
        if status != DeviceShimStatus.ok.rawValue { out?.pointee = 0 }
        return status
    }

    /// Runs a tensor engine call, turning its error into the call's.
    static func engine<Result>(_ body: () throws(TensorError) -> Result) throws(TensorCallError) -> Result {
        do { return try body() } catch { throw TensorCallError(error) }
    }

    // MARK: - Arguments

    /// The largest rank a C call accepts.
    static let maximumRank = 64

    /// A shape or dims array of `rank` entries at `pointer` (NULL allowed when `rank` is 0).
    static func integers(_ pointer: UnsafePointer<Int64>?, count: Int32, name: String) throws(TensorCallError) -> [Int] {
        guard count >= 0, count <= maximumRank else {
            throw .invalidArgument("\(name) has \(count) entries; between 0 and \(maximumRank) are accepted")
        }
        guard count > 0 else { return [] }
        guard let pointer else { throw .invalidArgument("\(name) is NULL but has \(count) entries") }
        return UnsafeBufferPointer(start: pointer, count: Int(count)).map { Int($0) }
    }

    /// A shape for a new tensor: sizes ≥ 0 (and -1 once, when `allowsInferred`) whose element
    /// count, in bytes of the widest dtype, fits in memory addresses.
    static func shape(_ pointer: UnsafePointer<Int64>?, rank: Int32, allowsInferred: Bool = false) throws(TensorCallError) -> [Int] {
        let shape = try integers(pointer, count: rank, name: "shape")
        var elements = 1
        for size in shape where !(allowsInferred && size == -1) {
            guard size >= 0 else { throw .invalidArgument("shape \(shape) has a negative size") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int.max / 16 else {
                throw .invalidArgument("shape \(shape) has more elements than memory can address")
            }
            elements = product
        }
        return shape
    }

    /// Checks that `elements` values the engine computes on the host first (random numbers,
    /// ranges) fit: more than memory can address is an invalid argument, more than 16 bytes
    /// each of the machine's memory is out of memory (the host would fail, not throw).
    static func checkHostStaging(_ elements: Double, api: String) throws(TensorCallError) {
        guard elements.isFinite, elements <= Double(Int.max / 16) else {
            throw .invalidArgument("\(api) would have more elements than memory can address")
        }
        let memory = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        guard memory <= 0 || elements * 16 <= memory else {
            throw .outOfMemory("\(api) would compute \(Int(elements)) values on the host, more than \(Int(memory)) bytes of memory hold")
        }
    }

    /// A dtype from its `deviceshim_dtype` value.
    static func dtype(_ value: Int32) throws(TensorCallError) -> DType {
        let table: [DType] = [.float32, .float64, .float16, .bfloat16, .int32, .int64, .uint8, .bool]
        guard value >= 0, Int(value) < table.count else {
            throw .invalidArgument("\(value) is not a deviceshim_dtype (0...\(table.count - 1))")
        }
        return table[Int(value)]
    }

    /// The `deviceshim_dtype` value of `dtype`.
    static func code(of dtype: DType) -> Int32 {
        switch dtype {
        case .float32: 0
        case .float64: 1
        case .float16: 2
        case .bfloat16: 3
        case .int32: 4
        case .int64: 5
        case .uint8: 6
        case .bool: 7
        }
    }

    /// A C string argument that must not be NULL.
    static func string(_ pointer: UnsafePointer<CChar>?, name: String) throws(TensorCallError) -> String {
        guard let pointer else { throw .invalidArgument("\(name) is NULL") }
        return String(cString: pointer)
    }

    /// An out pointer that must not be NULL.
    static func required<T>(_ pointer: UnsafeMutablePointer<T>?, name: String) throws(TensorCallError) -> UnsafeMutablePointer<T> {
        guard let pointer else { throw .invalidArgument("\(name) is NULL") }
        return pointer
    }

    /// A C number as the scalar of an element-wise op: an integral value is an integer (so an
    /// integer tensor keeps its dtype), anything else a float.
    static func scalar(_ value: Double) -> TensorScalar {
        if value.rounded() == value, Swift.abs(value) < 0x1p63 { return .int(Int64(value)) }
        return .float(value)
    }

    /// Where the tensor engine's records say a C call came from: the native caller when the
    /// log takes `info` records (the redirector's first decision for a device is one), else
    /// the entry point's file. Unwinding costs about 6 µs a call, a third more than making a
    /// small tensor, so not at the default level, where the only engine records are the
    /// redirector's rare warnings, each followed by the call's own, which names the caller.
    static func site(fileID: String = #fileID, line: Int = #line, function: String = #function)
        -> (fileID: String, line: Int, function: String) {
        guard log.isEnabled(.info), let caller = NativeCallers.shared.caller() else { return (fileID, line, function) }
        return (caller.file ?? caller.object ?? "?", caller.line ?? 0, caller.symbol ?? "?")
    }
}

/// Exports whose result is computed from tensors they are given.
extension TensorCall {
    /// A new tensor from the one behind `handle` (named `role`), under that tensor's policy.
    static func derive(_ api: String, _ handle: UInt64, _ out: UnsafeMutablePointer<UInt64>?, arguments: @autoclosure () -> String,
                       _ body: (Tensor) throws(TensorCallError) -> Tensor) -> Int32 {
        produce(api, out, arguments: arguments()) { () throws(TensorCallError) in
            let entry = try handles.entry(handle, role: "t")
            return TensorHandles.Entry(tensor: try body(entry.tensor), engine: entry.engine)
        }
    }

    /// A new tensor from the tensors behind `inputs` (each with the name of its argument),
    /// which must have been made under one policy.
    static func combine(_ api: String, _ inputs: [(handle: UInt64, role: String)], _ out: UnsafeMutablePointer<UInt64>?,
                        arguments: @autoclosure () -> String, _ body: ([Tensor]) throws(TensorCallError) -> Tensor) -> Int32 {
        produce(api, out, arguments: arguments()) { () throws(TensorCallError) in
            let entries = try handles.entries(inputs)
            guard let first = entries.first else { throw .invalidArgument("\(api) needs at least one tensor") }
            return TensorHandles.Entry(tensor: try body(entries.map(\.tensor)), engine: first.engine)
        }
    }
}
