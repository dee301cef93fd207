/// CUDA's code for a failure of backend queue work, for the stream and event calls.
enum StreamErrors {
    /// `invalidArgument` from a queue's `synchronize` means it was called from the queue's own
    /// host callback, which CUDA forbids (`cudaErrorNotPermitted`); a lost device is a launch
    /// failure (sticky, as on CUDA); anything else the backend reports is `cudaErrorUnknown`.
    static func cudaError(for error: DeviceError) -> CudaError {
        switch error {
        case .invalidArgument: .notPermitted
        case .deviceLost: .launchFailure
        case .outOfMemory: .memoryAllocation
        default: .unknown
        }
    }

    /// Runs `body`, turning a `DeviceError` into its CUDA code, recorded as the last error.
    static func mapped<T>(_ body: () throws(DeviceError) -> T) throws(CudaError) -> T {
        do {
            return try body()
        } catch {
            let cudaError = cudaError(for: error)
            CudaLastError.record(cudaError)
            throw cudaError
        }
    }
}
