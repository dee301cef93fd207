import CCudaABI

extension ds_cuda_device_prop {
    /// `cudaDeviceProp` as `cudaGetDeviceProperties_v2` fills it from `properties`; the
    /// reserved words are zero. Names longer than 255 bytes are cut (the field is 256 bytes).
    init(_ properties: CudaDeviceProperties) {
        self.init()
        let p = properties
        Self.store(Array(p.name.utf8.prefix(255)).map { CChar(bitPattern: $0) } + [0], into: &name)
        Self.store(p.uuid.map { CChar(bitPattern: $0) }, into: &uuid.bytes)
        Self.store(p.luid.map { CChar(bitPattern: $0) }, into: &luid)
        luidDeviceNodeMask = p.luidDeviceNodeMask
        totalGlobalMem = p.totalGlobalMemory
        sharedMemPerBlock = p.sharedMemoryPerBlock
        regsPerBlock = p.registersPerBlock
        warpSize = p.warpSize
        memPitch = p.memoryPitch
        maxThreadsPerBlock = p.maxThreadsPerBlock
        Self.store(p.maxThreadsDimensions, into: &maxThreadsDim)
        Self.store(p.maxGridSize, into: &maxGridSize)
        clockRate = p.clockRate
        totalConstMem = p.totalConstantMemory
        major = p.major
        minor = p.minor
        textureAlignment = p.textureAlignment
        texturePitchAlignment = p.texturePitchAlignment
        deviceOverlap = Self.flag(p.deviceOverlap)
        multiProcessorCount = p.multiProcessorCount
        kernelExecTimeoutEnabled = Self.flag(p.kernelExecTimeoutEnabled)
        integrated = Self.flag(p.isIntegrated)
        canMapHostMemory = Self.flag(p.canMapHostMemory)
        computeMode = p.computeMode
        maxTexture1D = p.maxTexture1D
        maxTexture1DMipmap = p.maxTexture1DMipmap
        maxTexture1DLinear = p.maxTexture1DLinear
        Self.store(p.maxTexture2D, into: &maxTexture2D)
        Self.store(p.maxTexture2DMipmap, into: &maxTexture2DMipmap)
        Self.store(p.maxTexture2DLinear, into: &maxTexture2DLinear)
        Self.store(p.maxTexture2DGather, into: &maxTexture2DGather)
        Self.store(p.maxTexture3D, into: &maxTexture3D)
        Self.store(p.maxTexture3DAlternate, into: &maxTexture3DAlt)
        maxTextureCubemap = p.maxTextureCubemap
        Self.store(p.maxTexture1DLayered, into: &maxTexture1DLayered)
        Self.store(p.maxTexture2DLayered, into: &maxTexture2DLayered)
        Self.store(p.maxTextureCubemapLayered, into: &maxTextureCubemapLayered)
        maxSurface1D = p.maxSurface1D
        Self.store(p.maxSurface2D, into: &maxSurface2D)
        Self.store(p.maxSurface3D, into: &maxSurface3D)
        Self.store(p.maxSurface1DLayered, into: &maxSurface1DLayered)
        Self.store(p.maxSurface2DLayered, into: &maxSurface2DLayered)
        maxSurfaceCubemap = p.maxSurfaceCubemap
        Self.store(p.maxSurfaceCubemapLayered, into: &maxSurfaceCubemapLayered)
        surfaceAlignment = p.surfaceAlignment
        concurrentKernels = Self.flag(p.concurrentKernels)
        ECCEnabled = Self.flag(p.eccEnabled)
        pciBusID = p.pciBusID
        pciDeviceID = p.pciDeviceID
        pciDomainID = p.pciDomainID
        tccDriver = Self.flag(p.tccDriver)
        asyncEngineCount = p.asyncEngineCount
        unifiedAddressing = Self.flag(p.unifiedAddressing)
        memoryClockRate = p.memoryClockRate
        memoryBusWidth = p.memoryBusWidth
        l2CacheSize = p.l2CacheSize
        persistingL2CacheMaxSize = p.persistingL2CacheMaxSize
        maxThreadsPerMultiProcessor = p.maxThreadsPerMultiProcessor
        streamPrioritiesSupported = Self.flag(p.streamPrioritiesSupported)
        globalL1CacheSupported = Self.flag(p.globalL1CacheSupported)
        localL1CacheSupported = Self.flag(p.localL1CacheSupported)
        sharedMemPerMultiprocessor = p.sharedMemoryPerMultiprocessor
        regsPerMultiprocessor = p.registersPerMultiprocessor
        managedMemory = Self.flag(p.managedMemory)
        isMultiGpuBoard = Self.flag(p.isMultiGpuBoard)
        multiGpuBoardGroupID = p.multiGpuBoardGroupID
        hostNativeAtomicSupported = Self.flag(p.hostNativeAtomicSupported)
        singleToDoublePrecisionPerfRatio = p.singleToDoublePrecisionPerformanceRatio
        pageableMemoryAccess = Self.flag(p.pageableMemoryAccess)
        concurrentManagedAccess = Self.flag(p.concurrentManagedAccess)
        computePreemptionSupported = Self.flag(p.computePreemptionSupported)
        canUseHostPointerForRegisteredMem = Self.flag(p.canUseHostPointerForRegisteredMemory)
        cooperativeLaunch = Self.flag(p.cooperativeLaunch)
        cooperativeMultiDeviceLaunch = Self.flag(p.cooperativeMultiDeviceLaunch)
        sharedMemPerBlockOptin = p.sharedMemoryPerBlockOptIn
        pageableMemoryAccessUsesHostPageTables = Self.flag(p.pageableMemoryAccessUsesHostPageTables)
        directManagedMemAccessFromHost = Self.flag(p.directManagedMemoryAccessFromHost)
        maxBlocksPerMultiProcessor = p.maxBlocksPerMultiProcessor
        accessPolicyMaxWindowSize = p.accessPolicyMaxWindowSize
        reservedSharedMemPerBlock = p.reservedSharedMemoryPerBlock
        hostRegisterSupported = Self.flag(p.hostRegisterSupported)
        sparseCudaArraySupported = Self.flag(p.sparseCudaArraySupported)
        hostRegisterReadOnlySupported = Self.flag(p.hostRegisterReadOnlySupported)
        timelineSemaphoreInteropSupported = Self.flag(p.timelineSemaphoreInteropSupported)
        memoryPoolsSupported = Self.flag(p.memoryPoolsSupported)
        gpuDirectRDMASupported = Self.flag(p.gpuDirectRDMASupported)
        gpuDirectRDMAFlushWritesOptions = p.gpuDirectRDMAFlushWritesOptions
        gpuDirectRDMAWritesOrdering = p.gpuDirectRDMAWritesOrdering
        memoryPoolSupportedHandleTypes = p.memoryPoolSupportedHandleTypes
        deferredMappingCudaArraySupported = Self.flag(p.deferredMappingCudaArraySupported)
        ipcEventSupported = Self.flag(p.ipcEventSupported)
        clusterLaunch = Self.flag(p.clusterLaunch)
        unifiedFunctionPointers = Self.flag(p.unifiedFunctionPointers)
    }

    private static func flag(_ value: Bool) -> Int32 { value ? 1 : 0 }

    /// Copies `values` into a C array imported as a tuple, at most as many as it holds.
    private static func store<Element, Tuple>(_ values: [Element], into tuple: inout Tuple) {
        withUnsafeMutableBytes(of: &tuple) { bytes in
            let typed = bytes.bindMemory(to: Element.self)
            for (index, value) in values.prefix(typed.count).enumerated() { typed[index] = value }
        }
    }
}
