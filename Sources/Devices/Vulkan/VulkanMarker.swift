import CVulkan
import Dispatch
import Synchronization

/// A point in a `VulkanQueue`'s timeline: value `value` of its timeline semaphore. Queues of
/// the same device wait for it on the GPU (a semaphore wait in their next submission); other
/// queues wait on a host thread. Its completion time is a GPU timestamp written after all
/// earlier work (device nanoseconds via timestampPeriod), or the host's CLOCK_MONOTONIC on
/// queue families without timestamps.
final class VulkanMarker: QueueMarker, @unchecked Sendable {
    // Sendable: the handles are immutable; the state is behind a Mutex.
    private enum State {
        case pending
        case completed(nanoseconds: UInt64)
        case failed(DeviceError)
    }

    let device: VulkanDevice
    /// The stream whose timeline this is: kept alive while anyone can wait on the marker.
    let stream: VulkanStream
    let value: UInt64
    /// Set once the batch that signals `value` was submitted to the VkQueue. Only then may
    /// another stream wait for it on the GPU: all streams share one VkQueue, and a wait
    /// submitted ahead of its signal would block the signal behind it.
    let isSubmitted = Atomic<Bool>(false)
    private let state = Mutex(State.pending)
    private let resolution = DispatchGroup()

    init(stream: VulkanStream, value: UInt64) {
        self.device = stream.vulkan
        self.stream = stream
        self.value = value
        resolution.enter()
    }

    /// A marker of a queue that had already failed: resolved at once with the error.
    static func failed(stream: VulkanStream, error: DeviceError) -> VulkanMarker {
        let marker = VulkanMarker(stream: stream, value: 0)
        marker.fail(error)
        return marker
    }

    func complete(nanoseconds: UInt64) {
        state.withLock { $0 = .completed(nanoseconds: nanoseconds) }
        resolution.leave()
    }

    func fail(_ error: DeviceError) {
        state.withLock { $0 = .failed(error) }
        resolution.leave()
    }

    /// The error the marker resolved with, if it failed.
    var failure: DeviceError? {
        state.withLock { if case let .failed(error) = $0 { error } else { nil } }
    }

    var isComplete: Bool {
        state.withLock { if case .pending = $0 { false } else { true } }
    }

    func wait() throws(DeviceError) {
        resolution.wait()
        if let failure { throw failure }
    }

    var completionTimeNanoseconds: UInt64? {
        state.withLock { if case let .completed(nanoseconds) = $0 { nanoseconds } else { nil } }
    }
}
