import Dispatch
import Synchronization
import Testing
@testable import DeviceShimMocks

@Suite struct DeviceMemoryTests {
    let memory = DeviceMemory()
    let cpu = CPUDevice.shared

    @Test func accountingIsExactForKnownSizes() throws {
        let sizes = [1000, 4096, 0, 513]
        let addresses = try sizes.map { size throws(CudaError) in try memory.allocateDevice(size, on: cpu) }
        var statistics = memory.statistics(cpu.id)
        #expect(statistics.allocatedBytes.current == 5609)
        #expect(statistics.reservedBytes.current == 1024 + 4096 + 512 + 1024)
        #expect(statistics.allocations.current == 4)
        try memory.freeDevice(addresses[1])
        statistics = memory.statistics(cpu.id)
        #expect(statistics.allocatedBytes == MemoryStatistics.Counter(current: 1513, peak: 5609, allocated: 5609, freed: 4096))
        #expect(statistics.reservedBytes.current == 6656)
        memory.resetPeakStatistics(cpu.id)
        #expect(memory.statistics(cpu.id).allocatedBytes.peak == 1513)
        memory.emptyCache(cpu.id)
        #expect(memory.statistics(cpu.id).reservedBytes.current == 2560)
        for address in [addresses[0], addresses[2], addresses[3]] { try memory.freeDevice(address) }
        memory.emptyCache()
        #expect(memory.statistics(cpu.id).allocatedBytes.current == 0)
        #expect(memory.statistics(cpu.id).reservedBytes.current == 0)
        #expect(memory.statistics(cpu.id).allocations.allocated == 4)
    }

    @Test func addressesAreAlignedAndPointerArithmeticResolves() throws {
        let address = try memory.allocateDevice(10_000, on: cpu)
        #expect(address % 256 == 0)
        #expect(memory.deviceRange.contains(address))
        let inside = try #require(memory.registry.resolve(address + 9_999))
        #expect(inside.offset == 9_999)
        guard case let .device(buffer) = inside.allocation.kind else { Issue.record("not device memory"); return }
        #expect(buffer.byteCount == 10_240)
        #expect(memory.registry.resolve(address + 10_000) == nil)
        try memory.freeDevice(address)
    }

    @Test func freedBlocksAreReusedWithTheirAddress() throws {
        let first = try memory.allocateDevice(3000, on: cpu)
        try memory.freeDevice(first)
        let second = try memory.allocateDevice(3072, on: cpu)
        #expect(second == first)
        #expect(memory.statistics(cpu.id).reservedBytes.allocated == 3072)
        try memory.freeDevice(second)
    }

    @Test func badFreesAreInvalidValueAndTouchNothing() throws {
        let address = try memory.allocateDevice(64, on: cpu)
        var host = 0
        let hostAddress = withUnsafeMutablePointer(to: &host) { UInt(bitPattern: $0) }
        for bad in [address + 8, hostAddress, 0, 0xdead_beef] {
            #expect(throws: CudaError.invalidValue) { try memory.freeDevice(bad) }
        }
        #expect(memory.statistics(cpu.id).allocations.current == 1)
        try memory.freeDevice(address)
        #expect(throws: CudaError.invalidValue) { try memory.freeDevice(address) }
        #expect(throws: CudaError.invalidValue) { try memory.allocateDevice(-1, on: cpu) }
    }

    @Test func exhaustionIsMemoryAllocationAndCounted() {
        #expect(throws: CudaError.memoryAllocation) { try memory.allocateDevice(1 << 50, on: cpu) }
        #expect(memory.statistics(cpu.id).outOfMemoryCount == 1)
        #expect(memory.statistics(cpu.id).dictionary["num_ooms"] == 1)
    }

    @Test func pinnedManagedAndRegisteredHostMemory() throws {
        let pinned = try memory.allocateHost(4096, kind: .pinnedHost, device: cpu.id)
        let managed = try memory.allocateHost(100, kind: .managed, device: cpu.id)
        pinned.storeBytes(of: 42, toByteOffset: 4088, as: Int.self)
        #expect(memory.registry.resolve(UInt(bitPattern: pinned) + 4095)?.allocation.kind.name == "pinned host")
        #expect(memory.registry.resolve(UInt(bitPattern: managed))?.allocation.kind.name == "managed")
        #expect(throws: CudaError.invalidValue) { try memory.freeHost(managed, kinds: ["pinned host"]) }
        try memory.freeHost(pinned, kinds: ["pinned host"])
        try memory.freeHost(managed, kinds: ["managed"])
        #expect(throws: CudaError.invalidValue) { try memory.freeHost(pinned, kinds: ["pinned host"]) }

        let program = UnsafeMutableRawPointer.allocate(byteCount: 8192, alignment: 64)
        defer { program.deallocate() }
        try memory.registerHost(program, byteCount: 8192, device: cpu.id)
        #expect(throws: CudaError.hostMemoryAlreadyRegistered) { try memory.registerHost(program + 4096, byteCount: 16, device: cpu.id) }
        try memory.unregisterHost(program)
        #expect(throws: CudaError.hostMemoryNotRegistered) { try memory.unregisterHost(program) }
    }

    @Test func concurrentAllocationsAndFreesStayExact() throws {
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<500 {
                do {
                    let address = try memory.allocateDevice(100 + thread * 10 + round % 7, on: cpu)
                    try memory.freeDevice(address)
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let statistics = memory.statistics(cpu.id)
        #expect(statistics.allocatedBytes.current == 0)
        #expect(statistics.allocations.allocated == 4000)
        #expect(statistics.allocations.current == 0)
    }
}
