// Generated from CUDA 12.9's driver_types.h (`enum cudaDeviceAttr`); the comments are the header's.

/// The device attributes of CUDA 12's `enum cudaDeviceAttr`, each with its CUDA value, for
/// `cudaDeviceGetAttribute`. `cudaDevAttrMax` (a count, not an attribute) has no case.
public enum CudaDeviceAttribute: Int32, Sendable, Hashable, CaseIterable {
    /// `cudaDevAttrMaxThreadsPerBlock`: Maximum number of threads per block.
    case maxThreadsPerBlock = 1
    /// `cudaDevAttrMaxBlockDimX`: Maximum block dimension X.
    case maxBlockDimX = 2
    /// `cudaDevAttrMaxBlockDimY`: Maximum block dimension Y.
    case maxBlockDimY = 3
    /// `cudaDevAttrMaxBlockDimZ`: Maximum block dimension Z.
    case maxBlockDimZ = 4
    /// `cudaDevAttrMaxGridDimX`: Maximum grid dimension X.
    case maxGridDimX = 5
    /// `cudaDevAttrMaxGridDimY`: Maximum grid dimension Y.
    case maxGridDimY = 6
    /// `cudaDevAttrMaxGridDimZ`: Maximum grid dimension Z.
    case maxGridDimZ = 7
    /// `cudaDevAttrMaxSharedMemoryPerBlock`: Maximum shared memory available per block in bytes.
    case maxSharedMemoryPerBlock = 8
    /// `cudaDevAttrTotalConstantMemory`: Memory available on device for __constant__ variables in a CUDA C
    /// kernel in bytes.
    case totalConstantMemory = 9
    /// `cudaDevAttrWarpSize`: Warp size in threads.
    case warpSize = 10
    /// `cudaDevAttrMaxPitch`: Maximum pitch in bytes allowed by memory copies.
    case maxPitch = 11
    /// `cudaDevAttrMaxRegistersPerBlock`: Maximum number of 32-bit registers available per block.
    case maxRegistersPerBlock = 12
    /// `cudaDevAttrClockRate`: Peak clock frequency in kilohertz.
    case clockRate = 13
    /// `cudaDevAttrTextureAlignment`: Alignment requirement for textures.
    case textureAlignment = 14
    /// `cudaDevAttrGpuOverlap`: Device can possibly copy memory and execute a kernel concurrently.
    case gpuOverlap = 15
    /// `cudaDevAttrMultiProcessorCount`: Number of multiprocessors on device.
    case multiProcessorCount = 16
    /// `cudaDevAttrKernelExecTimeout`: Specifies whether there is a run time limit on kernels.
    case kernelExecTimeout = 17
    /// `cudaDevAttrIntegrated`: Device is integrated with host memory.
    case integrated = 18
    /// `cudaDevAttrCanMapHostMemory`: Device can map host memory into CUDA address space.
    case canMapHostMemory = 19
    /// `cudaDevAttrComputeMode`: Compute mode (See cudaComputeMode for details).
    case computeMode = 20
    /// `cudaDevAttrMaxTexture1DWidth`: Maximum 1D texture width.
    case maxTexture1DWidth = 21
    /// `cudaDevAttrMaxTexture2DWidth`: Maximum 2D texture width.
    case maxTexture2DWidth = 22
    /// `cudaDevAttrMaxTexture2DHeight`: Maximum 2D texture height.
    case maxTexture2DHeight = 23
    /// `cudaDevAttrMaxTexture3DWidth`: Maximum 3D texture width.
    case maxTexture3DWidth = 24
    /// `cudaDevAttrMaxTexture3DHeight`: Maximum 3D texture height.
    case maxTexture3DHeight = 25
    /// `cudaDevAttrMaxTexture3DDepth`: Maximum 3D texture depth.
    case maxTexture3DDepth = 26
    /// `cudaDevAttrMaxTexture2DLayeredWidth`: Maximum 2D layered texture width.
    case maxTexture2DLayeredWidth = 27
    /// `cudaDevAttrMaxTexture2DLayeredHeight`: Maximum 2D layered texture height.
    case maxTexture2DLayeredHeight = 28
    /// `cudaDevAttrMaxTexture2DLayeredLayers`: Maximum layers in a 2D layered texture.
    case maxTexture2DLayeredLayers = 29
    /// `cudaDevAttrSurfaceAlignment`: Alignment requirement for surfaces.
    case surfaceAlignment = 30
    /// `cudaDevAttrConcurrentKernels`: Device can possibly execute multiple kernels concurrently.
    case concurrentKernels = 31
    /// `cudaDevAttrEccEnabled`: Device has ECC support enabled.
    case eccEnabled = 32
    /// `cudaDevAttrPciBusId`: PCI bus ID of the device.
    case pciBusId = 33
    /// `cudaDevAttrPciDeviceId`: PCI device ID of the device.
    case pciDeviceId = 34
    /// `cudaDevAttrTccDriver`: Device is using TCC driver model.
    case tccDriver = 35
    /// `cudaDevAttrMemoryClockRate`: Peak memory clock frequency in kilohertz.
    case memoryClockRate = 36
    /// `cudaDevAttrGlobalMemoryBusWidth`: Global memory bus width in bits.
    case globalMemoryBusWidth = 37
    /// `cudaDevAttrL2CacheSize`: Size of L2 cache in bytes.
    case l2CacheSize = 38
    /// `cudaDevAttrMaxThreadsPerMultiProcessor`: Maximum resident threads per multiprocessor.
    case maxThreadsPerMultiProcessor = 39
    /// `cudaDevAttrAsyncEngineCount`: Number of asynchronous engines.
    case asyncEngineCount = 40
    /// `cudaDevAttrUnifiedAddressing`: Device shares a unified address space with the host.
    case unifiedAddressing = 41
    /// `cudaDevAttrMaxTexture1DLayeredWidth`: Maximum 1D layered texture width.
    case maxTexture1DLayeredWidth = 42
    /// `cudaDevAttrMaxTexture1DLayeredLayers`: Maximum layers in a 1D layered texture.
    case maxTexture1DLayeredLayers = 43
    /// `cudaDevAttrMaxTexture2DGatherWidth`: Maximum 2D texture width if cudaArrayTextureGather is set.
    case maxTexture2DGatherWidth = 45
    /// `cudaDevAttrMaxTexture2DGatherHeight`: Maximum 2D texture height if cudaArrayTextureGather is set.
    case maxTexture2DGatherHeight = 46
    /// `cudaDevAttrMaxTexture3DWidthAlt`: Alternate maximum 3D texture width.
    case maxTexture3DWidthAlt = 47
    /// `cudaDevAttrMaxTexture3DHeightAlt`: Alternate maximum 3D texture height.
    case maxTexture3DHeightAlt = 48
    /// `cudaDevAttrMaxTexture3DDepthAlt`: Alternate maximum 3D texture depth.
    case maxTexture3DDepthAlt = 49
    /// `cudaDevAttrPciDomainId`: PCI domain ID of the device.
    case pciDomainId = 50
    /// `cudaDevAttrTexturePitchAlignment`: Pitch alignment requirement for textures.
    case texturePitchAlignment = 51
    /// `cudaDevAttrMaxTextureCubemapWidth`: Maximum cubemap texture width/height.
    case maxTextureCubemapWidth = 52
    /// `cudaDevAttrMaxTextureCubemapLayeredWidth`: Maximum cubemap layered texture width/height.
    case maxTextureCubemapLayeredWidth = 53
    /// `cudaDevAttrMaxTextureCubemapLayeredLayers`: Maximum layers in a cubemap layered texture.
    case maxTextureCubemapLayeredLayers = 54
    /// `cudaDevAttrMaxSurface1DWidth`: Maximum 1D surface width.
    case maxSurface1DWidth = 55
    /// `cudaDevAttrMaxSurface2DWidth`: Maximum 2D surface width.
    case maxSurface2DWidth = 56
    /// `cudaDevAttrMaxSurface2DHeight`: Maximum 2D surface height.
    case maxSurface2DHeight = 57
    /// `cudaDevAttrMaxSurface3DWidth`: Maximum 3D surface width.
    case maxSurface3DWidth = 58
    /// `cudaDevAttrMaxSurface3DHeight`: Maximum 3D surface height.
    case maxSurface3DHeight = 59
    /// `cudaDevAttrMaxSurface3DDepth`: Maximum 3D surface depth.
    case maxSurface3DDepth = 60
    /// `cudaDevAttrMaxSurface1DLayeredWidth`: Maximum 1D layered surface width.
    case maxSurface1DLayeredWidth = 61
    /// `cudaDevAttrMaxSurface1DLayeredLayers`: Maximum layers in a 1D layered surface.
    case maxSurface1DLayeredLayers = 62
    /// `cudaDevAttrMaxSurface2DLayeredWidth`: Maximum 2D layered surface width.
    case maxSurface2DLayeredWidth = 63
    /// `cudaDevAttrMaxSurface2DLayeredHeight`: Maximum 2D layered surface height.
    case maxSurface2DLayeredHeight = 64
    /// `cudaDevAttrMaxSurface2DLayeredLayers`: Maximum layers in a 2D layered surface.
    case maxSurface2DLayeredLayers = 65
    /// `cudaDevAttrMaxSurfaceCubemapWidth`: Maximum cubemap surface width.
    case maxSurfaceCubemapWidth = 66
    /// `cudaDevAttrMaxSurfaceCubemapLayeredWidth`: Maximum cubemap layered surface width.
    case maxSurfaceCubemapLayeredWidth = 67
    /// `cudaDevAttrMaxSurfaceCubemapLayeredLayers`: Maximum layers in a cubemap layered surface.
    case maxSurfaceCubemapLayeredLayers = 68
    /// `cudaDevAttrMaxTexture1DLinearWidth`: Maximum 1D linear texture width.
    case maxTexture1DLinearWidth = 69
    /// `cudaDevAttrMaxTexture2DLinearWidth`: Maximum 2D linear texture width.
    case maxTexture2DLinearWidth = 70
    /// `cudaDevAttrMaxTexture2DLinearHeight`: Maximum 2D linear texture height.
    case maxTexture2DLinearHeight = 71
    /// `cudaDevAttrMaxTexture2DLinearPitch`: Maximum 2D linear texture pitch in bytes.
    case maxTexture2DLinearPitch = 72
    /// `cudaDevAttrMaxTexture2DMipmappedWidth`: Maximum mipmapped 2D texture width.
    case maxTexture2DMipmappedWidth = 73
    /// `cudaDevAttrMaxTexture2DMipmappedHeight`: Maximum mipmapped 2D texture height.
    case maxTexture2DMipmappedHeight = 74
    /// `cudaDevAttrComputeCapabilityMajor`: Major compute capability version number.
    case computeCapabilityMajor = 75
    /// `cudaDevAttrComputeCapabilityMinor`: Minor compute capability version number.
    case computeCapabilityMinor = 76
    /// `cudaDevAttrMaxTexture1DMipmappedWidth`: Maximum mipmapped 1D texture width.
    case maxTexture1DMipmappedWidth = 77
    /// `cudaDevAttrStreamPrioritiesSupported`: Device supports stream priorities.
    case streamPrioritiesSupported = 78
    /// `cudaDevAttrGlobalL1CacheSupported`: Device supports caching globals in L1.
    case globalL1CacheSupported = 79
    /// `cudaDevAttrLocalL1CacheSupported`: Device supports caching locals in L1.
    case localL1CacheSupported = 80
    /// `cudaDevAttrMaxSharedMemoryPerMultiprocessor`: Maximum shared memory available per multiprocessor in
    /// bytes.
    case maxSharedMemoryPerMultiprocessor = 81
    /// `cudaDevAttrMaxRegistersPerMultiprocessor`: Maximum number of 32-bit registers available per
    /// multiprocessor.
    case maxRegistersPerMultiprocessor = 82
    /// `cudaDevAttrManagedMemory`: Device can allocate managed memory on this system.
    case managedMemory = 83
    /// `cudaDevAttrIsMultiGpuBoard`: Device is on a multi-GPU board.
    case isMultiGpuBoard = 84
    /// `cudaDevAttrMultiGpuBoardGroupID`: Unique identifier for a group of devices on the same multi-GPU board.
    case multiGpuBoardGroupID = 85
    /// `cudaDevAttrHostNativeAtomicSupported`: Link between the device and the host supports native atomic
    /// operations.
    case hostNativeAtomicSupported = 86
    /// `cudaDevAttrSingleToDoublePrecisionPerfRatio`: Ratio of single precision performance (in floating-point
    /// operations per second) to double precision performance.
    case singleToDoublePrecisionPerfRatio = 87
    /// `cudaDevAttrPageableMemoryAccess`: Device supports coherently accessing pageable memory without calling
    /// cudaHostRegister on it.
    case pageableMemoryAccess = 88
    /// `cudaDevAttrConcurrentManagedAccess`: Device can coherently access managed memory concurrently with the
    /// CPU.
    case concurrentManagedAccess = 89
    /// `cudaDevAttrComputePreemptionSupported`: Device supports Compute Preemption.
    case computePreemptionSupported = 90
    /// `cudaDevAttrCanUseHostPointerForRegisteredMem`: Device can access host registered memory at the same
    /// virtual address as the CPU.
    case canUseHostPointerForRegisteredMem = 91
    /// `cudaDevAttrReserved92`: Reserved by CUDA; DeviceShim has no answer.
    case reserved92 = 92
    /// `cudaDevAttrReserved93`: Reserved by CUDA; DeviceShim has no answer.
    case reserved93 = 93
    /// `cudaDevAttrReserved94`: Reserved by CUDA; DeviceShim has no answer.
    case reserved94 = 94
    /// `cudaDevAttrCooperativeLaunch`: Device supports launching cooperative kernels via
    /// cudaLaunchCooperativeKernel.
    case cooperativeLaunch = 95
    /// `cudaDevAttrCooperativeMultiDeviceLaunch`: Deprecated, cudaLaunchCooperativeKernelMultiDevice is
    /// deprecated.
    case cooperativeMultiDeviceLaunch = 96
    /// `cudaDevAttrMaxSharedMemoryPerBlockOptin`: The maximum optin shared memory per block. This value may
    /// vary by chip. See cudaFuncSetAttribute.
    case maxSharedMemoryPerBlockOptin = 97
    /// `cudaDevAttrCanFlushRemoteWrites`: Device supports flushing of outstanding remote writes.
    case canFlushRemoteWrites = 98
    /// `cudaDevAttrHostRegisterSupported`: Device supports host memory registration via cudaHostRegister.
    case hostRegisterSupported = 99
    /// `cudaDevAttrPageableMemoryAccessUsesHostPageTables`: Device accesses pageable memory via the host's page
    /// tables.
    case pageableMemoryAccessUsesHostPageTables = 100
    /// `cudaDevAttrDirectManagedMemAccessFromHost`: Host can directly access managed memory on the device
    /// without migration.
    case directManagedMemAccessFromHost = 101
    /// `cudaDevAttrMaxBlocksPerMultiprocessor`: Maximum number of blocks per multiprocessor.
    case maxBlocksPerMultiprocessor = 106
    /// `cudaDevAttrMaxPersistingL2CacheSize`: Maximum L2 persisting lines capacity setting in bytes.
    case maxPersistingL2CacheSize = 108
    /// `cudaDevAttrMaxAccessPolicyWindowSize`: Maximum value of cudaAccessPolicyWindownum_bytes.
    case maxAccessPolicyWindowSize = 109
    /// `cudaDevAttrReservedSharedMemoryPerBlock`: Shared memory reserved by CUDA driver per block in bytes.
    case reservedSharedMemoryPerBlock = 111
    /// `cudaDevAttrSparseCudaArraySupported`: Device supports sparse CUDA arrays and sparse CUDA mipmapped
    /// arrays.
    case sparseCudaArraySupported = 112
    /// `cudaDevAttrHostRegisterReadOnlySupported`: Device supports using the cudaHostRegister flag
    /// cudaHostRegisterReadOnly to register memory that must be mapped as read-only to the GPU.
    case hostRegisterReadOnlySupported = 113
    /// `cudaDevAttrTimelineSemaphoreInteropSupported`: External timeline semaphore interop is supported on the
    /// device.
    case timelineSemaphoreInteropSupported = 114
    /// `cudaDevAttrMemoryPoolsSupported`: Device supports using the cudaMallocAsync and cudaMemPool family of
    /// APIs.
    case memoryPoolsSupported = 115
    /// `cudaDevAttrGPUDirectRDMASupported`: Device supports GPUDirect RDMA APIs, like nvidia_p2p_get_pages (see
    /// https://docs.nvidia.com/cuda/gpudirect-rdma for more information).
    case gpuDirectRDMASupported = 116
    /// `cudaDevAttrGPUDirectRDMAFlushWritesOptions`: The returned attribute shall be interpreted as a bitmask,
    /// where the individual bits are listed in the cudaFlushGPUDirectRDMAWritesOptions enum.
    case gpuDirectRDMAFlushWritesOptions = 117
    /// `cudaDevAttrGPUDirectRDMAWritesOrdering`: GPUDirect RDMA writes to the device do not need to be flushed
    /// for consumers within the scope indicated by the returned attribute. See cudaGPUDirectRDMAWritesOrdering
    /// for the numerical values returned here.
    case gpuDirectRDMAWritesOrdering = 118
    /// `cudaDevAttrMemoryPoolSupportedHandleTypes`: Handle types supported with mempool based IPC.
    case memoryPoolSupportedHandleTypes = 119
    /// `cudaDevAttrClusterLaunch`: Indicates device supports cluster launch.
    case clusterLaunch = 120
    /// `cudaDevAttrDeferredMappingCudaArraySupported`: Device supports deferred mapping CUDA arrays and CUDA
    /// mipmapped arrays.
    case deferredMappingCudaArraySupported = 121
    /// `cudaDevAttrReserved122`: Reserved by CUDA; DeviceShim has no answer.
    case reserved122 = 122
    /// `cudaDevAttrReserved123`: Reserved by CUDA; DeviceShim has no answer.
    case reserved123 = 123
    /// `cudaDevAttrReserved124`: Reserved by CUDA; DeviceShim has no answer.
    case reserved124 = 124
    /// `cudaDevAttrIpcEventSupport`: Device supports IPC Events.
    case ipcEventSupport = 125
    /// `cudaDevAttrMemSyncDomainCount`: Number of memory synchronization domains the device supports.
    case memSyncDomainCount = 126
    /// `cudaDevAttrReserved127`: Reserved by CUDA; DeviceShim has no answer.
    case reserved127 = 127
    /// `cudaDevAttrReserved128`: Reserved by CUDA; DeviceShim has no answer.
    case reserved128 = 128
    /// `cudaDevAttrReserved129`: Reserved by CUDA; DeviceShim has no answer.
    case reserved129 = 129
    /// `cudaDevAttrNumaConfig`: NUMA configuration of a device: value is of type cudaDeviceNumaConfig enum.
    case numaConfig = 130
    /// `cudaDevAttrNumaId`: NUMA node ID of the GPU memory.
    case numaId = 131
    /// `cudaDevAttrReserved132`: Reserved by CUDA; DeviceShim has no answer.
    case reserved132 = 132
    /// `cudaDevAttrMpsEnabled`: Contexts created on this device will be shared via MPS.
    case mpsEnabled = 133
    /// `cudaDevAttrHostNumaId`: NUMA ID of the host node closest to the device or -1 when system does not
    /// support NUMA.
    case hostNumaId = 134
    /// `cudaDevAttrD3D12CigSupported`: Device supports CIG with D3D12.
    case d3d12CigSupported = 135
    /// `cudaDevAttrVulkanCigSupported`: Device supports CIG with Vulkan.
    case vulkanCigSupported = 138
    /// `cudaDevAttrGpuPciDeviceId`: The combined 16-bit PCI device ID and 16-bit PCI vendor ID.
    case gpuPciDeviceId = 139
    /// `cudaDevAttrGpuPciSubsystemId`: The combined 16-bit PCI subsystem ID and 16-bit PCI subsystem vendor ID.
    case gpuPciSubsystemId = 140
    /// `cudaDevAttrReserved141`: Reserved by CUDA; DeviceShim has no answer.
    case reserved141 = 141
    /// `cudaDevAttrHostNumaMemoryPoolsSupported`: Device supports HOST_NUMA location with the cudaMallocAsync
    /// and cudaMemPool family of APIs.
    case hostNumaMemoryPoolsSupported = 142
    /// `cudaDevAttrHostNumaMultinodeIpcSupported`: Device supports HostNuma location IPC between nodes in a
    /// multi-node system.
    case hostNumaMultinodeIpcSupported = 143
}

extension CudaDeviceAttribute {
    /// `cudaDevAttrMaxTimelineSemaphoreInteropSupported` (114), the deprecated name of
    /// `timelineSemaphoreInteropSupported`.
    @available(*, deprecated, renamed: "timelineSemaphoreInteropSupported")
    public static let maxTimelineSemaphoreInteropSupported = CudaDeviceAttribute.timelineSemaphoreInteropSupported
}
