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

    /// `cudaStreamCreateWithPriority` on `device` (the caller has resolved `cuda:N` to it):
    /// a stream of the device's shared group. Flags CUDA does not define are `.invalidValue`.
    public convenience init(
        on device: any ComputeDevice, flags: CudaStreamFlags = .blocking, priority: Int32 = 0
    ) throws(CudaError) {
        try self.init(in: StreamGroup.shared(for: device), flags: flags, priority: priority)
    }

    /// A stream of `group` (tests use a group of their own).
    public convenience init(in group: StreamGroup, flags: CudaStreamFlags = .blocking, priority: Int32 = 0) throws(CudaError) {
        guard CudaStreamFlags.all.isSuperset(of: flags) else {
            CudaLastError.record(.invalidValue)
            throw .invalidValue
        }
        try self.init(group: group, kind: .created, flags: flags, priority: CudaStreamPriority.clamped(priority))
    }

    init(group: StreamGroup, kind: Kind, flags: CudaStreamFlags, priority: Int32) throws(CudaError) {
        self.group = group
        self.kind = kind
        self.flags = flags
        self.priority = priority
        id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let device = group.device
        queue = try StreamErrors.mapped { () throws(DeviceError) in try device.makeQueue() }
        group.register(queue, id: id, isBlocking: isBlocking && kind != .legacyDefault)
        RedirectionLog.shared.recordEvent(.debug, RedirectionRecord(
            api: "cudaStreamCreate", resolved: device.id.description, stream: id,
            message: "\(kind) stream, flags \(flags.rawValue), priority \(priority)"))
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

    /// `cudaStreamQuery`: `.success` once all queued work has completed, `.notReady` before.
    public func query() -> CudaError {
        queue.isIdle ? .success : .notReady
    }

    /// `cudaStreamSynchronize`: waits for all queued work; throws what the work raised, or
    /// `.notPermitted` when called from a host function of this stream.
    public func synchronize() throws(CudaError) {
        try StreamErrors.mapped { () throws(DeviceError) in try queue.synchronize() }
    }

    /// `cudaStreamWaitEvent`: work queued after this waits for the work `event` captured. An
    /// event never recorded captures nothing, so this waits for nothing (as on CUDA).
    public func wait(for event: CudaEvent) throws(CudaError) {
        guard let marker = event.recordedMarker else { return }
        try enqueue { queue throws(DeviceError) in try queue.wait(for: marker) }
    }

    /// `cudaLaunchHostFunc`: runs `function` on a host thread after all work queued before it;
    /// work queued after waits for it. It must not call stream or event APIs of this stream.
    public func launchHostFunction(_ function: @escaping @Sendable () -> Void) throws(CudaError) {
        try enqueue { queue throws(DeviceError) in try queue.enqueueHostCallback(function) }
    }

    /// `cudaStreamAddCallback`: like `launchHostFunction`, and the callback receives the stream
    /// and the status of the work before it (`.success`; see the report on failed queues).
    public func addCallback(_ callback: @escaping @Sendable (CudaStream, CudaError) -> Void) throws(CudaError) {
        try launchHostFunction { [self] in callback(self, .success) }
    }
}
