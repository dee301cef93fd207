import Synchronization
@testable import DeviceShimDevices

/// A test-only device standing in for hardware this machine lacks (a discrete GPU, say). It
/// claims exactly the ops it is given; its memory and queues are not for computing.
final class StandInDevice: ComputeDevice {
    let id: DeviceID
    let properties: DeviceProperties
    let supported: Set<KernelOp>

    init(_ id: DeviceID, name: String, type: DeviceType, isSoftware: Bool = false, memory: UInt64 = 8 << 30,
         supported: Set<KernelOp> = [.binary(.add)]) {
        self.id = id
        self.supported = supported
        properties = DeviceProperties(
            name: name, vendor: "Test", type: type, isSoftware: isSoftware, memoryBytes: memory, computeUnits: nil,
            maxWorkGroupSize: 1024, subgroupSizes: [32], supportsFloat16: true, supportsFloat64: false, driverVersion: "test")
    }

    func supports(_ op: KernelOp, _ dtype: DType) -> Bool { dtype == .float32 && supported.contains(op) }
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer { throw .invalidArgument("stand-in devices hold no memory") }
    func makeQueue() throws(DeviceError) -> any DeviceQueue { throw .invalidArgument("stand-in devices run no queues") }
    var freeMemoryBytes: UInt64? { nil }
}

enum StandInBackends {
    /// One backend of stand-ins: `computing` devices compute, the others are only described.
    static func provider(_ backend: BackendKind, _ devices: [StandInDevice], computing: Bool = true,
                         note: String? = nil) -> @Sendable () -> BackendInventory {
        { BackendInventory(
            discovery: BackendDiscovery(backend: backend, devices: devices.map(\.properties), note: note),
            entries: devices.map { DeviceEntry(id: $0.id, properties: $0.properties, compute: computing ? $0 : nil,
                                                whyNoCompute: computing ? nil : "\(backend) compute is not built yet") })
        }
    }

    static let allOps: Set<KernelOp> = Set(BinaryOp.allCases.map(KernelOp.binary) + [.gemm])

    /// A CPU, a software OpenCL device that cannot compute, and two hardware Vulkan GPUs
    /// (integrated listed first, so ranking must pick the discrete one).
    static func machine(vulkanComputes: Bool = true) -> [@Sendable () -> BackendInventory] {
        [
            provider(.cpu, [StandInDevice(DeviceID(.cpu, 0), name: "Test CPU", type: .cpu, supported: allOps)]),
            provider(.opencl, [StandInDevice(DeviceID(.opencl, 0), name: "pocl-cpu", type: .cpu, isSoftware: true)], computing: false),
            provider(.vulkan, [
                StandInDevice(DeviceID(.vulkan, 0), name: "iGPU", type: .integratedGPU, memory: 2 << 30),
                StandInDevice(DeviceID(.vulkan, 1), name: "dGPU", type: .discreteGPU, memory: 16 << 30),
            ], computing: vulkanComputes),
        ]
    }
}
