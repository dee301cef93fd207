import Synchronization

/// The error state of a CUDA runtime: each thread's last error, and the process-wide sticky
/// error. `CudaLastError` is the one the runtime uses; tests make their own.
///
/// It follows CUDA's runtime semantics:
/// - Every failing runtime call records its error on the calling thread (`record`); a success
///   never overwrites it. Each thread has its own last error, which starts as `.success`.
/// - `get()` (`cudaGetLastError`) returns the calling thread's last error and resets it to
///   `.success`; `peek()` (`cudaPeekAtLastError`) returns it and leaves it.
/// - A sticky error (`CudaError.isSticky`: an illegal address, a launch failure, a device-side
///   assert, …) corrupts the context for the whole process: CUDA's header says every later
///   CUDA call returns it and only relaunching the process clears it. The first sticky error
///   recorded on any thread becomes the process-wide `stickyError`; from then on `get()` and
///   `peek()` return it on every thread, and `get()` does not clear it. Nothing clears it.
///
/// "Thread" means an OS thread, as for the C ABI callers CUDA serves. A Swift task may resume
/// on another thread after a suspension, so async code reads its error before it awaits.
/// Each instance uses one POSIX thread-specific key (`PerThreadInteger`).
public final class CudaErrorState: Sendable {
    /// Each thread's last error code (0 is `.success`).
    private let threadErrors = PerThreadInteger()
    /// The process-wide sticky error's code; 0 (`cudaSuccess`) while there is none.
    private let stickyCode = Atomic<Int32>(0)

    /// A state in which every thread's last error is `.success` and nothing is sticky.
    public init() {}

    /// Records `error` as the calling thread's last error; `.success` changes nothing. A sticky
    /// error also becomes the process-wide `stickyError` unless there already is one.
    public func record(_ error: CudaError) {
        guard error != .success else { return }
        storeThreadError(error)
        if error.isSticky {
            _ = stickyCode.compareExchange(expected: 0, desired: error.rawValue, ordering: .acquiringAndReleasing)
        }
    }

    /// The calling thread's last error (or the sticky error, if there is one), after which the
    /// thread's last error is `.success` again: `cudaGetLastError`.
    public func get() -> CudaError {
        let error = peek()
        storeThreadError(.success)
        return error
    }

    /// The calling thread's last error (or the sticky error, if there is one), left as it is:
    /// `cudaPeekAtLastError`.
    public func peek() -> CudaError {
        stickyError ?? CudaError(rawValue: Int32(truncatingIfNeeded: threadErrors.value))
    }

    /// The process-wide sticky error, nil until a sticky error is recorded on any thread.
    public var stickyError: CudaError? {
        let code = stickyCode.load(ordering: .acquiring)
        return code == 0 ? nil : CudaError(rawValue: code)
    }

    private func storeThreadError(_ error: CudaError) {
        threadErrors.store(Int(error.rawValue))
    }
}
