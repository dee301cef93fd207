import COpenCL

/// Device memory of an OpenCL device: one `cl_mem`, released with the last reference (the
/// driver keeps it until commands that use it have finished).
public final class OpenCLBuffer: DeviceBuffer, @unchecked Sendable {
    // Sendable: the handle never changes; cl_mem objects are thread-safe.
    public let byteCount: Int
    let memory: OpaquePointer
    let owner: OpenCLDevice

    public var device: any ComputeDevice { owner }

    /// Allocates `byteCount` bytes (a zero-byte buffer holds one byte, as OpenCL has none).
    /// Throws `outOfMemory` for more than the device can allocate at once or when the driver
    /// runs out.
    init(device: OpenCLDevice, byteCount: Int) throws(DeviceError) {
        guard byteCount >= 0 else { throw .invalidArgument("a buffer cannot have \(byteCount) bytes") }
        let limits = device.limits
        guard UInt64(byteCount) <= limits.maxAllocationBytes, UInt64(byteCount) <= limits.globalMemoryBytes else {
            throw .outOfMemory(device: device.id, requestedBytes: byteCount, availableBytes: nil)
        }
        let context = try device.context.handle(for: device.id)
        var status: cl_int = CL_SUCCESS
        let memory = device.api.cl.clCreateBuffer!(context, cl_mem_flags(CL_MEM_READ_WRITE), max(byteCount, 1), nil, &status)
        guard let memory, status == CL_SUCCESS else {
            if OpenCLStatus.isOutOfMemory(status) {
                throw .outOfMemory(device: device.id, requestedBytes: byteCount, availableBytes: nil)
            }
            throw .driver(device: device.id, call: "clCreateBuffer", code: Int(status))
        }
        self.byteCount = byteCount
        self.memory = memory
        owner = device
    }

    deinit {
        _ = owner.api.cl.clReleaseMemObject!(memory)
    }
}
