import CBLAS

/// The machine's processor as a compute device (`cpu:0`): buffers are host memory, queues
/// run their work in order on a worker thread, kernels are Swift loops that LLVM vectorises
/// (split across cores when large), and GEMM is the BLAS library's: Intel oneMKL or OpenBLAS
/// (see `blas_loader.h` for which).
///
/// Every property is read from the OS: name and vendor from /proc/cpuinfo (`model name`,
/// `vendor_id`), memory from /proc/meminfo (`MemTotal`; free memory is `MemAvailable`),
/// compute units are the online cores, the clock is `cpu MHz`, subgroup sizes the widest
/// SIMD the CPU flags announce (in float32 lanes). `driverVersion` is the BLAS library's own
/// description (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64", or
/// "Intel(R) oneAPI Math Kernel Library Version 2025.2-Product Build ..."), or the kernel's
/// version when no BLAS can be loaded.
public final class CPUDevice: ComputeDevice {
    /// The CPU device, created at first use; the BLAS is loaded then (its description
    /// is the driver version).
    public static let shared = CPUDevice()

    public let id = DeviceID(.cpu, 0)
    public let properties: DeviceProperties
    /// Why GEMM is unsupported (no BLAS could be loaded), or nil when it is available.
    public let blasUnavailableReason: String?
    /// The BLAS library GEMM runs on: "mkl" (Intel oneMKL) or "openblas"; nil without one.
    public let blasLibrary: String?
    /// Freed large buffers kept for reuse (see `HostBufferCache`).
    let bufferCache: HostBufferCache

    private init() {
        let info = HostSystem.cpuInfo()
        let cores = HostSystem.onlineCores
        let blasProblem = CPUGemm.unavailableReason
        blasUnavailableReason = blasProblem
        let driverVersion: String
        if blasProblem == nil, let configuration = ds_blas_config() {
            driverVersion = String(cString: configuration).trimmingTrailingSpaces
        } else {
            driverVersion = HostSystem.kernelVersion
        }
        let memoryBytes = HostSystem.memoryField("MemTotal") ?? 0
        bufferCache = HostBufferCache(memoryBytes: memoryBytes)
        properties = DeviceProperties(
            name: info["model name"] ?? info["Processor"] ?? "unknown CPU",
            vendor: info["vendor_id"] ?? info["CPU implementer"] ?? "unknown",
            type: .cpu,
            isSoftware: false,
            memoryBytes: memoryBytes,
            computeUnits: cores,
            // A kernel runs on at most one thread per core.
            maxWorkGroupSize: cores,
            subgroupSizes: HostSystem.simdFloat32Lanes(flags: info["flags"] ?? info["Features"] ?? "").map { [$0] } ?? [],
            supportsFloat16: true,
            supportsFloat64: true,
            clockMHz: info["cpu MHz"].flatMap(Double.init).map { Int($0.rounded()) },
            driverVersion: driverVersion)
        blasLibrary = CPUGemm.library
        let note = ds_blas_note().map { ". " + String(cString: $0) } ?? ""
        RedirectionLog.shared.recordEvent(.debug, RedirectionRecord(
            api: "blas", resolved: "cpu:0",
            message: (blasProblem.map { "\($0); the CPU device has no gemm" } ?? "gemm by \(driverVersion)") + note))
    }

    /// The OS's available memory (MemAvailable) plus the blocks in the buffer cache: those are
    /// free for this device's next buffers, and an allocation that fails frees them before it
    /// retries, so `cudaMemGetInfo` in a preloaded program does not shrink as tensors come and go.
    public var freeMemoryBytes: UInt64? {
        HostSystem.memoryField("MemAvailable").map { $0 + UInt64(bufferCache.cachedBytes) }
    }

    /// Bytes of freed buffers the device keeps for reuse (reserved, not in use), at most an
    /// eighth of the machine's memory and 1 GiB.
    public var cachedBufferBytes: Int { bufferCache.cachedBytes }

    /// Gives the cached freed buffers back to the OS (`torch.cuda.empty_cache()`'s analogue).
    public func releaseCachedBuffers() { bufferCache.releaseAll() }

    /// The threads the BLAS library runs GEMM on (nil without one).
    public var blasThreadCount: Int? {
        blasUnavailableReason == nil ? Int(ds_blas_threads()) : nil
    }

    public func supports(_ op: KernelOp, _ dtype: DType) -> Bool {
        switch op {
        case let .unary(op): UnaryFunctions.supports(op, dtype)
        case let .binary(op): BinaryFunctions.supports(op, dtype)
        case let .reduce(op): ReductionFunctions.supports(op, dtype)
        case let .axis(op): AxisFunctions.supports(op, dtype)
        case .convert: true
        case .gemm: dtype.isFloatingPoint && blasUnavailableReason == nil
        case .select, .gather, .scatter, .argsort, .topk: true
        }
    }

    public func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer {
        try CPUBuffer(device: self, byteCount: byteCount)
    }

    public func makeQueue() throws(DeviceError) -> any DeviceQueue {
        CPUQueue(device: self)
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
