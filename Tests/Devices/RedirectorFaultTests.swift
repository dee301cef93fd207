import Testing
@testable import DeviceShimDevices

/// Faults move work to the policy's next target: a kernel that fails to compile disables its
/// op on that device, a lost device is retired, and out of memory tries the next device for
/// that call. Each step is a record; an error with no next target reaches the caller typed.
@Suite struct RedirectorFaultTests {
    let records = RecordBuffer()
    let site = CallSite.swift(fileID: "App/main.swift", line: 12, function: "main()")
    let cuda = DeviceRequest(.cuda, index: 0)
    let vulkan0 = DeviceID(.vulkan, 0), cpu0 = DeviceID(.cpu, 0)

    /// `cuda=vulkan,cpu` over the stand-in machine: cuda:0 is vulkan:0, and the CPU comes next.
    func redirector(_ policy: String = "cuda=vulkan,cpu") throws -> Redirector {
        let log = RedirectionLog(level: .debug, sinks: [records])
        return Redirector(policy: try RedirectPolicy(parsing: policy),
                          registry: DeviceRegistry(providers: StandInBackends.machine(), log: log), log: log)
    }

    @Test func aKernelThatFailsToCompileMovesItsOpToTheNextTarget() throws {
        let redirector = try redirector()
        var tried: [DeviceID] = []
        let served = try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
            tried.append(device.id)
            if device.id == vulkan0 { throw .compileFailed(device: vulkan0, log: "error: unknown builtin") }
            return device.id
        }
        #expect(served == cpu0)
        #expect(tried == [vulkan0, cpu0])
        #expect(redirector.disabledReason(.binary(.add), .float32, on: vulkan0) == "a kernel failed to compile for vulkan:0: error: unknown builtin")
        let disabled = try #require(records.records.first { $0.status == "disabled" })
        #expect(disabled.resolved == "vulkan:0")
        #expect(disabled.message == "add for float32 failed: a kernel failed to compile for vulkan:0: error: unknown builtin; it falls back from now on")
        #expect(disabled.caller?.line == 12)
        let fallback = try redirector.resolve(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site)
        #expect(fallback.entry.id == cpu0)
        #expect(fallback.reason.hasPrefix("fallback: vulkan:0 its add for float32 failed: a kernel failed to compile"))

        // Later calls go straight to the CPU; other devices and requests are untouched.
        tried = []
        _ = try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
            tried.append(device.id)
        }
        #expect(tried == [cpu0])
        #expect(try redirector.resolve(cuda, api: "resolve", from: site).entry.id == vulkan0)
    }

    /// The count is kept between calls (CUDA programs ask often), and a retirement renews it.
    @Test func theDeviceCountFollowsRetirements() throws {
        let redirector = try redirector()
        #expect(redirector.deviceCount(.cuda) == 2)  // vulkan:0 and vulkan:1
        #expect(redirector.deviceCount(.cuda) == 2)
        redirector.retire(vulkan0, because: .deviceLost(device: vulkan0, reason: "gone"), api: "test", from: site)
        #expect(redirector.deviceCount(.cuda) == 1)
        redirector.retire(DeviceID(.vulkan, 1), because: .deviceLost(device: DeviceID(.vulkan, 1), reason: "gone"), api: "test", from: site)
        #expect(redirector.deviceCount(.cuda) == 1)  // the CPU, the rule's next target
        #expect(try redirector.resolve(cuda, api: "resolve", from: site).entry.id == cpu0)
    }

    @Test func aLostDeviceIsRetiredAndItsRequestsGoToTheNextTarget() throws {
        let redirector = try redirector()
        let before = redirector.generation
        let served = try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
            if device.id == vulkan0 { throw .deviceLost(device: vulkan0, reason: "VK_ERROR_DEVICE_LOST") }
            return device.id
        }
        // The rule's vulkan target still has vulkan:1, which now serves cuda:0.
        #expect(served == DeviceID(.vulkan, 1))
        #expect(redirector.generation > before)
        #expect(redirector.retiredReason(vulkan0) == "vulkan:0 was lost: VK_ERROR_DEVICE_LOST")
        let resolution = try redirector.resolve(cuda, api: "cudaSetDevice", from: site)
        #expect(resolution.entry.id == DeviceID(.vulkan, 1))
        #expect(resolution.reason.contains("vulkan:0 was retired: vulkan:0 was lost: VK_ERROR_DEVICE_LOST"))
        #expect(records.records.contains { $0.status == "retired" && $0.resolved == "vulkan:0" })
        // The new decision was logged once, by the call that made it.
        #expect(records.records.filter { $0.api == "Tensor.add" && $0.requested == "cuda:0" }.map(\.resolved) == ["vulkan:0", "vulkan:1"])
    }

    @Test func outOfMemoryTriesTheNextDeviceForThatCallOnly() throws {
        let redirector = try redirector()
        var tried: [DeviceID] = []
        for _ in 0..<2 {
            _ = try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
                tried.append(device.id)
                if device.id == vulkan0 { throw .outOfMemory(device: vulkan0, requestedBytes: 1 << 40, availableBytes: 1 << 30) }
            }
        }
        #expect(tried == [vulkan0, cpu0, vulkan0, cpu0])
        #expect(records.records.filter { $0.status == "out of memory" }.count == 2)
        #expect(redirector.retiredReason(vulkan0) == nil)
    }

    @Test func withoutANextTargetTheErrorReachesTheCallerTyped() throws {
        let redirector = try redirector("cuda=vulkan:0")
        #expect(throws: DeviceError.outOfMemory(device: vulkan0, requestedBytes: 8, availableBytes: nil)) {
            try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
                throw .outOfMemory(device: device.id, requestedBytes: 8, availableBytes: nil)
            }
        }
        #expect(throws: DeviceError.unsupported(device: vulkan0, op: .binary(.add), dtype: .float32)) {
            try redirector.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.add", from: site) { device throws(DeviceError) in
                throw .compileFailed(device: device.id, log: "no")
            }
        }
        #expect(records.records.contains { $0.status == "unsupported" && $0.message?.contains("no device has add for float32") == true })
        // Errors that are the caller's own are not faults of the device: no retry, no change.
        let fresh = try self.redirector("cuda=vulkan:0,cpu")
        #expect(throws: DeviceError.invalidArgument("bad shape")) {
            try fresh.perform(cuda, op: .binary(.add), dtype: .float32, api: "Tensor.mul", from: site) { _ throws(DeviceError) in
                throw .invalidArgument("bad shape")
            }
        }
        #expect(fresh.disabledReason(.binary(.add), .float32, on: vulkan0) == nil)
    }
}
