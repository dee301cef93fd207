/// Where a value of `CudaDeviceProperties` comes from.
public enum PropertySource: String, Sendable, Hashable, CustomStringConvertible {
    /// Read from the device's driver or the host's OS (or computed from such values only).
    case device
    /// What DeviceShim itself provides, whatever the device (unified addressing, no
    /// textures, no cooperative launch): true of this process.
    case deviceShim = "DeviceShim"
    /// A value the backend has no notion of: the emulated compute capability's published
    /// value, a setting (`DEVICESHIM_CC`, `DEVICESHIM_WARP_SIZE`) or a documented default.
    case emulated

    public var description: String { rawValue }
}

extension CudaDeviceProperties {
    /// One value of `CudaDeviceProperties`, named as its property; the raw value is the CUDA
    /// name (logs show it): the `cudaDeviceProp` field or, for the attributes the struct has
    /// no field for, the `cudaDevAttr` name without its prefix.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case name, uuid, luid, luidDeviceNodeMask
        case totalGlobalMemory = "totalGlobalMem"
        case sharedMemoryPerBlock = "sharedMemPerBlock"
        case registersPerBlock = "regsPerBlock"
        case warpSize
        case memoryPitch = "memPitch"
        case maxThreadsPerBlock
        case maxThreadsDimensions = "maxThreadsDim"
        case maxGridSize, clockRate
        case totalConstantMemory = "totalConstMem"
        case major, minor, textureAlignment, texturePitchAlignment, deviceOverlap, multiProcessorCount
        case kernelExecTimeoutEnabled
        case isIntegrated = "integrated"
        case canMapHostMemory, computeMode
        case maxTexture1D, maxTexture1DMipmap, maxTexture1DLinear, maxTexture2D, maxTexture2DMipmap, maxTexture2DLinear
        case maxTexture2DGather, maxTexture3D
        case maxTexture3DAlternate = "maxTexture3DAlt"
        case maxTextureCubemap, maxTexture1DLayered, maxTexture2DLayered, maxTextureCubemapLayered
        case maxSurface1D, maxSurface2D, maxSurface3D, maxSurface1DLayered, maxSurface2DLayered, maxSurfaceCubemap
        case maxSurfaceCubemapLayered, surfaceAlignment, concurrentKernels
        case eccEnabled = "ECCEnabled"
        case pciBusID, pciDeviceID, pciDomainID, tccDriver, asyncEngineCount, unifiedAddressing, memoryClockRate
        case memoryBusWidth, l2CacheSize, persistingL2CacheMaxSize, maxThreadsPerMultiProcessor
        case streamPrioritiesSupported, globalL1CacheSupported, localL1CacheSupported
        case sharedMemoryPerMultiprocessor = "sharedMemPerMultiprocessor"
        case registersPerMultiprocessor = "regsPerMultiprocessor"
        case managedMemory, isMultiGpuBoard, multiGpuBoardGroupID, hostNativeAtomicSupported
        case singleToDoublePrecisionPerformanceRatio = "singleToDoublePrecisionPerfRatio"
        case pageableMemoryAccess, concurrentManagedAccess, computePreemptionSupported
        case canUseHostPointerForRegisteredMemory = "canUseHostPointerForRegisteredMem"
        case cooperativeLaunch, cooperativeMultiDeviceLaunch
        case sharedMemoryPerBlockOptIn = "sharedMemPerBlockOptin"
        case pageableMemoryAccessUsesHostPageTables
        case directManagedMemoryAccessFromHost = "directManagedMemAccessFromHost"
        case maxBlocksPerMultiProcessor, accessPolicyMaxWindowSize
        case reservedSharedMemoryPerBlock = "reservedSharedMemPerBlock"
        case hostRegisterSupported, sparseCudaArraySupported, hostRegisterReadOnlySupported
        case timelineSemaphoreInteropSupported, memoryPoolsSupported, gpuDirectRDMASupported
        case gpuDirectRDMAFlushWritesOptions, gpuDirectRDMAWritesOrdering, memoryPoolSupportedHandleTypes
        case deferredMappingCudaArraySupported, ipcEventSupported, clusterLaunch, unifiedFunctionPointers
        // Attributes without a `cudaDeviceProp` field.
        case canFlushRemoteWrites
        case memorySyncDomainCount = "memSyncDomainCount"
        case numaConfig
        case numaID = "numaId"
        case mpsEnabled
        case hostNumaID = "hostNumaId"
        case d3d12CigSupported, vulkanCigSupported
        case gpuPciDeviceID = "gpuPciDeviceId"
        case gpuPciSubsystemID = "gpuPciSubsystemId"
        case hostNumaMemoryPoolsSupported, hostNumaMultinodeIpcSupported
    }
}
