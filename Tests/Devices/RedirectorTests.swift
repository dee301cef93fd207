import Testing
@testable import DeviceShimDevices

@Suite struct RedirectorTests {
    let records = RecordBuffer()

    func redirector(_ policy: String? = nil, visible: [Int]? = nil, machine: [@Sendable () -> BackendInventory] = StandInBackends.machine()) throws -> Redirector {
        let log = RedirectionLog(level: .debug, sinks: [records])
        return Redirector(policy: try policy.map { try RedirectPolicy(parsing: $0) } ?? .default,
                          registry: DeviceRegistry(providers: machine, log: log), visibleCudaDevices: visible, log: log)
    }

    @Test func defaultPolicyPrefersTheBestHardwareGPU() throws {
        let redirector = try redirector()
        #expect(try redirector.resolve(DeviceRequest(.cuda, index: 0)).entry.id == DeviceID(.vulkan, 1))
        #expect(try redirector.resolve(DeviceRequest(.cuda, index: 1)).entry.id == DeviceID(.vulkan, 0))
        #expect(try redirector.resolve(DeviceRequest(.mps)).entry.id == DeviceID(.vulkan, 1))
        #expect(try redirector.resolve(DeviceRequest(.gpu)).entry.id == DeviceID(.vulkan, 1))
        #expect(redirector.deviceCount(.cuda) == 2)
        #expect(throws: DeviceError.invalidDeviceIndex(request: "cuda:2", available: 2)) {
            try redirector.resolve(DeviceRequest(.cuda, index: 2))
        }
    }

    @Test func withoutHardwareGPUsTheCPUServesAndTheReasonSaysWhy() throws {
        let redirector = try redirector(machine: StandInBackends.machine(vulkanComputes: false))
        let resolution = try redirector.resolve(DeviceRequest(.cuda, index: 0))
        #expect(resolution.entry.id == DeviceID(.cpu, 0))
        #expect(resolution.reason == "rule cuda=gpu,cpu; vulkan:1 cannot compute: vulkan compute is not built yet; vulkan:0 cannot compute: vulkan compute is not built yet")
        #expect(redirector.deviceCount(.cuda) == 1)
    }

    @Test func softwareDevicesServeOnlyWhenNamed() throws {
        let named = try redirector("cuda=opencl,cpu")
        let resolution = try named.resolve(DeviceRequest(.cuda))
        #expect(resolution.entry.id == DeviceID(.cpu, 0))
        #expect(resolution.reason == "rule cuda=opencl,cpu; opencl:0 cannot compute: opencl compute is not built yet")
        #expect(throws: DeviceError.noDevice(request: "opencl", reason: "rule opencl=opencl; opencl:0 cannot compute: opencl compute is not built yet")) {
            try named.resolve(DeviceRequest(.opencl))
        }
    }

    @Test func theFirstDecisionIsLoggedOnceWithTheSwiftCaller() throws {
        let redirector = try redirector("cuda=vulkan:0,cpu")
        let line = #line + 1
        _ = try redirector.resolve(DeviceRequest(.cuda, index: 0), api: "Tensor.to")
        _ = try redirector.resolve(DeviceRequest(.cuda, index: 0), api: "Tensor.to")
        let decisions = records.records.filter { $0.api == "Tensor.to" }
        #expect(decisions.count == 1)
        #expect(decisions.first?.requested == "cuda:0")
        #expect(decisions.first?.resolved == "vulkan:0")
        #expect(decisions.first?.reason == "rule cuda=vulkan:0,cpu")
        #expect(decisions.first?.caller?.line == line)
        #expect(decisions.first?.caller?.file == "DeviceShimDevicesTests/RedirectorTests.swift")
        #expect(records.records.filter { $0.api == "discover" }.count == 3)
    }

    @Test func opsADeviceLacksFallBackToTheNextTargetAndTheRecordSaysSo() throws {
        let redirector = try redirector("cuda=vulkan,cpu")
        let site = CallSite.swift(fileID: "App/main.swift", line: 7, function: "main()")
        let add = try redirector.resolve(DeviceRequest(.cuda), op: .binary(.add), dtype: .float32, api: "add", from: site)
        #expect(add.entry.id == DeviceID(.vulkan, 0))
        let gemm = try redirector.resolve(DeviceRequest(.cuda), op: .gemm, dtype: .float32, api: "matmul", from: site)
        #expect(gemm.entry.id == DeviceID(.cpu, 0))
        #expect(gemm.reason == "fallback: vulkan:0 has no gemm for float32")
        let fallback = try #require(records.records.last)
        #expect(fallback.api == "matmul")
        #expect(fallback.resolved == "cpu:0")
        #expect(fallback.reason == "fallback: vulkan:0 has no gemm for float32")
        #expect(fallback.caller == Caller(symbol: "main()", file: "App/main.swift", line: 7))
    }

    @Test func withNoFallbackLeftTheOpIsUnsupportedWithAWarning() throws {
        let redirector = try redirector("cuda=vulkan")
        #expect(throws: DeviceError.unsupported(device: DeviceID(.vulkan, 0), op: .gemm, dtype: .float32)) {
            try redirector.resolve(DeviceRequest(.cuda), op: .gemm, dtype: .float32, api: "matmul", from: .native)
        }
        let warning = try #require(records.records.last)
        #expect(warning.level == .warn)
        #expect(warning.message == "no device has gemm for float32 (tried vulkan:0)")
    }

    @Test(arguments: [
        ([1], [DeviceID(.vulkan, 0)]),
        ([1, 0], [DeviceID(.vulkan, 0), DeviceID(.vulkan, 1)]),
        ([0, 0, 1], [DeviceID(.vulkan, 1)]),
        ([0, 7, 1], [DeviceID(.vulkan, 1)]),
        ([], []),
    ])
    func cudaVisibleDevicesRestrictsAndReorders(visible: [Int], expected: [DeviceID]) throws {
        let redirector = try redirector(visible: visible)
        #expect(redirector.deviceCount(.cuda) == expected.count)
        for (index, id) in expected.enumerated() {
            #expect(try redirector.resolve(DeviceRequest(.cuda, index: index)).entry.id == id)
        }
        #expect(redirector.deviceCount(.mps) == 2)
    }

    @Test func negativeIndicesAreInvalidNotACrash() throws {
        let redirector = try redirector()
        #expect(throws: DeviceError.invalidDeviceIndex(request: "cuda:-1", available: 2)) {
            try redirector.resolve(DeviceRequest(.cuda, index: -1))
        }
        #expect(throws: DeviceError.invalidDeviceIndex(request: "vulkan:-3", available: 2)) {
            try redirector.resolve(DeviceRequest(.vulkan, index: -3))
        }
    }

    @Test func indexedRulesTakeTheirSlot() throws {
        let redirector = try redirector("cuda=vulkan:1;cuda:1=cpu")
        #expect(redirector.deviceCount(.cuda) == 2)
        #expect(try redirector.resolve(DeviceRequest(.cuda, index: 0)).entry.id == DeviceID(.vulkan, 1))
        #expect(try redirector.resolve(DeviceRequest(.cuda, index: 1)).entry.id == DeviceID(.cpu, 0))
    }
}
