import COpenCL

/// The ICD loader's function table, shared by every object of the OpenCL backend.
///
/// Sendable: the table is filled once when the loader is opened and only read afterwards.
final class OpenCLAPI: @unchecked Sendable {
    let cl: ds_opencl_functions

    init(_ functions: ds_opencl_functions) {
        cl = functions
    }
}

/// A platform and one of its devices, as the driver named them at discovery.
struct OpenCLDeviceHandle: @unchecked Sendable {
    // Sendable: driver handles are immutable identifiers, valid for the life of the process.
    let platform: cl_platform_id?
    let device: cl_device_id?
    /// The platform's position in the loader's list: devices of one platform share a context.
    let platformIndex: Int
}

/// A driver object (context, queue, event, program, kernel, memory) passed between threads.
/// OpenCL objects are thread-safe except `cl_kernel` arguments, which callers serialise.
struct OpenCLHandle: @unchecked Sendable {
    let raw: OpaquePointer
}

/// Status checks shared by the backend: a failed call becomes a `DeviceError`.
enum OpenCLStatus {
    /// The name of `status`, e.g. "CL_OUT_OF_RESOURCES (-5)".
    static func name(_ status: cl_int) -> String {
        "\(String(cString: ds_opencl_status_name(status))) (\(status))"
    }

    /// Throws `driver` unless `status` is CL_SUCCESS.
    static func check(_ status: cl_int, _ call: String, device: DeviceID) throws(DeviceError) {
        guard status == CL_SUCCESS else { throw .driver(device: device, call: call, code: Int(status)) }
    }

    /// Whether `status` says the device ran out of memory.
    static func isOutOfMemory(_ status: cl_int) -> Bool {
        status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES || status == CL_OUT_OF_HOST_MEMORY
            || status == CL_INVALID_BUFFER_SIZE
    }
}

/// Reads of `clGetDeviceInfo` the compute side needs beyond discovery.
struct OpenCLDeviceQuery {
    let api: OpenCLAPI
    let device: cl_device_id?

    func integer<Value: FixedWidthInteger>(_ parameter: Int32) -> Value? {
        var value: Value = 0
        var written = 0
        let status = withUnsafeMutableBytes(of: &value) {
            api.cl.clGetDeviceInfo(device, cl_device_info(parameter), $0.count, $0.baseAddress, &written)
        }
        return status == CL_SUCCESS && written == MemoryLayout<Value>.size ? value : nil
    }

    func string(_ parameter: Int32) -> String {
        var bytes = 0
        guard api.cl.clGetDeviceInfo(device, cl_device_info(parameter), 0, nil, &bytes) == CL_SUCCESS, bytes > 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: bytes)
        guard api.cl.clGetDeviceInfo(device, cl_device_info(parameter), bytes, &buffer, nil) == CL_SUCCESS else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
