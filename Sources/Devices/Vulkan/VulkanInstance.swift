import CVulkan

/// The process's one VkInstance for computing (discovery makes and destroys its own), created
/// at first use at the highest API version the loader offers, and never destroyed: devices
/// made from it live as long as the process.
final class VulkanInstance: @unchecked Sendable {
    // Sendable: every stored property is written once, in init.
    let raw: ds_vulkan_instance

    /// The shared instance, or why there is none (no loader, no driver, Vulkan below 1.2).
    static let shared: Result<VulkanInstance, DeviceError> = make()

    private init(raw: ds_vulkan_instance) { self.raw = raw }

    private static func make() -> Result<VulkanInstance, DeviceError> {
        func unavailable(_ reason: String) -> Result<VulkanInstance, DeviceError> {
            .failure(.noDevice(request: "vulkan", reason: reason))
        }
        guard ds_vulkan_load() == 0, let table = ds_vulkan() else {
            return unavailable(ds_vulkan_error().map { String(cString: $0) } ?? "cannot open \(DS_VULKAN_LIBRARY)")
        }
        var functions = table.pointee
        let version = ds_vulkan_instance_version(&functions)
        guard version >= VulkanDiscovery.apiVersion(major: 1, minor: 2) else {
            return unavailable("the Vulkan loader supports only \(VulkanDiscovery.versionString(version)); computing needs 1.2")
        }
        var instance = ds_vulkan_instance()
        let result = ds_vulkan_create_instance(&functions, version & ~0xFFF, "DeviceShim", &instance)
        guard result == VK_SUCCESS else {
            return unavailable("vkCreateInstance failed: \(String(cString: ds_vulkan_result_name(result)))")
        }
        return .success(VulkanInstance(raw: instance))
    }

    /// The physical devices that have a compute queue, in the loader's order (the order
    /// `VulkanDiscovery` numbers them in).
    func computePhysicalDevices() -> [VkPhysicalDevice] {
        var instance = raw
        guard let enumerate = instance.vkEnumeratePhysicalDevices else { return [] }
        var count: UInt32 = 0
        guard enumerate(instance.instance, &count, nil) == VK_SUCCESS, count > 0 else { return [] }
        var handles = [VkPhysicalDevice?](repeating: nil, count: Int(count))
        let result = enumerate(instance.instance, &count, &handles)
        guard result == VK_SUCCESS || result == VK_INCOMPLETE else { return [] }
        return handles.prefix(Int(count)).compactMap { handle in
            guard let handle else { return nil }
            var support = ds_vulkan_compute_support()
            ds_vulkan_query_compute_support(&instance, handle, &support)
            return support.queue_family == UInt32.max ? nil : handle
        }
    }
}
