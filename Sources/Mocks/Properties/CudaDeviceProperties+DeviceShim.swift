extension CudaDeviceProperties {
    /// What DeviceShim itself provides, the same on every device except where a device on the
    /// host's CPU (`runsOnHost`) makes host memory device memory.
    ///
    /// - Unified addressing: device pointers are addresses no host allocation has, and the
    ///   pointer table tells every address's kind, as CUDA's UVA does.
    /// - Managed memory and `cudaHostRegister`: allocation kinds of the Memory part. On a
    ///   device on the host's CPU, mapped, registered and managed memory are reached at the
    ///   host's addresses, concurrently with the host; other devices say no to those.
    /// - Streams: each is its own in-order queue, so kernels and copies of different streams
    ///   overlap (two copy directions at once); streams take no priorities.
    /// - None of: textures and surfaces (all limits 0), cooperative and cluster launches,
    ///   memory pools (`cudaMallocAsync`), IPC, access policy windows (persisting L2), sparse
    ///   or deferred-mapping arrays, external semaphores, GPUDirect RDMA, NVIDIA MPS, graphics
    ///   interop, host NUMA pools. No run time limit on kernels; compute mode default; no TCC
    ///   driver; LUID zero (undefined outside Windows); the device's memory is no NUMA node.
    mutating func takeDeviceShimAnswers(runsOnHost: Bool) {
        unifiedAddressing = true
        managedMemory = true
        hostRegisterSupported = true
        deviceOverlap = true
        concurrentKernels = true
        asyncEngineCount = 2
        canMapHostMemory = runsOnHost
        canUseHostPointerForRegisteredMemory = runsOnHost
        concurrentManagedAccess = runsOnHost
        directManagedMemoryAccessFromHost = runsOnHost
        luid = [UInt8](repeating: 0, count: 8)
        numaID = -1
        maxTexture2D = [0, 0]
        maxTexture2DMipmap = [0, 0]
        maxTexture2DLinear = [0, 0, 0]
        maxTexture2DGather = [0, 0]
        maxTexture3D = [0, 0, 0]
        maxTexture3DAlternate = [0, 0, 0]
        maxTexture1DLayered = [0, 0]
        maxTexture2DLayered = [0, 0, 0]
        maxTextureCubemapLayered = [0, 0]
        maxSurface2D = [0, 0]
        maxSurface3D = [0, 0, 0]
        maxSurface1DLayered = [0, 0]
        maxSurface2DLayered = [0, 0, 0]
        maxSurfaceCubemapLayered = [0, 0]
        mark(.deviceShim, .unifiedAddressing, .managedMemory, .hostRegisterSupported, .deviceOverlap, .concurrentKernels,
             .asyncEngineCount, .canMapHostMemory, .canUseHostPointerForRegisteredMemory, .concurrentManagedAccess,
             .directManagedMemoryAccessFromHost, .luid, .luidDeviceNodeMask, .numaID, .numaConfig,
             .kernelExecTimeoutEnabled, .computeMode, .tccDriver, .streamPrioritiesSupported,
             .persistingL2CacheMaxSize, .accessPolicyMaxWindowSize, .pageableMemoryAccess,
             .pageableMemoryAccessUsesHostPageTables, .cooperativeLaunch, .cooperativeMultiDeviceLaunch,
             .clusterLaunch, .memoryPoolsSupported, .memoryPoolSupportedHandleTypes, .ipcEventSupported,
             .hostRegisterReadOnlySupported, .sparseCudaArraySupported, .deferredMappingCudaArraySupported,
             .timelineSemaphoreInteropSupported, .gpuDirectRDMASupported, .gpuDirectRDMAFlushWritesOptions,
             .gpuDirectRDMAWritesOrdering, .canFlushRemoteWrites, .unifiedFunctionPointers, .mpsEnabled,
             .d3d12CigSupported, .vulkanCigSupported, .hostNumaMemoryPoolsSupported, .hostNumaMultinodeIpcSupported,
             .maxTexture1D, .maxTexture1DMipmap, .maxTexture1DLinear, .maxTexture2D, .maxTexture2DMipmap,
             .maxTexture2DLinear, .maxTexture2DGather, .maxTexture3D, .maxTexture3DAlternate, .maxTextureCubemap,
             .maxTexture1DLayered, .maxTexture2DLayered, .maxTextureCubemapLayered, .maxSurface1D, .maxSurface2D,
             .maxSurface3D, .maxSurface1DLayered, .maxSurface2DLayered, .maxSurfaceCubemap,
             .maxSurfaceCubemapLayered)
    }
}
