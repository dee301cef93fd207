/// The limits CUDA publishes per compute capability, reported where no backend reports a
/// limit of its own (and then marked emulated).
///
/// Sources: the CUDA C++ Programming Guide's "Technical Specifications per Compute
/// Capability" table, and NVIDIA's occupancy calculator `cuda_occupancy.h` (CUDA 12.9, in
/// `third_party/cuda/include`) for resident blocks and shared memory per multiprocessor.
/// Values that are facts of a product rather than of a capability (the float32 : float64
/// throughput ratio) are those of the reference part named in the row.
struct ComputeCapabilityLimits: Sendable, Hashable {
    let major: Int
    let minor: Int
    let maxThreadsPerMultiprocessor: Int32
    let maxBlocksPerMultiprocessor: Int32
    /// Shared memory per multiprocessor at the largest carve-out, in bytes.
    let sharedMemoryPerMultiprocessor: Int
    /// The most shared memory one block can opt in to (`cudaFuncSetAttribute`), in bytes.
    let sharedMemoryPerBlockOptIn: Int
    /// Shared memory the driver reserves per block (1 KiB from 8.0 on).
    let reservedSharedMemoryPerBlock: Int
    let registersPerBlock: Int32
    /// float32 : float64 throughput of the reference part.
    let singleToDoublePrecisionPerformanceRatio: Int32
    let referencePart: String

    // The same for every capability CUDA 12 supports.
    static let sharedMemoryPerBlock = 48 * 1024
    static let registersPerMultiprocessor: Int32 = 64 * 1024
    static let totalConstantMemory = 64 * 1024
    static let maxThreadsPerBlock: Int32 = 1024
    static let maxThreadsDimensions: [Int32] = [1024, 1024, 64]
    static let maxGridSize: [Int32] = [Int32.max, 65535, 65535]
    static let memoryPitch = Int(Int32.max)
    static let textureAlignment = 512
    static let texturePitchAlignment = 32
    static let surfaceAlignment = 512
    static let warpSize: Int32 = 32

    /// Memory synchronisation domains: 4 from 9.0 (Hopper) on, 1 before.
    var memorySyncDomainCount: Int32 { major >= 9 ? 4 : 1 }
    /// Compute preemption arrived with 6.0 (Pascal).
    var supportsComputePreemption: Bool { major >= 6 }

    private init(_ major: Int, _ minor: Int, threads: Int32, blocks: Int32, sharedKiB: Int, optInKiB: Int,
                 registersPerBlock: Int32 = 64 * 1024, ratio: Int32, _ referencePart: String) {
        self.major = major
        self.minor = minor
        maxThreadsPerMultiprocessor = threads
        maxBlocksPerMultiprocessor = blocks
        sharedMemoryPerMultiprocessor = sharedKiB * 1024
        sharedMemoryPerBlockOptIn = optInKiB * 1024
        reservedSharedMemoryPerBlock = major >= 8 ? 1024 : 0
        self.registersPerBlock = registersPerBlock
        singleToDoublePrecisionPerformanceRatio = ratio
        self.referencePart = referencePart
    }

    /// One row per capability CUDA 12 compiles for (3.x is gone; 10.x and 12.x as of 12.9).
    static let table: [ComputeCapabilityLimits] = [
        .init(5, 0, threads: 2048, blocks: 32, sharedKiB: 64, optInKiB: 48, ratio: 32, "GeForce GTX 750 Ti"),
        .init(5, 2, threads: 2048, blocks: 32, sharedKiB: 96, optInKiB: 48, ratio: 32, "GeForce GTX 980"),
        .init(5, 3, threads: 2048, blocks: 32, sharedKiB: 64, optInKiB: 48, registersPerBlock: 32 * 1024, ratio: 32, "Jetson TX1"),
        .init(6, 0, threads: 2048, blocks: 32, sharedKiB: 64, optInKiB: 48, ratio: 2, "Tesla P100"),
        .init(6, 1, threads: 2048, blocks: 32, sharedKiB: 96, optInKiB: 48, ratio: 32, "GeForce GTX 1080"),
        .init(6, 2, threads: 2048, blocks: 32, sharedKiB: 64, optInKiB: 48, registersPerBlock: 32 * 1024, ratio: 32, "Jetson TX2"),
        .init(7, 0, threads: 2048, blocks: 32, sharedKiB: 96, optInKiB: 96, ratio: 2, "Tesla V100"),
        .init(7, 2, threads: 2048, blocks: 32, sharedKiB: 96, optInKiB: 96, ratio: 32, "Jetson AGX Xavier"),
        .init(7, 5, threads: 1024, blocks: 16, sharedKiB: 64, optInKiB: 64, ratio: 32, "Tesla T4"),
        .init(8, 0, threads: 2048, blocks: 32, sharedKiB: 164, optInKiB: 163, ratio: 2, "A100"),
        .init(8, 6, threads: 1536, blocks: 16, sharedKiB: 100, optInKiB: 99, ratio: 64, "GeForce RTX 3090"),
        .init(8, 7, threads: 1536, blocks: 16, sharedKiB: 164, optInKiB: 163, ratio: 64, "Jetson AGX Orin"),
        .init(8, 9, threads: 1536, blocks: 24, sharedKiB: 100, optInKiB: 99, ratio: 64, "GeForce RTX 4090"),
        .init(9, 0, threads: 2048, blocks: 32, sharedKiB: 228, optInKiB: 227, ratio: 2, "H100"),
        .init(10, 0, threads: 2048, blocks: 32, sharedKiB: 228, optInKiB: 227, ratio: 2, "B200"),
        .init(12, 0, threads: 1536, blocks: 24, sharedKiB: 100, optInKiB: 99, ratio: 64, "GeForce RTX 5090"),
    ]
}
