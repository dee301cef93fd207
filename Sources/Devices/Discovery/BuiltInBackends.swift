/// The backends DeviceShim ships, in the order devices are listed: CPU, OpenCL, Vulkan.
enum BuiltInBackends {
    static let providers: [@Sendable () -> BackendInventory] = []
}
