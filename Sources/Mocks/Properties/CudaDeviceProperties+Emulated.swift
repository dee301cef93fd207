extension CudaDeviceProperties {
    /// Values no backend has a notion of: the compute capability and its published limits
    /// (`ComputeCapabilityLimits`; the block shape is clamped to `maxThreadsPerBlock`), the
    /// UUID (derived from backend, index and name), the float32 : float64 ratio (2 on the CPU,
    /// whose vectors hold twice as many float32 as float64; else the reference part's), and
    /// zero or false for ECC, PCI location and IDs, memory clock and bus width, multi-GPU
    /// boards; no host NUMA node (-1).
    mutating func takeEmulatedValues(for entry: DeviceEntry, capability: ComputeCapability, runsOnHost: Bool) {
        typealias Common = ComputeCapabilityLimits
        let limits = capability.limits
        major = Int32(capability.major)
        minor = Int32(capability.minor)
        sharedMemoryPerBlock = Common.sharedMemoryPerBlock
        registersPerBlock = limits.registersPerBlock
        memoryPitch = Common.memoryPitch
        maxThreadsDimensions = Common.maxThreadsDimensions.map { min($0, maxThreadsPerBlock) }
        maxGridSize = Common.maxGridSize
        totalConstantMemory = Common.totalConstantMemory
        textureAlignment = Common.textureAlignment
        texturePitchAlignment = Common.texturePitchAlignment
        surfaceAlignment = Common.surfaceAlignment
        maxThreadsPerMultiProcessor = limits.maxThreadsPerMultiprocessor
        maxBlocksPerMultiProcessor = limits.maxBlocksPerMultiprocessor
        sharedMemoryPerMultiprocessor = limits.sharedMemoryPerMultiprocessor
        sharedMemoryPerBlockOptIn = limits.sharedMemoryPerBlockOptIn
        reservedSharedMemoryPerBlock = limits.reservedSharedMemoryPerBlock
        registersPerMultiprocessor = Common.registersPerMultiprocessor
        globalL1CacheSupported = true
        localL1CacheSupported = true
        computePreemptionSupported = limits.supportsComputePreemption
        memorySyncDomainCount = limits.memorySyncDomainCount
        singleToDoublePrecisionPerformanceRatio = runsOnHost ? 2 : limits.singleToDoublePrecisionPerformanceRatio
        uuid = DeviceUUID.derived(for: entry.id, name: entry.properties.name)
        eccEnabled = false
        pciBusID = 0
        pciDeviceID = 0
        pciDomainID = 0
        gpuPciDeviceID = 0
        gpuPciSubsystemID = 0
        memoryClockRate = 0
        memoryBusWidth = 0
        isMultiGpuBoard = false
        multiGpuBoardGroupID = 0
        hostNumaID = -1
        mark(.emulated, .major, .minor, .sharedMemoryPerBlock, .registersPerBlock, .memoryPitch, .maxThreadsDimensions,
             .maxGridSize, .totalConstantMemory, .textureAlignment, .texturePitchAlignment, .surfaceAlignment,
             .maxThreadsPerMultiProcessor, .maxBlocksPerMultiProcessor, .sharedMemoryPerMultiprocessor,
             .sharedMemoryPerBlockOptIn, .reservedSharedMemoryPerBlock, .registersPerMultiprocessor,
             .globalL1CacheSupported, .localL1CacheSupported, .computePreemptionSupported, .memorySyncDomainCount,
             .singleToDoublePrecisionPerformanceRatio, .uuid, .eccEnabled, .pciBusID, .pciDeviceID, .pciDomainID,
             .gpuPciDeviceID, .gpuPciSubsystemID, .memoryClockRate, .memoryBusWidth, .isMultiGpuBoard,
             .multiGpuBoardGroupID, .hostNumaID)
    }
}
