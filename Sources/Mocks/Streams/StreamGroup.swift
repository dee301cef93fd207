import Synchronization

/// The streams of one device, and the one place CUDA's implicit synchronisation between them
/// is applied: every enqueue on a `CudaStream` goes through `enqueue(on:_:)`.
///
/// CUDA's rules (CUDA driver API, "Stream synchronization behavior"): when work is queued on
/// the legacy default stream, it first waits for all blocking streams of the device, the work
/// is queued, and then all blocking streams wait for the legacy stream. Non-blocking streams
/// (`cudaStreamNonBlocking`) take no part. The per-thread default stream is a blocking stream
/// as far as the legacy stream is concerned.
///
/// Both directions are done with markers at enqueue time: legacy work waits for a marker of
/// each blocking stream with pending work, and a blocking stream's next work waits for the
/// marker after the legacy stream's last work (dropped once it completes). Enqueues on the
/// legacy stream and on blocking streams are serialised by one lock, so the two directions
/// see one order; non-blocking streams never take it, and neither does the legacy stream while
/// the device has no blocking stream.
///
/// Querying or synchronizing the legacy stream is an action in it too: it covers the work the
/// blocking streams queued before the call, as `cudaStreamSynchronize(0)` does on CUDA.
///
/// The legacy default stream is made at first use and lives as long as the group; each
/// thread's default stream lives until the thread exits (`ThreadDefaultStreams`).
/// `shared(for:)` keeps one group per device for the process's lifetime.
public final class StreamGroup: Sendable {
    /// The device all the group's streams run on.
    public let device: any ComputeDevice
    /// Where the group's streams and their events record their calls.
    public let log: RedirectionLog

    private struct StreamQueue {
        let queue: any DeviceQueue
        /// Blocking streams take part in the legacy stream's implicit synchronisation.
        let isBlocking: Bool
        /// Its stream is gone; kept while work it queued is pending (the legacy stream and a
        /// device synchronise still wait for that work), then dropped.
        var isDestroyed = false
    }

    private struct State {
        /// Every created stream's queue (the default streams' too), by stream id.
        private(set) var queues: [UInt64: StreamQueue] = [:]
        var legacyStream: CudaStream?
        /// How many of `queues` are blocking, and how many destroyed: with none blocking, work
        /// on the legacy stream has nothing to wait for and skips the walk over `queues`.
        private(set) var blockingCount = 0, destroyedCount = 0

        mutating func insert(_ entry: StreamQueue, id: UInt64) {
            remove(id: id)
            queues[id] = entry
            if entry.isBlocking { blockingCount += 1 }
        }

        mutating func remove(id: UInt64) {
            guard let entry = queues.removeValue(forKey: id) else { return }
            if entry.isBlocking { blockingCount -= 1 }
            if entry.isDestroyed { destroyedCount -= 1 }
        }

        mutating func markDestroyed(id: UInt64) {
            guard queues[id]?.isDestroyed == false else { return }
            queues[id]?.isDestroyed = true
            destroyedCount += 1
        }

        /// Drops destroyed streams whose work has all completed.
        mutating func pruneFinishedDestroyedStreams() {
            guard destroyedCount > 0 else { return }
            for (id, entry) in queues where entry.isDestroyed && entry.queue.isIdle { remove(id: id) }
        }
    }

    private let state = Mutex(State())
    /// `State.blockingCount`, written under `state`'s lock after each change, so that work on
    /// the legacy stream of a device without blocking streams (most programs) takes no lock:
    /// it has nothing to wait for, and no blocking stream has work that must wait for it.
    private let blockingStreams = Atomic<Int>(0)

    /// A group of its own (tests, or one per device through `shared(for:)`).
    public init(device: any ComputeDevice, log: RedirectionLog = .shared) {
        self.device = device
        self.log = log
    }

    private static let groups = Mutex<[DeviceID: StreamGroup]>([:])

    /// The process's group for `device`: every stream made with `CudaStream(on:)` belongs to it.
    public static func shared(for device: any ComputeDevice) -> StreamGroup {
        groups.withLock { groups in
            if let group = groups[device.id] { return group }
            let group = StreamGroup(device: device)
            groups[device.id] = group
            return group
        }
    }

    /// The legacy default stream (stream 0, `cudaStreamLegacy`), made at first use.
    public func legacyDefaultStream() throws(CudaError) -> CudaStream {
        if let stream = state.withLock({ $0.legacyStream }) { return stream }
        let made = try CudaStream(group: self, kind: .legacyDefault, flags: .blocking, priority: 0)
        return state.withLock { state in
            if let existing = state.legacyStream { return existing }
            state.legacyStream = made
            return made
        }
    }

    /// The calling thread's default stream (`cudaStreamPerThread`), made at first use and
    /// destroyed when the thread exits.
    public func perThreadDefaultStream() throws(CudaError) -> CudaStream {
        try ThreadDefaultStreams.stream(of: self) { () throws(CudaError) in
            try CudaStream(group: self, kind: .perThreadDefault, flags: .blocking, priority: 0)
        }
    }

    /// Drops destroyed streams whose work is done (see `State`), and publishes the count left.
    private func prune(_ state: inout State) {
        state.pruneFinishedDestroyedStreams()
        publishBlockingCount(of: state)
    }

    private func publishBlockingCount(of state: State) {
        blockingStreams.store(state.blockingCount, ordering: .releasing)
    }

    // MARK: - Used by CudaStream

    /// Called by every stream as it is made. Destroyed streams whose work is done go here too,
    /// as the legacy stream's enqueues no longer look at the streams while none is blocking.
    func register(_ queue: any DeviceQueue, id: UInt64, isBlocking: Bool) {
        state.withLock { state in
            state.pruneFinishedDestroyedStreams()
            state.insert(StreamQueue(queue: queue, isBlocking: isBlocking), id: id)
            publishBlockingCount(of: state)
        }
    }

    /// Called as a stream goes; its pending work still orders the legacy stream and is still
    /// waited for by `synchronizeAll`.
    func unregister(id: UInt64) {
        state.withLock { state in
            guard let entry = state.queues[id] else { return }
            if entry.queue.isIdle { state.remove(id: id) } else { state.markDestroyed(id: id) }
            publishBlockingCount(of: state)
        }
    }

    /// Waits for all work of every stream of the device, destroyed streams' pending work
    /// included (`cudaDeviceSynchronize`); throws the first error any of it raised.
    public func synchronizeAll() throws(DeviceError) {
        let queues = state.withLock { state in
            prune(&state)
            return state.queues.values.map(\.queue)
        }
        var firstError: DeviceError?
        for queue in queues {
            do throws(DeviceError) { try queue.synchronize() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Whether the legacy stream `legacy` and every blocking stream are idle
    /// (`cudaStreamQuery` on the legacy stream).
    func legacyIsIdle(_ legacy: CudaStream) -> Bool {
        if blockingStreams.load(ordering: .acquiring) == 0 { return legacy.queue.isIdle }
        return state.withLock { state in
            legacy.queue.isIdle && state.queues.values.allSatisfy { !$0.isBlocking || $0.queue.isIdle }
        }
    }

    /// Waits for the legacy stream's work and for the work blocking streams queued before this
    /// call (`cudaStreamSynchronize` on the legacy stream); throws the first error raised.
    func synchronizeLegacy(_ legacy: CudaStream) throws(DeviceError) {
        let markers = try state.withLock { state throws(DeviceError) -> [any QueueMarker] in
            prune(&state)
            var markers: [any QueueMarker] = []
            for entry in state.queues.values where entry.isBlocking && !entry.queue.isIdle {
                markers.append(try entry.queue.enqueueMarker())
            }
            return markers
        }
        var firstError: DeviceError?
        do throws(DeviceError) { try legacy.queue.synchronize() } catch { firstError = error }
        for marker in markers {
            do throws(DeviceError) { try marker.wait() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Whether work queued on `stream` now has no implicit synchronisation to apply: a
    /// non-blocking stream, or the legacy stream of a device without blocking streams (most
    /// programs), which takes no lock.
    @inline(__always)
    func waitsForNothing(_ stream: CudaStream) -> Bool {
        if stream.kind == .legacyDefault { return blockingStreams.load(ordering: .acquiring) == 0 }
        return !stream.isBlocking
    }

    /// Queues work on `stream` with CUDA's implicit synchronisation applied. `body` enqueues on
    /// the queue it is given and must not enqueue on another stream of this group.
    func enqueue<Result: Sendable>(
        on stream: CudaStream, _ body: (any DeviceQueue) throws(DeviceError) -> Result
    ) throws(DeviceError) -> Result {
        if waitsForNothing(stream) { return try body(stream.queue) }
        if stream.kind == .legacyDefault {
            return try state.withLock { state throws(DeviceError) -> Result in
                if state.blockingCount > 0 {
                    prune(&state)
                    for entry in state.queues.values where entry.isBlocking && entry.queue !== stream.queue && !entry.queue.isIdle {
                        try stream.queue.wait(for: entry.queue.enqueueMarker())
                    }
                }
                return try body(stream.queue)
            }
        }
        return try state.withLock { state throws(DeviceError) -> Result in
            // A marker made now covers exactly the legacy work queued before this call.
            if let legacy = state.legacyStream?.queue, !legacy.isIdle {
                try stream.queue.wait(for: legacy.enqueueMarker())
            }
            return try body(stream.queue)
        }
    }
}
