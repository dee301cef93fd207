/// The backends DeviceShim ships, in the order devices are listed: CPU, OpenCL, Vulkan.
enum BuiltInBackends {
    static let providers: [@Sendable () -> BackendInventory] = [
        cpu,
        { OpenCLBackend.inventory() },
        { VulkanBackend.inventory() },
    ]

    /// The native CPU backend: always present, described from /proc.
    static func cpu() -> BackendInventory {
        let start = MonotonicClock.now()
        let device = CPUDevice.shared
        let discovery = BackendDiscovery(backend: .cpu, devices: [device.properties], note: device.blasUnavailableReason,
                                         elapsedNanoseconds: MonotonicClock.now() - start)
        return BackendInventory(discovery: discovery, entries: [DeviceEntry(id: device.id, properties: device.properties, compute: device)])
    }
}
