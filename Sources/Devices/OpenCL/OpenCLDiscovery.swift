import COpenCL

/// Enumerates the OpenCL devices of every platform the ICD loader knows, and describes each
/// from its driver (`clGetDeviceInfo`).
///
/// A missing loader or a loader without platforms means no devices and a `note`, not an error.
public enum OpenCLDiscovery {
    /// The ICD loader opened by default: "libOpenCL.so.1".
    public static let defaultLibrary = DS_OPENCL_LIBRARY

    /// Every device of every platform, in platform order then device order.
    /// - Parameter library: the ICD loader to open; tests name one that does not exist.
    public static func discover(library: String = defaultLibrary) -> BackendDiscovery {
        discoverWithHandles(library: library).discovery
    }

    /// The discovery and, for each device it lists (same order), the driver's handles to
    /// compute on it; the API table is nil when the loader could not be used.
    static func discoverWithHandles(library: String = defaultLibrary) -> (discovery: BackendDiscovery, handles: [OpenCLDeviceHandle], api: OpenCLAPI?) {
        let start = ContinuousClock.now
        var found = enumerate(library: library)
        found.discovery.elapsedNanoseconds = nanoseconds(start.duration(to: .now))
        return found
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    private static func enumerate(library: String) -> (discovery: BackendDiscovery, handles: [OpenCLDeviceHandle], api: OpenCLAPI?) {
        let functions: ds_opencl_functions
        switch load(library) {
        case .success(let loaded): functions = loaded
        case .failure(let reason): return (BackendDiscovery(backend: .opencl, devices: [], note: "OpenCL unavailable: \(reason)"), [], nil)
        }
        guard let getPlatformIDs = functions.clGetPlatformIDs, let getPlatformInfo = functions.clGetPlatformInfo,
              let getDeviceIDs = functions.clGetDeviceIDs, let getDeviceInfo = functions.clGetDeviceInfo
        else { return (BackendDiscovery(backend: .opencl, devices: [], note: "OpenCL unavailable: \(library) lacks an entry point"), [], nil) }
        let api = OpenCLAPI(functions)
        let (discovery, handles) = enumerate(library: library, getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo)
        return (discovery, handles, api)
    }

    private static func enumerate(
        library: String, _ getPlatformIDs: cl_api_clGetPlatformIDs, _ getPlatformInfo: cl_api_clGetPlatformInfo,
        _ getDeviceIDs: cl_api_clGetDeviceIDs, _ getDeviceInfo: cl_api_clGetDeviceInfo
    ) -> (BackendDiscovery, [OpenCLDeviceHandle]) {
        var handles: [OpenCLDeviceHandle] = []

        var platformCount: cl_uint = 0
        let status = getPlatformIDs(0, nil, &platformCount)
        if status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && platformCount == 0) {
            return (BackendDiscovery(backend: .opencl, devices: [], note: "no OpenCL platform: \(library) found no installed driver (ICD)"), [])
        }
        guard status == CL_SUCCESS else {
            return (BackendDiscovery(backend: .opencl, devices: [], note: "clGetPlatformIDs failed: \(OpenCLQueryFailure.statusName(status))"), [])
        }
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        let listed = getPlatformIDs(platformCount, &platforms, &platformCount)
        guard listed == CL_SUCCESS else {
            return (BackendDiscovery(backend: .opencl, devices: [], note: "clGetPlatformIDs failed: \(OpenCLQueryFailure.statusName(listed))"), [])
        }

        var devices: [DeviceProperties] = []
        var notes: [String] = []
        for (platformIndex, platform) in platforms.prefix(Int(platformCount)).enumerated() {
            let platformInfo = OpenCLInfo { getPlatformInfo(platform, $0, $1, $2, $3) }
            let platformName = (try? platformInfo.string(CL_PLATFORM_NAME, "CL_PLATFORM_NAME")) ?? "platform \(platformIndex)"
            var deviceCount: cl_uint = 0
            let counted = getDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount)
            if counted == CL_DEVICE_NOT_FOUND || (counted == CL_SUCCESS && deviceCount == 0) {
                notes.append("\(platformName) has no devices")
                continue
            }
            var ids = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            let found = counted == CL_SUCCESS ? getDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &ids, &deviceCount) : counted
            guard found == CL_SUCCESS else {
                notes.append("\(platformName): clGetDeviceIDs failed: \(OpenCLQueryFailure.statusName(found))")
                continue
            }
            for (deviceIndex, device) in ids.prefix(Int(deviceCount)).enumerated() {
                let deviceInfo = OpenCLInfo { getDeviceInfo(device, $0, $1, $2, $3) }
                do {
                    let (properties, note) = try describe(deviceInfo, platformName: platformName)
                    devices.append(properties)
                    handles.append(OpenCLDeviceHandle(platform: platform, device: device, platformIndex: platformIndex))
                    if let note { notes.append("\(properties.name): \(note)") }
                } catch {
                    notes.append("\(platformName) device \(deviceIndex) skipped: \(error)")
                }
            }
        }
        return (BackendDiscovery(backend: .opencl, devices: devices, note: notes.isEmpty ? nil : notes.joined(separator: "; ")), handles)
    }

    private static func load(_ library: String) -> Result<ds_opencl_functions, LoadFailure> {
        if library == defaultLibrary {
            guard ds_opencl_load() == 0, let table = ds_opencl() else {
                return .failure(LoadFailure(reason: ds_opencl_error().map { String(cString: $0) } ?? "cannot open \(library)"))
            }
            return .success(table.pointee)
        }
        var functions = ds_opencl_functions()
        var error = [CChar](repeating: 0, count: 512)
        guard ds_opencl_load_library(library, &functions, &error, error.count) == 0 else {
            return .failure(LoadFailure(reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        return .success(functions)
    }

    /// One device's properties, and a note where a query it could do without failed.
    private static func describe(_ info: OpenCLInfo, platformName: String) throws(OpenCLQueryFailure) -> (DeviceProperties, String?) {
        let name = try info.string(CL_DEVICE_NAME, "CL_DEVICE_NAME")
        let vendor = try info.string(CL_DEVICE_VENDOR, "CL_DEVICE_VENDOR")
        let typeBits: cl_device_type = try info.integer(CL_DEVICE_TYPE, "CL_DEVICE_TYPE")
        let extensions = try info.string(CL_DEVICE_EXTENSIONS, "CL_DEVICE_EXTENSIONS").split(separator: " ").map(String.init)
        var note: String?

        let type: DeviceType
        if typeBits & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 {
            do {
                let unified: cl_bool = try info.integer(CL_DEVICE_HOST_UNIFIED_MEMORY, "CL_DEVICE_HOST_UNIFIED_MEMORY")
                type = unified == CL_TRUE ? .integratedGPU : .discreteGPU
            } catch {
                type = .discreteGPU
                note = "\(error); taken as a discrete GPU"
            }
        } else if typeBits & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 {
            type = .cpu
        } else if typeBits & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 {
            type = .accelerator
        } else {
            type = .other
        }

        let memory: cl_ulong = try info.integer(CL_DEVICE_GLOBAL_MEM_SIZE, "CL_DEVICE_GLOBAL_MEM_SIZE")
        let computeUnits: cl_uint = try info.integer(CL_DEVICE_MAX_COMPUTE_UNITS, "CL_DEVICE_MAX_COMPUTE_UNITS")
        let workGroupSize: Int = try info.integer(CL_DEVICE_MAX_WORK_GROUP_SIZE, "CL_DEVICE_MAX_WORK_GROUP_SIZE")
        let doubleConfig: cl_device_fp_config = try info.integer(CL_DEVICE_DOUBLE_FP_CONFIG, "CL_DEVICE_DOUBLE_FP_CONFIG")
        let clock: cl_uint? = try? info.integer(CL_DEVICE_MAX_CLOCK_FREQUENCY, "CL_DEVICE_MAX_CLOCK_FREQUENCY")
        let driverVersion = try info.string(CL_DRIVER_VERSION, "CL_DRIVER_VERSION")

        let properties = DeviceProperties(
            name: name, vendor: vendor, type: type, isSoftware: type == .cpu, memoryBytes: memory,
            computeUnits: Int(computeUnits), maxWorkGroupSize: workGroupSize,
            subgroupSizes: subgroupSizes(info, extensions: extensions),
            supportsFloat16: extensions.contains("cl_khr_fp16"), supportsFloat64: doubleConfig != 0,
            clockMHz: clock.flatMap { $0 > 0 ? Int($0) : nil },
            driverVersion: "\(platformName) \(driverVersion)")
        return (properties, note)
    }

    /// Core OpenCL reports subgroup sizes only per kernel; these vendor extensions report them
    /// per device. Empty where none applies (PoCL).
    private static func subgroupSizes(_ info: OpenCLInfo, extensions: [String]) -> [Int] {
        var sizes: [Int] = []
        if extensions.contains("cl_intel_required_subgroup_size") {
            sizes = (try? info.array(CL_DEVICE_SUB_GROUP_SIZES_INTEL, "CL_DEVICE_SUB_GROUP_SIZES_INTEL", of: Int.self)) ?? []
        } else if extensions.contains("cl_nv_device_attribute_query") {
            let warp: cl_uint? = try? info.integer(CL_DEVICE_WARP_SIZE_NV, "CL_DEVICE_WARP_SIZE_NV")
            sizes = warp.map { [Int($0)] } ?? []
        } else if extensions.contains("cl_amd_device_attribute_query") {
            let wavefront: cl_uint? = try? info.integer(CL_DEVICE_WAVEFRONT_WIDTH_AMD, "CL_DEVICE_WAVEFRONT_WIDTH_AMD")
            sizes = wavefront.map { [Int($0)] } ?? []
        }
        return Array(Set(sizes.filter { $0 > 0 })).sorted()
    }
}

/// Why the ICD loader could not be used.
private struct LoadFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// An info query (clGetDeviceInfo, clGetPlatformInfo) that failed.
private struct OpenCLQueryFailure: Error, CustomStringConvertible {
    let query: String
    let status: cl_int

    var description: String { "\(query) failed: \(Self.statusName(status))" }

    static func statusName(_ status: cl_int) -> String {
        "\(String(cString: ds_opencl_status_name(status))) (\(status))"
    }
}

/// Typed reads over one clGet*Info function bound to its object.
private struct OpenCLInfo {
    let query: (cl_uint, Int, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?) -> cl_int

    func integer<Value: FixedWidthInteger>(_ parameter: Int32, _ name: String) throws(OpenCLQueryFailure) -> Value {
        var value: Value = 0
        var written = 0
        let status = withUnsafeMutableBytes(of: &value) { query(cl_uint(parameter), $0.count, $0.baseAddress, &written) }
        guard status == CL_SUCCESS else { throw OpenCLQueryFailure(query: name, status: status) }
        guard written == MemoryLayout<Value>.size else { throw OpenCLQueryFailure(query: "\(name) (\(written) bytes)", status: CL_INVALID_VALUE) }
        return value
    }

    func array<Element: FixedWidthInteger>(_ parameter: Int32, _ name: String, of _: Element.Type) throws(OpenCLQueryFailure) -> [Element] {
        var bytes = 0
        var status = query(cl_uint(parameter), 0, nil, &bytes)
        guard status == CL_SUCCESS else { throw OpenCLQueryFailure(query: name, status: status) }
        var values = [Element](repeating: 0, count: bytes / MemoryLayout<Element>.stride)
        status = values.withUnsafeMutableBytes { query(cl_uint(parameter), $0.count, $0.baseAddress, nil) }
        guard status == CL_SUCCESS else { throw OpenCLQueryFailure(query: name, status: status) }
        return values
    }

    /// A string value, without the terminating NUL and surrounding whitespace.
    func string(_ parameter: Int32, _ name: String) throws(OpenCLQueryFailure) -> String {
        let bytes = try array(parameter, name, of: UInt8.self)
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
