import Testing
@testable import DeviceShimMocks

/// The CPU device under another identity, so two `cuda:N` can be told apart by their device
/// while both compute for real.
final class RenamedCPUDevice: ComputeDevice {
    let id: DeviceID
    var properties: DeviceProperties {
        var gpu = CPUDevice.shared.properties
        gpu.type = .discreteGPU
        return gpu
    }
    var freeMemoryBytes: UInt64? { CPUDevice.shared.freeMemoryBytes }

    init(_ id: DeviceID) { self.id = id }

    func supports(_ op: KernelOp, _ dtype: DType) -> Bool { CPUDevice.shared.supports(op, dtype) }
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer { try CPUDevice.shared.allocate(byteCount: byteCount) }
    func makeQueue() throws(DeviceError) -> any DeviceQueue { try CPUDevice.shared.makeQueue() }
}

@Suite struct LegacyStreamCacheTests {
    let records = RecordBuffer()

    @Test func theKeptLegacyStreamFollowsARetiredDeviceToTheNextTarget() throws {
        let log = RedirectionLog(level: .debug, sinks: [records])
        // Ids no real device of this machine has: stream groups are kept per device id.
        let (lost, next) = (DeviceID(.vulkan, 90), DeviceID(.vulkan, 91))
        let devices = [RenamedCPUDevice(lost), RenamedCPUDevice(next)]
        let provider: @Sendable () -> BackendInventory = {
            BackendInventory(discovery: BackendDiscovery(backend: .vulkan, devices: devices.map(\.properties)),
                             entries: devices.map { DeviceEntry(id: $0.id, properties: $0.properties, compute: $0) })
        }
        let redirector = Redirector(policy: try RedirectPolicy(parsing: "cuda=vulkan:0,vulkan:1"),
                                    registry: DeviceRegistry(providers: [provider], log: log), log: log)
        let runtime = CudaRuntime(catalog: CudaDeviceCatalog(redirector: redirector, settings: EmulationSettings(), log: log),
                                  memory: DeviceMemory(), log: log)
        let site = CallSite.swift(fileID: "App/main.swift", line: 3, function: "main()")

        let first = try runtime.legacyDefaultStream(0, api: "cudaMemcpy", from: site)
        #expect(first.device.id == lost)
        #expect(try runtime.legacyDefaultStream(nil, api: "cudaMemcpy", from: site) === first, "kept, not resolved again")
        #expect(records.records.filter { $0.api == "cudaMemcpy" && $0.requested == "cuda:0" }.count == 1)

        redirector.retire(lost, because: .deviceLost(device: lost, reason: "test"), api: "test", from: site)
        let replacement = try runtime.legacyDefaultStream(0, api: "cudaMemcpy", from: site)
        #expect(replacement.device.id == next)
        #expect(records.records.last { $0.api == "cudaMemcpy" }?.resolved == "vulkan:91")
        #expect(throws: CudaError.invalidDevice) { try runtime.legacyDefaultStream(-1, api: "cudaMemcpy", from: site) }
    }
}
