/// CUDA's code for a failure of backend queue work, for the stream and event calls.
enum StreamErrors {
    /// `invalidArgument` from a queue's `synchronize` means it was called from the queue's own
    /// host callback, which CUDA forbids (`cudaErrorNotPermitted`); the rest as `CudaError(_:)`.
    static func cudaError(for error: DeviceError) -> CudaError {
        if case .invalidArgument = error { return .notPermitted }
        return CudaError(error)
    }

    /// Runs `body`, turning a `DeviceError` into its CUDA code, recorded as the last error.
    static func mapped<Result>(_ body: () throws(DeviceError) -> Result) throws(CudaError) -> Result {
        try CudaError.recordingFailures(mapping: cudaError, body)
    }
}
