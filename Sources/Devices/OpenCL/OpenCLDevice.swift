import COpenCL

/// One OpenCL device (a GPU through its vendor's driver, or PoCL's CPU device) as a compute
/// device: `cl_mem` buffers, in-order profiling queues, and kernels in OpenCL C compiled at
/// the first use of each op family and cached on disk (`OpenCLProgramCache`).
public final class OpenCLDevice: ComputeDevice {
    public let id: DeviceID
    public let properties: DeviceProperties
    let api: OpenCLAPI
    let handle: OpenCLDeviceHandle
    let context: OpenCLContext
    /// What the kernels may use, read from the driver.
    let limits: OpenCLDeviceLimits
    /// Programs built (or loaded) so far, by name.
    let programs: OpenCLPrograms

    init(id: DeviceID, properties: DeviceProperties, handle: OpenCLDeviceHandle, context: OpenCLContext) {
        self.id = id
        self.properties = properties
        self.api = context.api
        self.handle = handle
        self.context = context
        limits = OpenCLDeviceLimits(OpenCLDeviceQuery(api: context.api, device: handle.device), properties: properties)
        programs = OpenCLPrograms(cache: OpenCLProgramCache(directory: OpenCLProgramCache.defaultDirectory()))
    }

    var deviceHandle: cl_device_id? { handle.device }

    public func supports(_ op: KernelOp, _ dtype: DType) -> Bool {
        OpenCLSupport.supports(op, dtype, hasFloat64: limits.hasFloat64)
    }

    public func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer {
        try OpenCLBuffer(device: self, byteCount: byteCount)
    }

    public func makeQueue() throws(DeviceError) -> any DeviceQueue {
        try OpenCLQueue(device: self)
    }

    /// Core OpenCL cannot say how much memory is free.
    public var freeMemoryBytes: UInt64? { nil }
}

/// The driver's limits the backend sizes buffers, work-groups and tiles by.
struct OpenCLDeviceLimits: Sendable {
    let hasFloat64: Bool
    let maxWorkGroupSize: Int
    let localMemoryBytes: Int
    let maxAllocationBytes: UInt64
    let globalMemoryBytes: UInt64
    let computeUnits: Int
    /// Whether float32 `/` and `sqrt` may be asked to round correctly (as the CPU's do).
    let correctlyRoundedDivideSqrt: Bool
    /// "name|driver version": what a compiled binary is only valid for.
    let binaryKey: String

    init(_ query: OpenCLDeviceQuery, properties: DeviceProperties) {
        let extensions = query.string(CL_DEVICE_EXTENSIONS).split(separator: " ")
        hasFloat64 = properties.supportsFloat64 && extensions.contains("cl_khr_fp64")
        maxWorkGroupSize = max(1, properties.maxWorkGroupSize)
        localMemoryBytes = Int(query.integer(CL_DEVICE_LOCAL_MEM_SIZE) as cl_ulong? ?? 16384)
        maxAllocationBytes = query.integer(CL_DEVICE_MAX_MEM_ALLOC_SIZE) ?? properties.memoryBytes
        globalMemoryBytes = properties.memoryBytes
        computeUnits = properties.computeUnits ?? 1
        let singleConfig: cl_device_fp_config = query.integer(CL_DEVICE_SINGLE_FP_CONFIG) ?? 0
        correctlyRoundedDivideSqrt = singleConfig & cl_device_fp_config(CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0
        binaryKey = "\(properties.name)|\(properties.driverVersion)|\(query.string(CL_DEVICE_VERSION))"
    }

    /// Work-items per group for element-wise kernels and reductions: a power of two.
    var elementwiseGroupSize: Int {
        var size = 1
        while size * 2 <= min(256, maxWorkGroupSize) { size *= 2 }
        return size
    }

    /// Options every program is built with.
    var buildOptions: String {
        correctlyRoundedDivideSqrt ? "-cl-fp32-correctly-rounded-divide-sqrt" : ""
    }
}
