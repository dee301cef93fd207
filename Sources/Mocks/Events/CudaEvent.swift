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

    private struct Recording {
        let marker: any QueueMarker
        let device: DeviceID
    }

    private let recording = Mutex<Recording?>(nil)
    private static let nextID = Atomic<UInt64>(1)

    /// `cudaEventCreateWithFlags`. Flags CUDA does not define, or `.interprocess` without
    /// `.disableTiming` (which CUDA requires with it), are `.invalidValue`.
    public init(flags: CudaEventFlags = .default) throws(CudaError) {
        guard CudaEventFlags.all.isSuperset(of: flags),
              !flags.contains(.interprocess) || flags.contains(.disableTiming) else {
            CudaLastError.record(.invalidValue)
            throw .invalidValue
        }
        self.flags = flags
        id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// `cudaEventRecord`: captures all work queued on `stream` so far.
    public func record(on stream: CudaStream) throws(CudaError) {
        let marker = try stream.enqueue { queue throws(DeviceError) in try queue.enqueueMarker() }
        recording.withLock { $0 = Recording(marker: marker, device: stream.device.id) }
    }

    /// The marker of the last recording (nil if never recorded), for `CudaStream.wait(for:)`.
    var recordedMarker: (any QueueMarker)? {
        recording.withLock { $0?.marker }
    }

    /// `cudaEventQuery`: `.success` once the captured work has completed, or when the event was
    /// never recorded (CUDA's rule); `.notReady` before; the queue's error if its work failed.
    public func query() -> CudaError {
        guard let marker = recordedMarker else { return .success }
        guard marker.isComplete else { return .notReady }
        do {
            try marker.wait()
            return .success
        } catch {
            return StreamErrors.cudaError(for: error)
        }
    }

    /// `cudaEventSynchronize`: waits until the captured work has completed (at once if never
    /// recorded). With `.blockingSync` the thread blocks; otherwise it spins, yielding, as
    /// CUDA's default events do. Throws the error the captured work raised.
    public func synchronize() throws(CudaError) {
        guard let marker = recordedMarker else { return }
        if !flags.contains(.blockingSync) {
            while !marker.isComplete { sched_yield() }
        }
        try StreamErrors.mapped { () throws(DeviceError) in try marker.wait() }
    }

    /// `cudaEventElapsedTime`: milliseconds of device time from `start` to `end`, with
    /// CUDA's errors: `.invalidResourceHandle` if either event was created with
    /// `.disableTiming` or was never recorded (or they were recorded on different devices,
    /// whose clocks cannot be compared); `.notReady` if either has not completed yet. Negative
    /// when `end` completed before `start`. Errors are recorded as the last error.
    public static func elapsedMilliseconds(from start: CudaEvent, to end: CudaEvent) throws(CudaError) -> Float {
        let result = elapsed(from: start, to: end)
        switch result {
        case let .success(milliseconds): return milliseconds
        case let .failure(error):
            CudaLastError.record(error)
            throw error
        }
    }

    private static func elapsed(from start: CudaEvent, to end: CudaEvent) -> Result<Float, CudaError> {
        guard !start.flags.contains(.disableTiming), !end.flags.contains(.disableTiming),
              let first = start.recording.withLock({ $0 }), let last = end.recording.withLock({ $0 }),
              first.device == last.device else {
            return .failure(.invalidResourceHandle)
        }
        for marker in [first.marker, last.marker] {
            guard marker.isComplete else { return .failure(.notReady) }
            do { try marker.wait() } catch { return .failure(StreamErrors.cudaError(for: error)) }
        }
        guard let from = first.marker.completionTimeNanoseconds, let to = last.marker.completionTimeNanoseconds else {
            return .failure(.unknown)
        }
        let nanoseconds = to >= from ? Double(to - from) : -Double(from - to)
        return .success(Float(nanoseconds / 1_000_000))
    }
}
