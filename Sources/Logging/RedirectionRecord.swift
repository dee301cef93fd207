/// Who asked for a redirection.
///
/// Swift callers are exact and free: `symbol` is `#function`, `file` is `#fileID`, `line` is
/// `#line`. Native callers are found by unwinding: `symbol` and `offset` locate the return
/// address, `object` is the loaded file it lives in, `file`/`line` come from DWARF when the
/// caller was built with debug information.
public struct Caller: Sendable, Hashable {
    public var symbol: String?
    public var object: String?
    public var offset: UInt?
    public var file: String?
    public var line: Int?

    public init(symbol: String? = nil, object: String? = nil, offset: UInt? = nil, file: String? = nil, line: Int? = nil) {
        self.symbol = symbol
        self.object = object
        self.offset = offset
        self.file = file
        self.line = line
    }
}

/// One redirection: what was called, what was asked for, what served it, why, and who asked.
///
/// Every surface (the C ABI, the Swift `Cuda`/`Mps` faces, tensors) logs this one type; sinks
/// render it and nothing else formats log text. Fields a site has no value for stay `nil`.
public struct RedirectionRecord: Sendable, Hashable {
    /// The level the record was logged at (set by the log).
    public var level: LogLevel = .info
    /// The API that was called, e.g. `cudaMalloc` or `Tensor.to`.
    public var api: String
    /// The device the caller asked for, e.g. `cuda:0`.
    public var requested: String?
    /// The real device that served it, e.g. `vulkan:0`.
    public var resolved: String?
    /// The policy rule or fallback that decided it, e.g. `rule cuda=vulkan,cpu`.
    public var reason: String?
    /// The caller (filled by the log from the call site or by unwinding).
    public var caller: Caller?
    /// Kernel thread id of the calling thread (set by the log).
    public var thread: UInt64 = 0
    /// The stream the work was queued on, where there is one; traces give it its own track.
    public var stream: UInt64?
    /// Monotonic time (CLOCK_MONOTONIC) in nanoseconds when the record was made, or when the
    /// timed work began if `durationNanoseconds` is set.
    public var timeNanoseconds: UInt64 = 0
    /// How long the call took, where it was timed.
    public var durationNanoseconds: UInt64?
    /// Bytes allocated, copied or set, where that applies.
    public var bytes: Int?
    /// The call's outcome, e.g. `cudaSuccess` or `cudaErrorInvalidValue`.
    public var status: String?
    /// The call's arguments, rendered at `trace` level only.
    public var arguments: String?
    /// Free text for records that are not a call, e.g. a configuration warning.
    public var message: String?

    public init(
        api: String, requested: String? = nil, resolved: String? = nil, reason: String? = nil,
        bytes: Int? = nil, durationNanoseconds: UInt64? = nil, status: String? = nil,
        stream: UInt64? = nil, message: String? = nil
    ) {
        self.api = api
        self.requested = requested
        self.resolved = resolved
        self.reason = reason
        self.bytes = bytes
        self.durationNanoseconds = durationNanoseconds
        self.status = status
        self.stream = stream
        self.message = message
    }
}
