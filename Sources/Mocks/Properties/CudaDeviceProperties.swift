/// Everything CUDA 12's `cudaDeviceProp` and `cudaDeviceGetAttribute` report about a device,
/// answered for the real device a `cuda:N` request resolved to.
///
/// Each value is read from the device (`PropertySource.device`), says what DeviceShim itself
/// provides (`.deviceShim`), or is emulated where the backend has no notion of it (`.emulated`:
/// the compute capability and its published limits, ECC, PCI location, …); `source(of:)` and
/// `emulatedFields` say which. Every field carries the meaning of the `cudaDeviceProp` field
/// named in its comment; `int` flags are `Bool`, `size_t` is `Int`, fixed arrays are arrays
/// of their C length. `cudaDeviceProp.reserved` is not represented (the C ABI zeroes it).
public struct CudaDeviceProperties: Sendable, Hashable {
    /// `name`: the device's name as its driver reports it (the C ABI truncates it to 255 bytes).
    public internal(set) var name = ""
    /// `uuid`: 16 bytes, derived from the device's backend, index and name (stable across runs).
    public internal(set) var uuid: [UInt8] = []
    /// `luid` (8 bytes) and `luidDeviceNodeMask`: undefined outside Windows; zero, as on Linux.
    public internal(set) var luid: [UInt8] = []
    public internal(set) var luidDeviceNodeMask: UInt32 = 0
    /// `totalGlobalMem`: the device's memory in bytes.
    public internal(set) var totalGlobalMemory = 0
    /// `sharedMemPerBlock`: shared memory available per block in bytes.
    public internal(set) var sharedMemoryPerBlock = 0
    /// `regsPerBlock`: 32-bit registers available per block.
    public internal(set) var registersPerBlock: Int32 = 0
    /// `warpSize`: the device's subgroup size where it has exactly one, else emulated.
    public internal(set) var warpSize: Int32 = 0
    /// `memPitch`: the largest pitch in bytes memory copies accept.
    public internal(set) var memoryPitch = 0
    /// `maxThreadsPerBlock`: the device's largest work group, at most CUDA's 1024.
    public internal(set) var maxThreadsPerBlock: Int32 = 0
    /// `maxThreadsDim`: the largest block in each of x, y, z.
    public internal(set) var maxThreadsDimensions: [Int32] = []
    /// `maxGridSize`: the largest grid in each of x, y, z.
    public internal(set) var maxGridSize: [Int32] = []
    /// `clockRate`: the clock in kHz.
    public internal(set) var clockRate: Int32 = 0
    /// `totalConstMem`: constant memory in bytes.
    public internal(set) var totalConstantMemory = 0
    /// `major`, `minor`: the compute capability (always emulated; `DEVICESHIM_CC`).
    public internal(set) var major: Int32 = 0
    public internal(set) var minor: Int32 = 0
    /// `textureAlignment`, `texturePitchAlignment`: alignment requirements in bytes.
    public internal(set) var textureAlignment = 0
    public internal(set) var texturePitchAlignment = 0
    /// `deviceOverlap`: the device can copy memory and run a kernel concurrently.
    public internal(set) var deviceOverlap = false
    /// `multiProcessorCount`: the device's compute units (SMs, CUs, cores).
    public internal(set) var multiProcessorCount: Int32 = 0
    /// `kernelExecTimeoutEnabled`: kernels have a run time limit.
    public internal(set) var kernelExecTimeoutEnabled = false
    /// `integrated`: the device's memory is the host's (an integrated GPU, or the CPU).
    public internal(set) var isIntegrated = false
    /// `canMapHostMemory`: host memory can be mapped into the device's address space.
    public internal(set) var canMapHostMemory = false
    /// `computeMode`: a `cudaComputeMode` (0 = default: any number of threads and processes).
    public internal(set) var computeMode: Int32 = 0
    /// `maxTexture*` and `maxSurface*`: texture and surface limits (1D width; 2D width, height;
    /// 3D width, height, depth; layered: dimensions then layers; 2D linear: width, height,
    /// pitch). DeviceShim has no textures or surfaces: all zero.
    public internal(set) var maxTexture1D: Int32 = 0
    public internal(set) var maxTexture1DMipmap: Int32 = 0
    public internal(set) var maxTexture1DLinear: Int32 = 0
    public internal(set) var maxTexture2D: [Int32] = []
    public internal(set) var maxTexture2DMipmap: [Int32] = []
    public internal(set) var maxTexture2DLinear: [Int32] = []
    public internal(set) var maxTexture2DGather: [Int32] = []
    public internal(set) var maxTexture3D: [Int32] = []
    /// `maxTexture3DAlt`.
    public internal(set) var maxTexture3DAlternate: [Int32] = []
    public internal(set) var maxTextureCubemap: Int32 = 0
    public internal(set) var maxTexture1DLayered: [Int32] = []
    public internal(set) var maxTexture2DLayered: [Int32] = []
    public internal(set) var maxTextureCubemapLayered: [Int32] = []
    public internal(set) var maxSurface1D: Int32 = 0
    public internal(set) var maxSurface2D: [Int32] = []
    public internal(set) var maxSurface3D: [Int32] = []
    public internal(set) var maxSurface1DLayered: [Int32] = []
    public internal(set) var maxSurface2DLayered: [Int32] = []
    public internal(set) var maxSurfaceCubemap: Int32 = 0
    public internal(set) var maxSurfaceCubemapLayered: [Int32] = []
    /// `surfaceAlignment`: alignment requirement for surfaces in bytes.
    public internal(set) var surfaceAlignment = 0
    /// `concurrentKernels`: kernels of different streams can run at the same time.
    public internal(set) var concurrentKernels = false
    /// `ECCEnabled`: the device's memory has ECC enabled.
    public internal(set) var eccEnabled = false
    /// `pciBusID`, `pciDeviceID`, `pciDomainID`: the device's PCI location.
    public internal(set) var pciBusID: Int32 = 0
    public internal(set) var pciDeviceID: Int32 = 0
    public internal(set) var pciDomainID: Int32 = 0
    /// `tccDriver`: a Windows TCC driver (never, on Linux).
    public internal(set) var tccDriver = false
    /// `asyncEngineCount`: engines that copy concurrently with kernels.
    public internal(set) var asyncEngineCount: Int32 = 0
    /// `unifiedAddressing`: device and host pointers share one address space.
    public internal(set) var unifiedAddressing = false
    /// `memoryClockRate` (kHz) and `memoryBusWidth` (bits): 0 where unknown.
    public internal(set) var memoryClockRate: Int32 = 0
    public internal(set) var memoryBusWidth: Int32 = 0
    /// `l2CacheSize`: the device's last-level cache in bytes, 0 where unknown.
    public internal(set) var l2CacheSize: Int32 = 0
    /// `persistingL2CacheMaxSize`: L2 that access policy windows can keep (none in DeviceShim).
    public internal(set) var persistingL2CacheMaxSize: Int32 = 0
    /// `maxThreadsPerMultiProcessor`: resident threads per multiprocessor.
    public internal(set) var maxThreadsPerMultiProcessor: Int32 = 0
    /// `streamPrioritiesSupported`: streams take priorities.
    public internal(set) var streamPrioritiesSupported = false
    /// `globalL1CacheSupported`, `localL1CacheSupported`: globals / locals are cached in L1.
    public internal(set) var globalL1CacheSupported = false
    public internal(set) var localL1CacheSupported = false
    /// `sharedMemPerMultiprocessor`: shared memory per multiprocessor in bytes.
    public internal(set) var sharedMemoryPerMultiprocessor = 0
    /// `regsPerMultiprocessor`: 32-bit registers per multiprocessor.
    public internal(set) var registersPerMultiprocessor: Int32 = 0
    /// `managedMemory`: `cudaMallocManaged` works.
    public internal(set) var managedMemory = false
    /// `isMultiGpuBoard`, `multiGpuBoardGroupID`: the device is on a board with others.
    public internal(set) var isMultiGpuBoard = false
    public internal(set) var multiGpuBoardGroupID: Int32 = 0
    /// `hostNativeAtomicSupported`: atomics between device and host are native.
    public internal(set) var hostNativeAtomicSupported = false
    /// `singleToDoublePrecisionPerfRatio`: float32 : float64 throughput.
    public internal(set) var singleToDoublePrecisionPerformanceRatio: Int32 = 0
    /// `pageableMemoryAccess`: the device reads pageable host memory without registration.
    public internal(set) var pageableMemoryAccess = false
    /// `concurrentManagedAccess`: device and host may touch managed memory at the same time.
    public internal(set) var concurrentManagedAccess = false
    /// `computePreemptionSupported`: running kernels can be preempted.
    public internal(set) var computePreemptionSupported = false
    /// `canUseHostPointerForRegisteredMem`: registered host memory has the same address on
    /// the device.
    public internal(set) var canUseHostPointerForRegisteredMemory = false
    /// `cooperativeLaunch`, `cooperativeMultiDeviceLaunch`: cooperative kernels launch.
    public internal(set) var cooperativeLaunch = false
    public internal(set) var cooperativeMultiDeviceLaunch = false
    /// `sharedMemPerBlockOptin`: the most shared memory a block can opt in to, in bytes.
    public internal(set) var sharedMemoryPerBlockOptIn = 0
    /// `pageableMemoryAccessUsesHostPageTables`: pageable memory is reached through the host's
    /// page tables.
    public internal(set) var pageableMemoryAccessUsesHostPageTables = false
    /// `directManagedMemAccessFromHost`: the host reaches managed memory without migration.
    public internal(set) var directManagedMemoryAccessFromHost = false
    /// `maxBlocksPerMultiProcessor`: resident blocks per multiprocessor.
    public internal(set) var maxBlocksPerMultiProcessor: Int32 = 0
    /// `accessPolicyMaxWindowSize`: the largest access policy window (none in DeviceShim).
    public internal(set) var accessPolicyMaxWindowSize: Int32 = 0
    /// `reservedSharedMemPerBlock`: shared memory the driver reserves per block in bytes.
    public internal(set) var reservedSharedMemoryPerBlock = 0
    /// `hostRegisterSupported`, `hostRegisterReadOnlySupported`: `cudaHostRegister` works (with
    /// `cudaHostRegisterReadOnly`).
    public internal(set) var hostRegisterSupported = false
    public internal(set) var hostRegisterReadOnlySupported = false
    /// `sparseCudaArraySupported`, `deferredMappingCudaArraySupported`: CUDA array features.
    public internal(set) var sparseCudaArraySupported = false
    public internal(set) var deferredMappingCudaArraySupported = false
    /// `timelineSemaphoreInteropSupported`: external timeline semaphores import.
    public internal(set) var timelineSemaphoreInteropSupported = false
    /// `memoryPoolsSupported`, `memoryPoolSupportedHandleTypes`: `cudaMallocAsync` and
    /// `cudaMemPool*` work; handle types (a bitmask) for their IPC.
    public internal(set) var memoryPoolsSupported = false
    public internal(set) var memoryPoolSupportedHandleTypes: UInt32 = 0
    /// `gpuDirectRDMASupported`, `gpuDirectRDMAFlushWritesOptions` (bitmask),
    /// `gpuDirectRDMAWritesOrdering` (a `cudaGPUDirectRDMAWritesOrdering`).
    public internal(set) var gpuDirectRDMASupported = false
    public internal(set) var gpuDirectRDMAFlushWritesOptions: UInt32 = 0
    public internal(set) var gpuDirectRDMAWritesOrdering: Int32 = 0
    /// `ipcEventSupported`: events can be shared between processes.
    public internal(set) var ipcEventSupported = false
    /// `clusterLaunch`: thread block clusters launch.
    public internal(set) var clusterLaunch = false
    /// `unifiedFunctionPointers`: function pointers are the same on host and device.
    public internal(set) var unifiedFunctionPointers = false

    // Attributes `cudaDeviceProp` has no field for.

    /// `cudaDevAttrCanFlushRemoteWrites`.
    public internal(set) var canFlushRemoteWrites = false
    /// `cudaDevAttrMemSyncDomainCount`: memory synchronisation domains.
    public internal(set) var memorySyncDomainCount: Int32 = 0
    /// `cudaDevAttrNumaConfig`: a `cudaDeviceNumaConfig` (0 = the device's memory is no NUMA node).
    public internal(set) var numaConfig: Int32 = 0
    /// `cudaDevAttrNumaId`: the NUMA node of the device's memory, -1 for none.
    public internal(set) var numaID: Int32 = 0
    /// `cudaDevAttrMpsEnabled`: contexts are shared through NVIDIA's Multi-Process Service.
    public internal(set) var mpsEnabled = false
    /// `cudaDevAttrHostNumaId`: the host NUMA node nearest the device, -1 for none.
    public internal(set) var hostNumaID: Int32 = 0
    /// `cudaDevAttrD3D12CigSupported`, `cudaDevAttrVulkanCigSupported`: CUDA in graphics.
    public internal(set) var d3d12CigSupported = false
    public internal(set) var vulkanCigSupported = false
    /// `cudaDevAttrGpuPciDeviceId`, `cudaDevAttrGpuPciSubsystemId`: PCI device and vendor IDs,
    /// subsystem and subsystem vendor IDs (16 bits each, combined).
    public internal(set) var gpuPciDeviceID: Int32 = 0
    public internal(set) var gpuPciSubsystemID: Int32 = 0
    /// `cudaDevAttrHostNumaMemoryPoolsSupported`, `cudaDevAttrHostNumaMultinodeIpcSupported`.
    public internal(set) var hostNumaMemoryPoolsSupported = false
    public internal(set) var hostNumaMultinodeIpcSupported = false

    /// Where each value comes from; every `Field` has an entry.
    public internal(set) var sources: [Field: PropertySource] = [:]

    /// Where `field`'s value comes from.
    public func source(of field: Field) -> PropertySource { sources[field] ?? .emulated }

    /// The fields whose values are emulated, in `Field` order (logs name them by `rawValue`).
    public var emulatedFields: [Field] { Field.allCases.filter { source(of: $0) == .emulated } }
}
