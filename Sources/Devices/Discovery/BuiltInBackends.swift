/// The backends DeviceShim ships, in the order devices are listed: CPU, OpenCL, Vulkan.
enum BuiltInBackends {
    static let providers: [@Sendable () -> BackendInventory] = [
        cpu,
        { describedOnly(OpenCLDiscovery.discover()) },
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

    /// A backend whose devices are discovered and described but not yet computed on: the
    /// OpenCL and Vulkan kernels arrive with their own issue, and until then the redirector
    /// passes over these devices (saying why) to the next target of the policy.
    static func describedOnly(_ discovery: BackendDiscovery) -> BackendInventory {
        let why = "no \(discovery.backend) kernels yet"
        return BackendInventory(discovery: discovery, entries: discovery.devices.enumerated().map { index, properties in
            DeviceEntry(id: DeviceID(discovery.backend, index), properties: properties, compute: nil, whyNoCompute: why)
        })
    }
}
