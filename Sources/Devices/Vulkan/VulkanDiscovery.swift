import CVulkan

/// Enumerates the Vulkan physical devices that have a compute queue, and describes each from
/// its driver (vkGetPhysicalDeviceProperties2 / Features2 / MemoryProperties).
///
/// A missing loader or a loader without a driver means no devices and a `note`, not an error.
public enum VulkanDiscovery {
    /// The loader opened by default: "libvulkan.so.1".
    public static let defaultLibrary = DS_VULKAN_LIBRARY

    /// The lowest instance version discovery works with (subgroup properties are Vulkan 1.1).
    static let minimumAPIVersion = apiVersion(major: 1, minor: 1)

    /// Every compute-capable physical device, in the loader's order. The instance is created
    /// at the highest version the loader supports and destroyed before returning.
    /// - Parameter library: the loader to open; tests name one that does not exist.
    public static func discover(library: String = defaultLibrary) -> BackendDiscovery {
        let start = ContinuousClock.now
        var discovery = enumerate(library: library)
        let (seconds, attoseconds) = start.duration(to: .now).components
        discovery.elapsedNanoseconds = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        return discovery
    }

    private static func enumerate(library: String) -> BackendDiscovery {
        func none(_ note: String) -> BackendDiscovery { BackendDiscovery(backend: .vulkan, devices: [], note: note) }

        var functions: ds_vulkan_functions
        if library == defaultLibrary {
            guard ds_vulkan_load() == 0, let table = ds_vulkan() else {
                return none("Vulkan unavailable: " + (ds_vulkan_error().map { String(cString: $0) } ?? "cannot open \(library)"))
            }
            functions = table.pointee
        } else {
            functions = ds_vulkan_functions()
            var error = [CChar](repeating: 0, count: 512)
            guard ds_vulkan_load_library(library, &functions, &error, error.count) == 0 else {
                return none("Vulkan unavailable: " + String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }

        let loaderVersion = ds_vulkan_instance_version(&functions)
        guard loaderVersion >= minimumAPIVersion else {
            return none("Vulkan loader \(library) supports only \(versionString(loaderVersion)); DeviceShim needs 1.1")
        }
        let requested = apiVersion(major: (loaderVersion >> 22) & 0x7F, minor: (loaderVersion >> 12) & 0x3FF)
        var instance = ds_vulkan_instance()
        let created = ds_vulkan_create_instance(&functions, requested, "DeviceShim", &instance)
        defer { ds_vulkan_destroy_instance(&instance) }
        if created == VK_ERROR_INCOMPATIBLE_DRIVER {
            return none("no Vulkan driver: vkCreateInstance returned VK_ERROR_INCOMPATIBLE_DRIVER (no ICD installed for Vulkan \(versionString(requested)))")
        }
        if let missing = instance.missing_entry_point {
            return none("Vulkan unavailable: \(library) has no \(String(cString: missing))")
        }
        guard created == VK_SUCCESS, let enumeratePhysicalDevices = instance.vkEnumeratePhysicalDevices else {
            return none("vkCreateInstance failed: \(resultName(created))")
        }

        var count: UInt32 = 0
        var result = enumeratePhysicalDevices(instance.instance, &count, nil)
        guard result == VK_SUCCESS else { return none("vkEnumeratePhysicalDevices failed: \(resultName(result))") }
        guard count > 0 else { return none("no Vulkan physical device: the installed drivers report none") }
        var handles = [VkPhysicalDevice?](repeating: nil, count: Int(count))
        result = enumeratePhysicalDevices(instance.instance, &count, &handles)
        guard result == VK_SUCCESS || result == VK_INCOMPLETE else {
            return none("vkEnumeratePhysicalDevices failed: \(resultName(result))")
        }

        var devices: [DeviceProperties] = []
        var notes: [String] = []
        for handle in handles.prefix(Int(count)) {
            var description = ds_vulkan_device_description()
            ds_vulkan_describe_device(&instance, handle, &description)
            let properties = describe(description)
            if description.compute_queue_family_count == 0 {
                notes.append("\(properties.name) skipped: none of its \(description.queue_family_count) queue families computes")
            } else {
                devices.append(properties)
            }
        }
        return BackendDiscovery(backend: .vulkan, devices: devices, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    private static func describe(_ description: ds_vulkan_device_description) -> DeviceProperties {
        let core = description.properties
        let type: DeviceType = switch core.deviceType {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: .discreteGPU
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: .integratedGPU
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: .virtualGPU
        case VK_PHYSICAL_DEVICE_TYPE_CPU: .cpu
        default: .other
        }
        let softwareDrivers: Set<UInt32> = [VK_DRIVER_ID_MESA_LLVMPIPE.rawValue, VK_DRIVER_ID_GOOGLE_SWIFTSHADER.rawValue]
        let softwareDriver = description.has_driver_properties != 0 && softwareDrivers.contains(description.driver_id.rawValue)

        var subgroupSizes: Set<Int> = []
        if description.subgroup_size > 0 { subgroupSizes.insert(Int(description.subgroup_size)) }
        // Subgroup size control: any power of two from the minimum to the maximum.
        if description.min_subgroup_size > 0, description.max_subgroup_size >= description.min_subgroup_size {
            var size = description.min_subgroup_size
            while size <= description.max_subgroup_size {
                subgroupSizes.insert(Int(size))
                size *= 2
            }
        }

        let driverName = string(fromCharacters: description.driver_name)
        let driverInfo = string(fromCharacters: description.driver_info)
        let driverVersion = description.has_driver_properties != 0 && !driverName.isEmpty
            ? (driverInfo.isEmpty ? driverName : "\(driverName) \(driverInfo)")
            : decodedDriverVersion(core.driverVersion, vendorID: core.vendorID)

        return DeviceProperties(
            name: string(fromCharacters: core.deviceName), vendor: vendorName(core.vendorID), type: type,
            isSoftware: type == .cpu || softwareDriver, memoryBytes: description.device_local_bytes,
            computeUnits: description.compute_units > 0 ? Int(description.compute_units) : nil,
            maxWorkGroupSize: Int(core.limits.maxComputeWorkGroupInvocations),
            subgroupSizes: subgroupSizes.sorted(),
            supportsFloat16: description.shader_float16 != 0, supportsFloat64: description.shader_float64 != 0,
            clockMHz: nil, driverVersion: driverVersion)
    }

    /// The vendor a Vulkan vendorID names: a PCI vendor ID, or a Khronos ID for vendors
    /// without one (VkVendorId); otherwise the ID in hex.
    static func vendorName(_ vendorID: UInt32) -> String {
        switch vendorID {
        case 0x10DE: "NVIDIA"
        case 0x1002, 0x1022: "AMD"
        case 0x8086: "Intel"
        case 0x106B: "Apple"
        case 0x13B5: "ARM"
        case 0x5143: "Qualcomm"
        case 0x1010: "Imagination"
        case 0x14E4: "Broadcom"
        case 0x1414: "Microsoft"
        case 0x144D: "Samsung"
        case 0x10001: "Vivante"
        case 0x10002: "VeriSilicon"
        case 0x10004: "Codeplay"
        case 0x10005: "Mesa"
        case 0x10006: "PoCL"
        default: "0x" + String(vendorID, radix: 16, uppercase: true)
        }
    }

    /// VkPhysicalDeviceProperties.driverVersion, decoded the way its vendor packs it: NVIDIA
    /// uses 10.8.8.6 bits; others follow VK_MAKE_API_VERSION (7.10.12 bits after the variant).
    static func decodedDriverVersion(_ version: UInt32, vendorID: UInt32) -> String {
        if vendorID == 0x10DE {
            return "\(version >> 22).\((version >> 14) & 0xFF).\((version >> 6) & 0xFF).\(version & 0x3F)"
        }
        return versionString(version)
    }

    static func apiVersion(major: UInt32, minor: UInt32, patch: UInt32 = 0) -> UInt32 {
        (major << 22) | (minor << 12) | patch
    }

    static func versionString(_ version: UInt32) -> String {
        "\((version >> 22) & 0x7F).\((version >> 12) & 0x3FF).\(version & 0xFFF)"
    }

    private static func resultName(_ result: VkResult) -> String {
        "\(String(cString: ds_vulkan_result_name(result))) (\(result.rawValue))"
    }

    /// A NUL-terminated C character array, imported as a tuple, as a String.
    private static func string<Characters>(fromCharacters characters: Characters) -> String {
        withUnsafeBytes(of: characters) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
