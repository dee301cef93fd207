#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import DeviceShimMocks

/// A runtime over two GPU-typed entries that the real CPU device computes for, so memory
/// can be allocated for real while `cuda:0` and `cuda:1` are distinct devices.
func twoDeviceRuntime(_ records: RecordBuffer) -> CudaRuntime {
    let log = RedirectionLog(level: .debug, sinks: [records])
    var gpu = CPUDevice.shared.properties
    gpu.type = .discreteGPU
    let properties = gpu
    let provider: @Sendable () -> BackendInventory = {
        BackendInventory(discovery: BackendDiscovery(backend: .vulkan, devices: [properties, properties]),
                         entries: (0..<2).map { DeviceEntry(id: DeviceID(.vulkan, $0), properties: properties, compute: CPUDevice.shared) })
    }
    let redirector = Redirector(policy: .default, registry: DeviceRegistry(providers: [provider], log: log), log: log)
    return CudaRuntime(catalog: CudaDeviceCatalog(redirector: redirector, settings: EmulationSettings(), log: log),
                       memory: DeviceMemory(), log: log)
}

@Suite struct CudaRuntimeTests {
    let records = RecordBuffer()

    @Test func theCurrentDeviceIsPerThreadAndSetDeviceIsLoggedWithItsCaller() throws {
        let runtime = twoDeviceRuntime(records)
        #expect(runtime.deviceCount == 2)
        let line = #line + 1
        try runtime.setDevice(1, from: .swift(fileID: "App/main.swift", line: line, function: "main()"))
        #expect(runtime.currentDevice == 1)
        let other = Atomic<Int>(-1)
        let done = DispatchSemaphore(value: 0)
        Thread { other.store(runtime.currentDevice, ordering: .relaxed); done.signal() }.start()
        done.wait()
        #expect(other.load(ordering: .relaxed) == 0)
        let record = try #require(records.records.last { $0.api == "Cuda.setDevice" })
        #expect(record.requested == "cuda:1" && record.resolved == "vulkan:1")
        #expect(record.caller == Caller(symbol: "main()", file: "App/main.swift", line: line))
    }

    @Test func aMissingDeviceIsInvalidDeviceAndTheThreadsLastError() throws {
        let runtime = twoDeviceRuntime(records)
        _ = CudaLastError.get()
        #expect(throws: CudaError.invalidDevice) { try runtime.setDevice(2, from: .native) }
        #expect(throws: CudaError.invalidDevice) { try runtime.setDevice(-1, from: .native) }
        #expect(runtime.currentDevice == 0)
        #expect(CudaLastError.get() == .invalidDevice)
        #expect(CudaLastError.get() == .success)
    }

    /// Both entries here are computed by the one CPU device, so they share its counters, as
    /// `cuda:0` and `mps` do when the policy sends both to `cpu:0`.
    @Test func countersBelongToTheRealDevice() throws {
        let runtime = twoDeviceRuntime(records)
        let site = CallSite.native
        let address = try runtime.memory.allocateDevice(3000, on: try runtime.resolve(1, api: "test", from: site).device)
        let second = try runtime.statistics(1, api: "test", from: site).0
        let first = try runtime.statistics(0, api: "test", from: site).0
        #expect(second.allocatedBytes.current == 3000 && second.reservedBytes.current == 3072)
        #expect(first == second)
        try runtime.memory.freeDevice(address)
        #expect(try runtime.statistics(0, api: "test", from: site).0.allocatedBytes.current == 0)
    }
}

/// The process-wide faces, on this machine's devices (`cuda:0` and `mps` go to `cpu:0`).
/// Serialized: they read the shared memory counters.
@Suite(.serialized) struct CudaFaceTests {
    @Test func devicesAreTheMachines() throws {
        #expect(Cuda.isAvailable())
        #expect(Cuda.deviceCount() == Cuda.runtime.redirector.deviceCount(.cuda))
        #expect(Cuda.currentDevice() == 0)
        let cpu = try #require(DeviceRegistry.shared.entry(DeviceID(.cpu, 0)))
        #expect(try Cuda.deviceName() == cpu.properties.name)
        #expect(try Cuda.deviceProperties(0).totalGlobalMemory == Int(cpu.properties.memoryBytes))
        #expect(throws: CudaError.invalidDevice) { try Cuda.deviceName(Cuda.deviceCount()) }
    }

    @Test func memoryQueriesAreExact() throws {
        let device = try Cuda.runtime.resolve(nil, api: "test", from: .native).device
        try Cuda.emptyCache()
        let allocatedBefore = try Cuda.memoryAllocated(), reservedBefore = try Cuda.memoryReserved()
        let addresses = try [1000, 4096].map { size throws(CudaError) in try Cuda.runtime.memory.allocateDevice(size, on: device) }
        #expect(try Cuda.memoryAllocated() == allocatedBefore + 5096)
        #expect(try Cuda.memoryReserved() == reservedBefore + 5120)
        #expect(try Cuda.maxMemoryAllocated() >= allocatedBefore + 5096)
        #expect(try Mps.currentAllocatedMemory() == (try Cuda.memoryAllocated()))
        try Cuda.runtime.memory.freeDevice(addresses[1])
        try Cuda.resetPeakMemoryStats()
        #expect(try Cuda.maxMemoryAllocated() == allocatedBefore + 1000)
        #expect(try Cuda.memoryStats()["allocated_bytes.all.current"] == allocatedBefore + 1000)
        #expect(try Cuda.memorySummary().contains("DeviceShim memory summary, cuda:0 -> "))
        try Cuda.runtime.memory.freeDevice(addresses[0])
        try Cuda.emptyCache()
        #expect(try Cuda.memoryReserved() == reservedBefore)
        #expect(try Mps.driverAllocatedMemory() == reservedBefore)
    }

    @Test func mpsIsTheDeviceTheDefaultPolicyChooses() throws {
        #expect(Mps.isAvailable())
        #expect(Mps.deviceCount() == 1)
        let resolved = try Cuda.runtime.redirector.resolve(DeviceRequest(.mps), api: "test", from: .native)
        #expect(try Mps.recommendedMaxMemory() == Int(resolved.entry.properties.memoryBytes))
    }
}

/// Streams through the face: synchronize waits for every stream, scopes make a stream current.
@Suite struct CudaStreamFaceTests {
    @Test func synchronizeWaitsForNonBlockingStreamsToo() throws {
        let stream = try Cuda.makeStream(flags: .nonBlocking)
        let finished = Atomic<Bool>(false)
        try stream.launchHostFunction {
            usleep(100_000)
            finished.store(true, ordering: .releasing)
        }
        #expect(stream.query() == .notReady)
        try Cuda.synchronize()
        let done = finished.load(ordering: .acquiring)
        #expect(done)
        #expect(stream.query() == .success)
        try Mps.synchronize()
    }

    @Test func withStreamMakesAStreamCurrentForItsScope() throws {
        let legacy = try Cuda.currentStream()
        let stream = try Cuda.makeStream()
        #expect(legacy !== stream)
        let scoped = try Cuda.withStream(stream) { try Cuda.currentStream() }
        #expect(scoped === stream)
        #expect(try Cuda.currentStream() === legacy)
        #expect(throws: CudaError.invalidDevice) { try Cuda.makeStream(Cuda.deviceCount()) }
    }
}

/// Every call of the faces is a record naming the Swift line that made it. The shared log is
/// turned to `debug` into /dev/null for the test, with a buffer added to read the records.
@Suite(.serialized) struct FaceRecordTests {
    @Test func everyFaceCallIsRecordedWithItsSwiftLine() throws {
        let log = RedirectionLog.shared, saved = log.configuration
        let records = RecordBuffer(capacity: 10_000)
        log.addSink(records)
        try log.configure(LogConfiguration(level: .debug, file: "/dev/null"))
        defer { try? log.configure(saved) }

        let calls: [(api: String, line: Int, call: () throws -> Void)] = [
            ("Cuda.deviceCount", #line, { _ = Cuda.deviceCount() }),
            ("Cuda.currentDevice", #line, { _ = Cuda.currentDevice() }),
            ("Cuda.setDevice", #line, { try Cuda.setDevice(0) }),
            ("Cuda.deviceProperties", #line, { _ = try Cuda.deviceProperties() }),
            ("Cuda.memoryAllocated", #line, { _ = try Cuda.memoryAllocated() }),
            ("Cuda.maxMemoryAllocated", #line, { _ = try Cuda.maxMemoryAllocated() }),
            ("Cuda.memoryReserved", #line, { _ = try Cuda.memoryReserved() }),
            ("Cuda.memoryStats", #line, { _ = try Cuda.memoryStats() }),
            ("Cuda.memorySummary", #line, { _ = try Cuda.memorySummary() }),
            ("Cuda.resetPeakMemoryStats", #line, { try Cuda.resetPeakMemoryStats() }),
            ("Cuda.emptyCache", #line, { try Cuda.emptyCache() }),
            ("Cuda.synchronize", #line, { try Cuda.synchronize() }),
            ("Cuda.makeStream", #line, { _ = try Cuda.makeStream() }),
            ("Cuda.currentStream", #line, { _ = try Cuda.currentStream() }),
            ("Mps.currentAllocatedMemory", #line, { _ = try Mps.currentAllocatedMemory() }),
            ("Mps.driverAllocatedMemory", #line, { _ = try Mps.driverAllocatedMemory() }),
            ("Mps.recommendedMaxMemory", #line, { _ = try Mps.recommendedMaxMemory() }),
            ("Mps.emptyCache", #line, { try Mps.emptyCache() }),
            ("Mps.synchronize", #line, { try Mps.synchronize() }),
            ("Mps.isAvailable", #line, { _ = Mps.isAvailable() }),
        ]
        // Twice: the second time every decision is cached, and each call must still be recorded.
        for round in 1...2 {
            for (api, line, call) in calls {
                let before = records.records.count
                try call()
                let found = records.records.dropFirst(before).contains { $0.api == api && $0.caller?.file == #fileID && $0.caller?.line == line }
                #expect(found, "round \(round): no record of \(api) from line \(line)")
            }
        }
    }
}
