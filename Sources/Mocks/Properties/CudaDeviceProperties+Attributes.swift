extension CudaDeviceProperties {
    /// What `cudaDeviceGetAttribute` returns for `attribute`: the same value as the struct's
    /// field (flags as 1 / 0), or nil for an attribute CUDA reserves, which DeviceShim cannot
    /// answer (the C ABI returns `cudaErrorInvalidValue`).
    public func attribute(_ attribute: CudaDeviceAttribute) -> Int32? {
        answer(attribute)?.value
    }

    /// Where `attribute`'s answer comes from (nil for a reserved attribute).
    public func source(of attribute: CudaDeviceAttribute) -> PropertySource? {
        answer(attribute).map { source(of: $0.field) }
    }

    /// Whether `attribute`'s answer is emulated (a reserved attribute has no answer to be).
    public func isEmulated(_ attribute: CudaDeviceAttribute) -> Bool {
        source(of: attribute) == .emulated
    }

    /// The field behind `attribute`, and its value as `cudaDeviceGetAttribute` gives it.
    func answer(_ attribute: CudaDeviceAttribute) -> (value: Int32, field: Field)? {
        func flag(_ value: Bool) -> Int32 { value ? 1 : 0 }
        func size(_ value: Int) -> Int32 { Int32(clamping: value) }
        switch attribute {
        case .maxThreadsPerBlock: return (maxThreadsPerBlock, .maxThreadsPerBlock)
        case .maxBlockDimX: return (maxThreadsDimensions[0], .maxThreadsDimensions)
        case .maxBlockDimY: return (maxThreadsDimensions[1], .maxThreadsDimensions)
        case .maxBlockDimZ: return (maxThreadsDimensions[2], .maxThreadsDimensions)
        case .maxGridDimX: return (maxGridSize[0], .maxGridSize)
        case .maxGridDimY: return (maxGridSize[1], .maxGridSize)
        case .maxGridDimZ: return (maxGridSize[2], .maxGridSize)
        case .maxSharedMemoryPerBlock: return (size(sharedMemoryPerBlock), .sharedMemoryPerBlock)
        case .totalConstantMemory: return (size(totalConstantMemory), .totalConstantMemory)
        case .warpSize: return (warpSize, .warpSize)
        case .maxPitch: return (size(memoryPitch), .memoryPitch)
        case .maxRegistersPerBlock: return (registersPerBlock, .registersPerBlock)
        case .clockRate: return (clockRate, .clockRate)
        case .textureAlignment: return (size(textureAlignment), .textureAlignment)
        case .gpuOverlap: return (flag(deviceOverlap), .deviceOverlap)
        case .multiProcessorCount: return (multiProcessorCount, .multiProcessorCount)
        case .kernelExecTimeout: return (flag(kernelExecTimeoutEnabled), .kernelExecTimeoutEnabled)
        case .integrated: return (flag(isIntegrated), .isIntegrated)
        case .canMapHostMemory: return (flag(canMapHostMemory), .canMapHostMemory)
        case .computeMode: return (computeMode, .computeMode)
        case .maxTexture1DWidth: return (maxTexture1D, .maxTexture1D)
        case .maxTexture2DWidth: return (maxTexture2D[0], .maxTexture2D)
        case .maxTexture2DHeight: return (maxTexture2D[1], .maxTexture2D)
        case .maxTexture3DWidth: return (maxTexture3D[0], .maxTexture3D)
        case .maxTexture3DHeight: return (maxTexture3D[1], .maxTexture3D)
        case .maxTexture3DDepth: return (maxTexture3D[2], .maxTexture3D)
        case .maxTexture2DLayeredWidth: return (maxTexture2DLayered[0], .maxTexture2DLayered)
        case .maxTexture2DLayeredHeight: return (maxTexture2DLayered[1], .maxTexture2DLayered)
        case .maxTexture2DLayeredLayers: return (maxTexture2DLayered[2], .maxTexture2DLayered)
        case .surfaceAlignment: return (size(surfaceAlignment), .surfaceAlignment)
        case .concurrentKernels: return (flag(concurrentKernels), .concurrentKernels)
        case .eccEnabled: return (flag(eccEnabled), .eccEnabled)
        case .pciBusId: return (pciBusID, .pciBusID)
        case .pciDeviceId: return (pciDeviceID, .pciDeviceID)
        case .tccDriver: return (flag(tccDriver), .tccDriver)
        case .memoryClockRate: return (memoryClockRate, .memoryClockRate)
        case .globalMemoryBusWidth: return (memoryBusWidth, .memoryBusWidth)
        case .l2CacheSize: return (l2CacheSize, .l2CacheSize)
        case .maxThreadsPerMultiProcessor: return (maxThreadsPerMultiProcessor, .maxThreadsPerMultiProcessor)
        case .asyncEngineCount: return (asyncEngineCount, .asyncEngineCount)
        case .unifiedAddressing: return (flag(unifiedAddressing), .unifiedAddressing)
        case .maxTexture1DLayeredWidth: return (maxTexture1DLayered[0], .maxTexture1DLayered)
        case .maxTexture1DLayeredLayers: return (maxTexture1DLayered[1], .maxTexture1DLayered)
        case .maxTexture2DGatherWidth: return (maxTexture2DGather[0], .maxTexture2DGather)
        case .maxTexture2DGatherHeight: return (maxTexture2DGather[1], .maxTexture2DGather)
        case .maxTexture3DWidthAlt: return (maxTexture3DAlternate[0], .maxTexture3DAlternate)
        case .maxTexture3DHeightAlt: return (maxTexture3DAlternate[1], .maxTexture3DAlternate)
        case .maxTexture3DDepthAlt: return (maxTexture3DAlternate[2], .maxTexture3DAlternate)
        case .pciDomainId: return (pciDomainID, .pciDomainID)
        case .texturePitchAlignment: return (size(texturePitchAlignment), .texturePitchAlignment)
        case .maxTextureCubemapWidth: return (maxTextureCubemap, .maxTextureCubemap)
        case .maxTextureCubemapLayeredWidth: return (maxTextureCubemapLayered[0], .maxTextureCubemapLayered)
        case .maxTextureCubemapLayeredLayers: return (maxTextureCubemapLayered[1], .maxTextureCubemapLayered)
        case .maxSurface1DWidth: return (maxSurface1D, .maxSurface1D)
        case .maxSurface2DWidth: return (maxSurface2D[0], .maxSurface2D)
        case .maxSurface2DHeight: return (maxSurface2D[1], .maxSurface2D)
        case .maxSurface3DWidth: return (maxSurface3D[0], .maxSurface3D)
        case .maxSurface3DHeight: return (maxSurface3D[1], .maxSurface3D)
        case .maxSurface3DDepth: return (maxSurface3D[2], .maxSurface3D)
        case .maxSurface1DLayeredWidth: return (maxSurface1DLayered[0], .maxSurface1DLayered)
        case .maxSurface1DLayeredLayers: return (maxSurface1DLayered[1], .maxSurface1DLayered)
        case .maxSurface2DLayeredWidth: return (maxSurface2DLayered[0], .maxSurface2DLayered)
        case .maxSurface2DLayeredHeight: return (maxSurface2DLayered[1], .maxSurface2DLayered)
        case .maxSurface2DLayeredLayers: return (maxSurface2DLayered[2], .maxSurface2DLayered)
        case .maxSurfaceCubemapWidth: return (maxSurfaceCubemap, .maxSurfaceCubemap)
        case .maxSurfaceCubemapLayeredWidth: return (maxSurfaceCubemapLayered[0], .maxSurfaceCubemapLayered)
        case .maxSurfaceCubemapLayeredLayers: return (maxSurfaceCubemapLayered[1], .maxSurfaceCubemapLayered)
        case .maxTexture1DLinearWidth: return (maxTexture1DLinear, .maxTexture1DLinear)
        case .maxTexture2DLinearWidth: return (maxTexture2DLinear[0], .maxTexture2DLinear)
        case .maxTexture2DLinearHeight: return (maxTexture2DLinear[1], .maxTexture2DLinear)
        case .maxTexture2DLinearPitch: return (maxTexture2DLinear[2], .maxTexture2DLinear)
        case .maxTexture2DMipmappedWidth: return (maxTexture2DMipmap[0], .maxTexture2DMipmap)
        case .maxTexture2DMipmappedHeight: return (maxTexture2DMipmap[1], .maxTexture2DMipmap)
        case .computeCapabilityMajor: return (major, .major)
        case .computeCapabilityMinor: return (minor, .minor)
        case .maxTexture1DMipmappedWidth: return (maxTexture1DMipmap, .maxTexture1DMipmap)
        case .streamPrioritiesSupported: return (flag(streamPrioritiesSupported), .streamPrioritiesSupported)
        case .globalL1CacheSupported: return (flag(globalL1CacheSupported), .globalL1CacheSupported)
        case .localL1CacheSupported: return (flag(localL1CacheSupported), .localL1CacheSupported)
        case .maxSharedMemoryPerMultiprocessor: return (size(sharedMemoryPerMultiprocessor), .sharedMemoryPerMultiprocessor)
        case .maxRegistersPerMultiprocessor: return (registersPerMultiprocessor, .registersPerMultiprocessor)
        case .managedMemory: return (flag(managedMemory), .managedMemory)
        case .isMultiGpuBoard: return (flag(isMultiGpuBoard), .isMultiGpuBoard)
        case .multiGpuBoardGroupID: return (multiGpuBoardGroupID, .multiGpuBoardGroupID)
        case .hostNativeAtomicSupported: return (flag(hostNativeAtomicSupported), .hostNativeAtomicSupported)
        case .singleToDoublePrecisionPerfRatio:
            return (singleToDoublePrecisionPerformanceRatio, .singleToDoublePrecisionPerformanceRatio)
        case .pageableMemoryAccess: return (flag(pageableMemoryAccess), .pageableMemoryAccess)
        case .concurrentManagedAccess: return (flag(concurrentManagedAccess), .concurrentManagedAccess)
        case .computePreemptionSupported: return (flag(computePreemptionSupported), .computePreemptionSupported)
        case .canUseHostPointerForRegisteredMem:
            return (flag(canUseHostPointerForRegisteredMemory), .canUseHostPointerForRegisteredMemory)
        case .cooperativeLaunch: return (flag(cooperativeLaunch), .cooperativeLaunch)
        case .cooperativeMultiDeviceLaunch: return (flag(cooperativeMultiDeviceLaunch), .cooperativeMultiDeviceLaunch)
        case .maxSharedMemoryPerBlockOptin: return (size(sharedMemoryPerBlockOptIn), .sharedMemoryPerBlockOptIn)
        case .canFlushRemoteWrites: return (flag(canFlushRemoteWrites), .canFlushRemoteWrites)
        case .hostRegisterSupported: return (flag(hostRegisterSupported), .hostRegisterSupported)
        case .pageableMemoryAccessUsesHostPageTables:
            return (flag(pageableMemoryAccessUsesHostPageTables), .pageableMemoryAccessUsesHostPageTables)
        case .directManagedMemAccessFromHost:
            return (flag(directManagedMemoryAccessFromHost), .directManagedMemoryAccessFromHost)
        case .maxBlocksPerMultiprocessor: return (maxBlocksPerMultiProcessor, .maxBlocksPerMultiProcessor)
        case .maxPersistingL2CacheSize: return (persistingL2CacheMaxSize, .persistingL2CacheMaxSize)
        case .maxAccessPolicyWindowSize: return (accessPolicyMaxWindowSize, .accessPolicyMaxWindowSize)
        case .reservedSharedMemoryPerBlock: return (size(reservedSharedMemoryPerBlock), .reservedSharedMemoryPerBlock)
        case .sparseCudaArraySupported: return (flag(sparseCudaArraySupported), .sparseCudaArraySupported)
        case .hostRegisterReadOnlySupported: return (flag(hostRegisterReadOnlySupported), .hostRegisterReadOnlySupported)
        case .timelineSemaphoreInteropSupported:
            return (flag(timelineSemaphoreInteropSupported), .timelineSemaphoreInteropSupported)
        case .memoryPoolsSupported: return (flag(memoryPoolsSupported), .memoryPoolsSupported)
        case .gpuDirectRDMASupported: return (flag(gpuDirectRDMASupported), .gpuDirectRDMASupported)
        case .gpuDirectRDMAFlushWritesOptions:
            return (Int32(bitPattern: gpuDirectRDMAFlushWritesOptions), .gpuDirectRDMAFlushWritesOptions)
        case .gpuDirectRDMAWritesOrdering: return (gpuDirectRDMAWritesOrdering, .gpuDirectRDMAWritesOrdering)
        case .memoryPoolSupportedHandleTypes:
            return (Int32(bitPattern: memoryPoolSupportedHandleTypes), .memoryPoolSupportedHandleTypes)
        case .clusterLaunch: return (flag(clusterLaunch), .clusterLaunch)
        case .deferredMappingCudaArraySupported:
            return (flag(deferredMappingCudaArraySupported), .deferredMappingCudaArraySupported)
        case .ipcEventSupport: return (flag(ipcEventSupported), .ipcEventSupported)
        case .memSyncDomainCount: return (memorySyncDomainCount, .memorySyncDomainCount)
        case .numaConfig: return (numaConfig, .numaConfig)
        case .numaId: return (numaID, .numaID)
        case .mpsEnabled: return (flag(mpsEnabled), .mpsEnabled)
        case .hostNumaId: return (hostNumaID, .hostNumaID)
        case .d3d12CigSupported: return (flag(d3d12CigSupported), .d3d12CigSupported)
        case .vulkanCigSupported: return (flag(vulkanCigSupported), .vulkanCigSupported)
        case .gpuPciDeviceId: return (gpuPciDeviceID, .gpuPciDeviceID)
        case .gpuPciSubsystemId: return (gpuPciSubsystemID, .gpuPciSubsystemID)
        case .hostNumaMemoryPoolsSupported: return (flag(hostNumaMemoryPoolsSupported), .hostNumaMemoryPoolsSupported)
        case .hostNumaMultinodeIpcSupported:
            return (flag(hostNumaMultinodeIpcSupported), .hostNumaMultinodeIpcSupported)
        case .reserved92, .reserved93, .reserved94, .reserved122, .reserved123, .reserved124, .reserved127, .reserved128,
             .reserved129, .reserved132, .reserved141:
            return nil
        }
    }
}
