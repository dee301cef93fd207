import Synchronization

/// A CUDA stream on a real device: an in-order backend `DeviceQueue` with CUDA's semantics.
///
/// - Work is queued with `enqueue { queue in ... }`, which applies the implicit
///   synchronisation with the legacy default stream (`StreamGroup`); layers above never touch
///   the queue otherwise.
/// - `query()` answers from the queue: `.notReady` while any queued work is pending.
/// - Dropping the last reference is `cudaStreamDestroy`: the call returns at once and work
///   still pending runs to completion (the queue is kept alive by its pending work).
/// - Priorities are accepted and clamped into `CudaStreamPriority`'s range.
public final class CudaStream: Sendable {
    /// Which of CUDA's streams this is.
    public enum Kind: Sendable, Hashable {
        /// Stream 0 with legacy synchronisation (`cudaStreamLegacy`).
        case legacyDefault
        /// A thread's default stream (`cudaStreamPerThread`).
        case perThreadDefault
        /// A stream made by `cudaStreamCreate*`.
        case created
    }

    /// Unique in the process (also across devices); the `stream` of log records.
    public let id: UInt64
    public let kind: Kind
    public let flags: CudaStreamFlags
    /// The priority after clamping (what `cudaStreamGetPriority` returns).
    public let priority: Int32
    /// The streams of this stream's device.
    public let group: StreamGroup
    /// The backend queue; reached through `enqueue` only.
    let queue: any DeviceQueue

    private static let nextID = Atomic<UInt64>(1)

    /// `cudaStreamCreateWithPriority` on `device` (the caller has resolved `cuda:N` to it): a
    /// stream of the device's shared group, recorded as `api` with its caller. Flags CUDA does
    /// not define are `.invalidValue`.
    package convenience init(
        on device: any ComputeDevice, flags: CudaStreamFlags, priority: Int32, api: String, from site: CallSite
    ) throws(CudaError) {
        try self.init(in: StreamGroup.shared(for: device), flags: flags, priority: priority, api: api, from: site)
    }

    /// A created stream of `group` (tests use a group of their own), recorded as `api`.
    package convenience init(
        in group: StreamGroup, flags: CudaStreamFlags, priority: Int32, api: String, from site: CallSite
    ) throws(CudaError) {
        guard CudaStreamFlags.all.isSuperset(of: flags) else {
            CudaLastError.record(.invalidValue)
            group.log.recordCall(api, device: group.device.id, stream: nil, status: .invalidValue, from: site)
            throw .invalidValue
        }
        try self.init(group: group, kind: .created, flags: flags, priority: CudaStreamPriority.clamped(priority), api: api, from: site)
    }

    /// Any kind of stream; the default streams, made implicitly, pass no `site`.
    init(group: StreamGroup, kind: Kind, flags: CudaStreamFlags, priority: Int32,
         api: String = "implicit default stream", from site: CallSite? = nil) throws(CudaError) {
        self.group = group
        self.kind = kind
        self.flags = flags
        self.priority = priority
        id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let device = group.device
        queue = try StreamErrors.mapped { () throws(DeviceError) in try device.makeQueue() }
        group.register(queue, id: id, isBlocking: isBlocking && kind != .legacyDefault)
        let record = RedirectionRecord(api: api, resolved: device.id.description, status: CudaError.success.name, stream: id,
                                       message: "\(kind) stream, flags \(flags.rawValue), priority \(priority)")
        if let site { group.log.record(.debug, record, from: site) } else { group.log.recordEvent(.debug, record) }
    }

    deinit {
        group.unregister(id: id)
    }

    /// The device the stream's work runs on.
    public var device: any ComputeDevice { group.device }

    /// Whether the stream synchronises implicitly with the legacy default stream (created
    /// without `.nonBlocking`, or a per-thread default stream).
    public var isBlocking: Bool { !flags.contains(.nonBlocking) }

    /// Queues work: `body` enqueues on the stream's backend queue, after the implicit
    /// synchronisation CUDA's default-stream rules call for. `body` must not enqueue on
    /// another stream of the same device. Backend errors become CUDA codes (last error set).
    public func enqueue<Result: Sendable>(_ body: (any DeviceQueue) throws(DeviceError) -> Result) throws(CudaError) -> Result {
        try StreamErrors.mapped { () throws(DeviceError) -> Result in try group.enqueue(on: self, body) }
    }

    /// `enqueue` for work that returns nothing (copies, fills, launches), specialized here: a
    /// generic call from another module runs unspecialized, through type metadata.
    public func enqueue(_ body: (any DeviceQueue) throws(DeviceError) -> Void) throws(CudaError) {
        try StreamErrors.mapped { () throws(DeviceError) in try group.enqueue(on: self, body) }
    }

    /// Copies `count` bytes between host addresses (host memory, or device memory the host
    /// addresses) at once on the calling thread, when nothing queued on this stream or, by
    /// CUDA's implicit synchronisation, on another must run first, and the queue takes it (see
    /// `DeviceQueue.copyNow`); says whether it did. When it did not, nothing happened.
    package func copyNow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) -> Bool {
        group.waitsForNothing(self) && queue.copyNow(from: source, to: destination, count: count)
    }

    /// Waits for the work queued on this stream so far, and only that (CUDA's synchronous
    /// copies on their stream); throws what it raised. Unlike `synchronize`, it neither
    /// records nor waits for other streams: the legacy stream's implicit synchronisation
    /// already ordered that work when it was queued.
    package func finishQueuedWork() throws(CudaError) {
        try StreamErrors.mapped { () throws(DeviceError) in try queue.synchronize() }
    }

    /// `cudaStreamQuery`: `.success` once all queued work has completed, `.notReady` before.
    /// On the legacy stream, the blocking streams' work counts too (see `StreamGroup`).
    package func query(api: String, from site: CallSite) -> CudaError {
        let start = group.log.isEnabled(.debug) ? MonotonicClock.now() : 0
        let idle = kind == .legacyDefault ? group.legacyIsIdle(self) : queue.isIdle
        let status: CudaError = idle ? .success : .notReady
        // Checked here too, so that with logging off the log is not even retained for the call.
        if group.log.isEnabled(.debug) {
            group.log.recordCall(api, device: device.id, stream: id, status: status, since: start, from: site)
        }
        return status
    }

    /// `cudaStreamSynchronize`: waits for all queued work (on the legacy stream, also the
    /// blocking streams' earlier work); throws what the work raised, or `.notPermitted` when
    /// called from a host function of this stream.
    package func synchronize(api: String, from site: CallSite) throws(CudaError) {
        try logged(api, from: site) { () throws(CudaError) in
            try StreamErrors.mapped { () throws(DeviceError) in
                if kind == .legacyDefault { try group.synchronizeLegacy(self) } else { try queue.synchronize() }
            }
        }
    }

    /// `cudaStreamWaitEvent`: work queued after this waits for the work `event` captured. An
    /// event never recorded captures nothing, so this waits for nothing (as on CUDA).
    package func wait(for event: CudaEvent, api: String, from site: CallSite) throws(CudaError) {
        try logged(api, from: site) { () throws(CudaError) in
            guard let marker = event.recordedMarker else { return }
            try enqueue { queue throws(DeviceError) in try queue.wait(for: marker) }
        }
    }

    /// `cudaLaunchHostFunc`: runs `function` on a host thread after all work queued before it;
    /// work queued after waits for it. It must not call stream or event APIs of this stream.
    /// It does not run once the stream's work has failed.
    package func launchHostFunction(_ function: @escaping @Sendable () -> Void, api: String, from site: CallSite) throws(CudaError) {
        try logged(api, from: site) { () throws(CudaError) in
            try enqueue { queue throws(DeviceError) in try queue.enqueueHostCallback(function) }
        }
    }

    /// `cudaStreamAddCallback`: like `launchHostFunction`, but it also runs after the stream's
    /// work has failed, and receives the stream and the status of the work before it.
    package func addCallback(
        _ callback: @escaping @Sendable (CudaStream, CudaError) -> Void, api: String, from site: CallSite
    ) throws(CudaError) {
        try logged(api, from: site) { () throws(CudaError) in
            try enqueue { queue throws(DeviceError) in
                try queue.enqueueStatusCallback { [self] failure in
                    callback(self, failure.map(StreamErrors.cudaError) ?? .success)
                }
            }
        }
    }

    /// Runs `body`, recording the call on this stream as `api` from `site`.
    func logged<Result>(_ api: String, from site: CallSite, _ body: () throws(CudaError) -> Result) throws(CudaError) -> Result {
        try group.log.timedCall(api, device: device.id, stream: id, from: site, body)
    }
}
