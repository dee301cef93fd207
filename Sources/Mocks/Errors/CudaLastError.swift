/// The CUDA runtime's last error, per thread, with CUDA's semantics (see `CudaErrorState`):
/// every failing runtime call does `record(error)`; `cudaGetLastError` is `get()`,
/// `cudaPeekAtLastError` is `peek()`.
public enum CudaLastError {
    /// The process's one runtime error state, which every runtime call records into.
    public static let shared = CudaErrorState()

    /// Records `error` as the calling thread's last error (`.success` changes nothing); a
    /// sticky error also becomes the process-wide sticky error.
    public static func record(_ error: CudaError) {
        shared.record(error)
    }

    /// `cudaGetLastError`: the calling thread's last error, which is reset to `.success`
    /// (the sticky error, if any, is returned instead and stays).
    public static func get() -> CudaError {
        shared.get()
    }

    /// `cudaPeekAtLastError`: the calling thread's last error (or the sticky error), not reset.
    public static func peek() -> CudaError {
        shared.peek()
    }

    /// The process-wide sticky error, which every later runtime call should fail with; nil
    /// while there is none.
    public static var stickyError: CudaError? {
        shared.stickyError
    }
}
