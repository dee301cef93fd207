import CCudaABI

// Kernel launches from nvcc's host code: `kernel<<<grid, block, shared, stream>>>(args)`
// becomes `__cudaPushCallConfiguration(...)`, then the kernel's host stub pops the
// configuration and calls `cudaLaunchKernel` (or, with CUDA 12's default launch code,
// `__cudaGetKernel` once and `__cudaLaunchKernel` each time). Device code is not redirected
// yet, so every launch fails with cudaErrorNoKernelImageForDevice and says so at `warn`.

@_cdecl("__cudaPushCallConfiguration")
public func __cudaPushCallConfiguration(_ gridDim: ds_dim3, _ blockDim: ds_dim3, _ sharedMem: Int, _ stream: OpaquePointer?) -> UInt32 {
    let configuration = LaunchConfiguration(grid: LaunchDimensions(gridDim), block: LaunchDimensions(blockDim),
                                            sharedMemoryBytes: sharedMem, stream: UInt(bitPattern: stream))
    LaunchConfigurationStack.push(configuration)
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(
        api: "__cudaPushCallConfiguration", status: CudaError.success.name, message: "\(configuration)"))
    // 0 tells the launch expression to go on and call the host stub.
    return 0
}

@_cdecl("__cudaPopCallConfiguration")
public func __cudaPopCallConfiguration(
    _ gridDim: UnsafeMutablePointer<ds_dim3>?, _ blockDim: UnsafeMutablePointer<ds_dim3>?,
    _ sharedMem: UnsafeMutablePointer<Int>?, _ stream: UnsafeMutableRawPointer?
) -> Int32 {
    guard let configuration = LaunchConfigurationStack.pop() else {
        return failedLaunchCall("__cudaPopCallConfiguration", .missingConfiguration,
                                "no launch configuration was pushed on this thread")
    }
    gridDim?.pointee = configuration.grid.dim3
    blockDim?.pointee = configuration.block.dim3
    sharedMem?.pointee = configuration.sharedMemoryBytes
    // `void *stream` is really a `cudaStream_t *`.
    stream?.storeBytes(of: configuration.stream, as: UInt.self)
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(
        api: "__cudaPopCallConfiguration", status: CudaError.success.name, message: "\(configuration)"))
    return CudaError.success.rawValue
}

@_cdecl("cudaLaunchKernel")
public func cudaLaunchKernel(
    _ function: UnsafeRawPointer?, _ gridDim: ds_dim3, _ blockDim: ds_dim3,
    _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ sharedMem: Int, _ stream: OpaquePointer?
) -> Int32 {
    launchKernel("cudaLaunchKernel", function: UInt(bitPattern: function), gridDim, blockDim, args, sharedMem, stream)
}

@_cdecl("cudaLaunchKernel_ptsz")
public func cudaLaunchKernel_ptsz(
    _ function: UnsafeRawPointer?, _ gridDim: ds_dim3, _ blockDim: ds_dim3,
    _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ sharedMem: Int, _ stream: OpaquePointer?
) -> Int32 {
    launchKernel("cudaLaunchKernel_ptsz", function: UInt(bitPattern: function), gridDim, blockDim, args, sharedMem, stream)
}

/// CUDA 12's launch code asks once for a kernel handle for the host stub's address. The
/// handle DeviceShim gives is that address itself, so `__cudaLaunchKernel` can name the kernel.
@_cdecl("__cudaGetKernel")
public func __cudaGetKernel(_ kernel: UnsafeMutablePointer<OpaquePointer?>?, _ function: UnsafeRawPointer?) -> Int32 {
    let address = UInt(bitPattern: function)
    guard let kernel else {
        return failedLaunchCall("__cudaGetKernel", .invalidValue, "no place for the kernel handle (NULL)")
    }
    guard let registered = KernelRegistry.shared.kernel(hostFunction: address) else {
        kernel.pointee = nil
        return failedLaunchCall("__cudaGetKernel", .invalidDeviceFunction,
                                "\(hexAddress(address)) is not the host function of a registered kernel")
    }
    kernel.pointee = OpaquePointer(function)
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(
        api: "__cudaGetKernel", status: CudaError.success.name, message: "kernel \(registered.name)"))
    return CudaError.success.rawValue
}

@_cdecl("__cudaLaunchKernel")
public func __cudaLaunchKernel(
    _ kernel: OpaquePointer?, _ gridDim: ds_dim3, _ blockDim: ds_dim3,
    _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ sharedMem: Int, _ stream: OpaquePointer?
) -> Int32 {
    launchKernel("__cudaLaunchKernel", function: UInt(bitPattern: kernel), gridDim, blockDim, args, sharedMem, stream)
}

@_cdecl("__cudaLaunchKernel_ptsz")
public func __cudaLaunchKernel_ptsz(
    _ kernel: OpaquePointer?, _ gridDim: ds_dim3, _ blockDim: ds_dim3,
    _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ sharedMem: Int, _ stream: OpaquePointer?
) -> Int32 {
    launchKernel("__cudaLaunchKernel_ptsz", function: UInt(bitPattern: kernel), gridDim, blockDim, args, sharedMem, stream)
}

/// Every launch entry point: names the kernel, then fails with cudaErrorNoKernelImageForDevice
/// (recorded as the thread's last error), since no device code runs yet.
private func launchKernel(
    _ api: String, function: UInt, _ gridDim: ds_dim3, _ blockDim: ds_dim3,
    _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ sharedMem: Int, _ stream: OpaquePointer?
) -> Int32 {
    let configuration = LaunchConfiguration(grid: LaunchDimensions(gridDim), block: LaunchDimensions(blockDim),
                                            sharedMemoryBytes: sharedMem, stream: UInt(bitPattern: stream))
    let kernel = { KernelRegistry.shared.kernel(hostFunction: function)?.name
        ?? (function == 0 ? "NULL" : "\(hexAddress(function)) (not a registered kernel)") }
    return failedLaunchCall(api, .noKernelImageForDevice,
                            "kernel \(kernel()) not run (\(configuration)): DeviceShim does not redirect device code yet",
                            arguments: "func=\(hexAddress(function)), \(configuration), args=\(hexAddress(UInt(bitPattern: args)))")
}

/// Records `error` as the thread's last error, logs it at `warn` naming the native caller,
/// and returns its code.
private func failedLaunchCall(
    _ api: String, _ error: CudaError, _ message: @autoclosure () -> String, arguments: @autoclosure () -> String? = nil
) -> Int32 {
    CudaLastError.record(error)
    RedirectionLog.shared.recordNativeCall(.warn, RedirectionRecord(api: api, status: error.name, message: message()),
                                           arguments: arguments())
    return error.rawValue
}
