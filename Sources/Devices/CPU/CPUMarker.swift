#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// A point in a `CPUQueue`'s work. It completes when the queue's worker reaches it, taking
/// the CPU device's clock (CLOCK_MONOTONIC) at that moment; if the queue failed before, it
/// is resolved with that error instead (`isComplete` is then true, and `wait` throws).
final class CPUMarker: QueueMarker {
    private enum State {
        case pending
        case completed(nanoseconds: UInt64)
        case failed(DeviceError)
    }

    private let state: Mutex<State>
    /// Entered on creation, left once when resolved: any number of threads may wait on it.
    /// None for a marker made resolved.
    private let resolution: DispatchGroup?

    init() {
        state = Mutex(.pending)
        resolution = DispatchGroup()
        resolution?.enter()
    }

    /// A marker reached as it is made (on an idle queue): complete now, or failed with the
    /// queue's `failure`. It needs no group to wait on.
    init(reachedWith failure: DeviceError?) {
        state = Mutex(failure.map(State.failed) ?? .completed(nanoseconds: Self.now()))
        resolution = nil
    }

    /// CLOCK_MONOTONIC in nanoseconds: the CPU device's clock.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Called once, by the queue's worker.
    func complete() {
        let now = Self.now()
        state.withLock { $0 = .completed(nanoseconds: now) }
        resolution?.leave()
    }

    /// Called once, by the queue's worker, when the queue failed before reaching the marker.
    func fail(_ error: DeviceError) {
        state.withLock { $0 = .failed(error) }
        resolution?.leave()
    }

    var isComplete: Bool {
        state.withLock { if case .pending = $0 { false } else { true } }
    }

    func wait() throws(DeviceError) {
        resolution?.wait()
        if case let .failed(error) = state.withLock({ $0 }) { throw error }
    }

    var completionTimeNanoseconds: UInt64? {
        state.withLock { if case let .completed(nanoseconds) = $0 { nanoseconds } else { nil } }
    }
}
