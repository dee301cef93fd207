extension CudaError {
    /// CUDA's code for a failure below the Mocks layer (the redirector, a backend): no device
    /// at all, an index past the devices, exhausted memory, a lost device (a launch failure,
    /// sticky as on CUDA), a bad argument; anything else the backend reports is unknown.
    public init(_ error: DeviceError) {
        switch error {
        case .invalidDeviceIndex: self = .invalidDevice
        case .noDevice: self = .noDevice
        case .outOfMemory: self = .memoryAllocation
        case .deviceLost: self = .launchFailure
        case .invalidArgument: self = .invalidValue
        case .unsupported, .compileFailed, .driver: self = .unknown
        }
    }

    /// Runs `body`; a `DeviceError` it throws becomes its CUDA code (by `mapping`), recorded as
    /// the calling thread's last error, as the runtime does for every failing call.
    package static func recordingFailures<Result>(
        mapping: (DeviceError) -> CudaError = CudaError.init, _ body: () throws(DeviceError) -> Result
    ) throws(CudaError) -> Result {
        do {
            return try body()
        } catch {
            let cudaError = mapping(error)
            CudaLastError.record(cudaError)
            throw cudaError
        }
    }
}
