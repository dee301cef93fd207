#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A CUDA event: a point in a stream's work, timed by the device's clock.
///
/// Recording queues a backend marker on the stream (through `CudaStream.enqueue`, so the
/// default-stream rules apply); the marker completes when the device reaches it and carries
/// the device's time then, which `elapsedMilliseconds` subtracts. Host time at enqueue is
/// never used. Recording again replaces what the event captured, as on CUDA.
public final class CudaEvent: Sendable {
    /// Unique in the process.
    public let id: UInt64
    public let flags: CudaEventFlags
    /// Where the event's calls are recorded.
    public let log: RedirectionLog

    private struct Recording {
        let marker: any QueueMarker
        let device: DeviceID
        let stream: UInt64
    }

    private let recording = Mutex<Recording?>(nil)
    private static let nextID = Atomic<UInt64>(1)

    /// `cudaEventCreateWithFlags`, recorded as `api`. Flags CUDA does not define, or
    /// `.interprocess` without `.disableTiming` (which CUDA requires with it), are `.invalidValue`.
    package init(flags: CudaEventFlags, log: RedirectionLog, api: String, from site: CallSite) throws(CudaError) {
        self.flags = flags
        self.log = log
        id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        try log.timedCall(api, device: nil, stream: nil, from: site) { () throws(CudaError) in
            guard CudaEventFlags.all.isSuperset(of: flags),
                  !flags.contains(.interprocess) || flags.contains(.disableTiming) else {
                CudaLastError.record(.invalidValue)
                throw .invalidValue
            }
        }
    }

    /// `cudaEventRecord`: captures all work queued on `stream` so far.
    package func record(on stream: CudaStream, api: String, from site: CallSite) throws(CudaError) {
        try stream.logged(api, from: site) { () throws(CudaError) in
            let marker = try stream.enqueue { queue throws(DeviceError) in try queue.enqueueMarker() }
            recording.withLock { $0 = Recording(marker: marker, device: stream.device.id, stream: stream.id) }
        }
    }

    /// The marker of the last recording (nil if never recorded), for `CudaStream.wait(for:)`.
    var recordedMarker: (any QueueMarker)? {
        recording.withLock { $0?.marker }
    }

    /// `cudaEventQuery`: `.success` once the captured work has completed, or when the event was
    /// never recorded (CUDA's rule); `.notReady` before; the queue's error if its work failed.
    package func query(api: String, from site: CallSite) -> CudaError {
        let start = log.isEnabled(.debug) ? MonotonicClock.now() : 0
        let captured = recording.withLock { $0 }
        let status = captured.map { Self.status(of: $0.marker) } ?? .success
        log.recordCall(api, device: captured?.device, stream: captured?.stream, status: status, since: start, from: site)
        return status
    }

    /// `cudaEventSynchronize`: waits until the captured work has completed (at once if never
    /// recorded). With `.blockingSync` the thread blocks; otherwise it spins, yielding, as
    /// CUDA's default events do. Throws the error the captured work raised.
    package func synchronize(api: String, from site: CallSite) throws(CudaError) {
        let captured = recording.withLock { $0 }
        try log.timedCall(api, device: captured?.device, stream: captured?.stream, from: site) { () throws(CudaError) in
            guard let marker = captured?.marker else { return }
            if !flags.contains(.blockingSync) {
                while !marker.isComplete { sched_yield() }
            }
            try StreamErrors.mapped { () throws(DeviceError) in try marker.wait() }
        }
    }

    /// `cudaEventElapsedTime`: milliseconds of device time from `start` to `end`, with
    /// CUDA's errors: `.invalidResourceHandle` if either event was created with
    /// `.disableTiming` or was never recorded (or they were recorded on different devices,
    /// whose clocks cannot be compared); `.notReady` if either has not completed yet. Negative
    /// when `end` completed before `start`. Errors are recorded as the last error.
    package static func elapsedMilliseconds(
        from start: CudaEvent, to end: CudaEvent, api: String, site: CallSite
    ) throws(CudaError) -> Float {
        let device = end.recording.withLock { $0?.device }
        return try end.log.timedCall(api, device: device, stream: nil, from: site) { () throws(CudaError) -> Float in
            switch elapsed(from: start, to: end) {
            case let .success(milliseconds): return milliseconds
            case let .failure(error):
                CudaLastError.record(error)
                throw error
            }
        }
    }

    /// What a query of `marker` answers: `.notReady`, `.success`, or the failed work's error.
    private static func status(of marker: any QueueMarker) -> CudaError {
        guard marker.isComplete else { return .notReady }
        do {
            try marker.wait()
            return .success
        } catch {
            return StreamErrors.cudaError(for: error)
        }
    }

    private static func elapsed(from start: CudaEvent, to end: CudaEvent) -> Result<Float, CudaError> {
        guard !start.flags.contains(.disableTiming), !end.flags.contains(.disableTiming),
              let first = start.recording.withLock({ $0 }), let last = end.recording.withLock({ $0 }),
              first.device == last.device else {
            return .failure(.invalidResourceHandle)
        }
        for marker in [first.marker, last.marker] {
            let status = status(of: marker)
            guard status == .success else { return .failure(status) }
        }
        guard let from = first.marker.completionTimeNanoseconds, let to = last.marker.completionTimeNanoseconds else {
            return .failure(.unknown)
        }
        let nanoseconds = to >= from ? Double(to - from) : -Double(from - to)
        return .success(Float(nanoseconds / 1_000_000))
    }
}
