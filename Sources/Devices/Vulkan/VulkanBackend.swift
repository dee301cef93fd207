import CVulkan

/// The Vulkan backend's inventory: discovery's description of every compute-capable
/// physical device, and a `VulkanDevice` for each that has what the shaders need (Vulkan
/// 1.2, buffer device addresses, timeline semaphores, 8- and 16-bit storage). A device
/// without them stays described, with the reason it does not compute.
public enum VulkanBackend {
    public static func inventory() -> BackendInventory {
        let discovery = VulkanDiscovery.discover()
        guard !discovery.devices.isEmpty else { return BackendInventory(discovery: discovery, entries: []) }
        let physical: [VkPhysicalDevice]
        let instanceProblem: String?
        switch VulkanInstance.shared {
        case let .success(instance):
            physical = instance.computePhysicalDevices()
            instanceProblem = nil
        case let .failure(error):
            physical = []
            instanceProblem = "\(error)"
        }
        let entries = discovery.devices.enumerated().map { index, properties in
            let id = DeviceID(.vulkan, index)
            guard case let .success(instance) = VulkanInstance.shared, index < physical.count else {
                return DeviceEntry(id: id, properties: properties, compute: nil,
                                   whyNoCompute: instanceProblem ?? "the device disappeared after discovery")
            }
            do throws(DeviceError) {
                let device = try VulkanDevice(id: id, properties: properties, instance: instance, physical: physical[index])
                return DeviceEntry(id: id, properties: properties, compute: device)
            } catch {
                return DeviceEntry(id: id, properties: properties, compute: nil, whyNoCompute: "\(error)")
            }
        }
        return BackendInventory(discovery: discovery, entries: entries)
    }

    /// The first Vulkan device that computes, from the shared registry (tests, benchmarks).
    public static var firstComputeDevice: VulkanDevice? {
        DeviceRegistry.shared.entries(of: .vulkan).lazy.compactMap { $0.compute as? VulkanDevice }.first
    }
}
