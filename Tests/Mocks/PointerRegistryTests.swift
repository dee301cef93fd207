import Testing
@testable import DeviceShimMocks

@Suite struct AddressSpaceTests {
    @Test func rangesAreAlignedDisjointAndReusedAfterCoalescing() throws {
        let space = try #require(AddressSpace(largest: 1 << 20, smallest: 1 << 20))
        let first = try #require(space.take(1000)), second = try #require(space.take(1)), third = try #require(space.take(0))
        #expect(first.count == 1024)
        #expect(second.count == 256 && third.count == 256)
        for range in [first, second, third] {
            #expect(range.lowerBound % 256 == 0)
            #expect(space.contains(range.lowerBound))
        }
        #expect(!first.overlaps(second) && !second.overlaps(third) && !first.overlaps(third))
        space.give(back: second)
        space.give(back: first)
        let merged = try #require(space.take(1280))
        #expect(merged.lowerBound == first.lowerBound)
        #expect(space.take(1 << 21) == nil)
        #expect(!space.contains(0x1000))
    }

    /// x86-64 and arm64 user space is at most 2^47–2^48 bytes (2^56 with 5-level paging), so
    /// 2^60 is refused and a smaller power of two is reserved instead, as under `ulimit -v`.
    @Test func aRefusedReservationFallsBackToASmallerPowerOfTwo() throws {
        let space = try #require(AddressSpace(largest: 1 << 60, smallest: 1 << 20))
        #expect(space.size < 1 << 60 && space.size >= 1 << 20)
        #expect(space.size & (space.size - 1) == 0)
        #expect(space.contains(space.base) && !space.contains(space.base + space.size))
        #expect(AddressSpace(largest: 1 << 60, smallest: 1 << 59) == nil)
    }
}

@Suite struct PointerRegistryTests {
    static let cpu = DeviceID(.cpu, 0)

    @Test func anyAddressInsideResolvesToItsAllocationAndOffset() throws {
        let registry = PointerRegistry()
        for (address, count) in [(0x10_000, 4096), (0x20_000, 0), (0x30_000, 10)] {
            registry.insert(Allocation(address: UInt(address), byteCount: count, kind: .managed, device: Self.cpu))
        }
        let inside = try #require(registry.resolve(0x10_000 + 4095))
        #expect(inside.allocation.address == 0x10_000 && inside.offset == 4095)
        #expect(registry.resolve(0x10_000 + 4096) == nil)
        #expect(registry.resolve(0x20_000)?.offset == 0)
        #expect(registry.resolve(0x20_001) == nil)
        #expect(registry.resolve(0x30_009)?.allocation.byteCount == 10)
        #expect(registry.resolve(0xFFFF) == nil)
        #expect(registry.resolve(0) == nil)
        #expect(registry.remove(startingAt: 0x10_001) == nil)
        #expect(registry.remove(startingAt: 0x10_000)?.byteCount == 4096)
        #expect(registry.resolve(0x10_000) == nil)
        #expect(registry.allocations.map(\.address) == [0x20_000, 0x30_000])
    }

    /// A program's garbage pointer may have every bit set; looking it up must not trap.
    @Test func theLastAddressIsInNoAllocation() throws {
        let registry = PointerRegistry()
        registry.insert(Allocation(address: 0x10_000, byteCount: 64, kind: .pinnedHost, device: Self.cpu))
        #expect(registry.resolve(.max) == nil)
        #expect(registry.locate(.max) == nil)
        let (pageable, pinned, _) = try #require(registry.hostBytes(.max, 0x10_000, count: 1, deviceRange: 0..<0))
        #expect(UInt(bitPattern: pageable.address) == .max && !pageable.isDevice)
        #expect(UInt(bitPattern: pinned.address) == 0x10_000)
    }

    @Test func manyAllocationsResolveInAnyOrder() throws {
        let registry = PointerRegistry()
        var random = SystemRandomNumberGenerator()
        let starts = (0..<10_000).map { UInt($0) * 1024 + 0x100_000 }.shuffled(using: &random)
        for start in starts { registry.insert(Allocation(address: start, byteCount: 512, kind: .pinnedHost, device: Self.cpu)) }
        for start in starts.prefix(1000) {
            let found = try #require(registry.resolve(start + 511))
            #expect(found.allocation.address == start && found.offset == 511)
            #expect(registry.resolve(start + 512) == nil)
        }
    }
}

/// `PointerRegistry.hostBytes`, which the copies' direct path (`cudaMemcpy` with logging
/// quiet) relies on to reach both pointers' bytes from the host, or to decline.
@Suite struct HostBytesTests {
    static let cpu = DeviceID(.cpu, 0)
    let registry = PointerRegistry()
    let deviceRange: Range<UInt> = 0x100_000..<0x200_000
    let buffer: CPUBuffer

    init() throws {
        buffer = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
        registry.insert(Allocation(address: 0x100_000, byteCount: 64, kind: .device(buffer), device: Self.cpu))
        registry.insert(Allocation(address: 0x100_100, byteCount: 64, kind: .device(OpaqueBuffer()), device: Self.cpu))
        registry.insert(Allocation(address: 0x10_000, byteCount: 32, kind: .pinnedHost, device: Self.cpu))
        registry.insert(Allocation(address: 0x20_000, byteCount: 32, kind: .managed, device: Self.cpu))
    }

    func bytes(_ first: UInt, _ second: UInt, count: Int) -> (HostBytes, HostBytes)? {
        guard let (one, other, buffers) = registry.hostBytes(first, second, count: count, deviceRange: deviceRange) else {
            return nil
        }
        buffers.0?.release()
        buffers.1?.release()
        return (one, other)
    }

    @Test func deviceMemoryTheHostAddressesIsFoundAtItsHostAddress() throws {
        let (device, pageable) = try #require(bytes(0x100_000 + 8, 0x30_000, count: 56))
        #expect(device.address == buffer.baseAddress + 8 && device.isDevice && !device.isManaged)
        #expect(UInt(bitPattern: pageable.address) == 0x30_000 && !pageable.isDevice && !pageable.isManaged)
        let (pinned, managed) = try #require(bytes(0x10_000 + 4, 0x20_000, count: 28))
        #expect(UInt(bitPattern: pinned.address) == 0x10_004 && !pinned.isDevice && !pinned.isManaged)
        #expect(UInt(bitPattern: managed.address) == 0x20_000 && !managed.isDevice && managed.isManaged)
    }

    /// Each declined case is one the full path answers: an error, or a copy it queues.
    @Test func declinesWhatOnlyTheFullPathCanAnswer() {
        #expect(bytes(0x100_000 + 8, 0x30_000, count: 57) == nil, "past the device allocation's end")
        #expect(bytes(0x30_000, 0x10_000 + 4, count: 29) == nil, "past the pinned allocation's end")
        #expect(bytes(0x100_100, 0x30_000, count: 8) == nil, "device memory the host cannot address")
        #expect(bytes(0x30_000, 0x100_080, count: 8) == nil, "a device address no allocation holds")
        #expect(bytes(0, 0x30_000, count: 8) == nil, "NULL")
    }

    /// The device buffer comes retained, so a concurrent `cudaFree` and cache release cannot
    /// take its memory while the caller copies.
    @Test func theDeviceBufferIsKeptAliveForTheCaller() throws {
        let registry = PointerRegistry()
        weak var watched: CPUBuffer?
        do {
            let local = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
            watched = local
            registry.insert(Allocation(address: 0x100_000, byteCount: 64, kind: .device(local), device: Self.cpu))
        }
        let (_, _, buffers) = try #require(registry.hostBytes(0x30_000, 0x100_000, count: 8, deviceRange: deviceRange))
        #expect(buffers.0 == nil)
        _ = registry.remove(startingAt: 0x100_000)
        #expect(watched != nil, "the caller's reference keeps it")
        buffers.1?.release()
        #expect(watched == nil)
    }
}

/// Device memory of a backend whose memory the host cannot address.
private final class OpaqueBuffer: DeviceBuffer {
    var device: any ComputeDevice { CPUDevice.shared }
    var byteCount: Int { 64 }
}

@Suite struct MemoryStatisticsTests {
    @Test func countersTrackCurrentPeakAndTotals() {
        var statistics = MemoryStatistics()
        statistics.allocatedBytes.add(1000)
        statistics.allocatedBytes.add(24)
        statistics.allocatedBytes.remove(1000)
        #expect(statistics.allocatedBytes == MemoryStatistics.Counter(current: 24, peak: 1024, allocated: 1024, freed: 1000))
        statistics.resetPeaks()
        #expect(statistics.allocatedBytes.peak == 24)
        let dictionary = statistics.dictionary
        #expect(dictionary["allocated_bytes.all.current"] == 24)
        #expect(dictionary["allocated_bytes.all.freed"] == 1000)
        #expect(dictionary["reserved_bytes.all.peak"] == 0)
        #expect(dictionary["num_ooms"] == 0)
        #expect(dictionary.count == 13)
    }

    @Test(arguments: [(0, "0 B"), (4096, "4096 B"), (786_431, "786431 B"), (786_432, "768 KiB"), (3 << 20, "3072 KiB"),
                      (1 << 30, "1024 MiB"), (3 << 30, "3072 MiB"), (800 << 30, "800 GiB")])
    func sizesFormatAsPyTorchDoes(bytes: Int, text: String) {
        #expect(MemoryStatistics.formatBytes(bytes) == text)
    }

    @Test func summaryIsATable() {
        var statistics = MemoryStatistics()
        statistics.allocatedBytes.add(4096)
        statistics.allocations.add(1)
        let lines = statistics.summary(title: "DeviceShim memory summary, cuda:0 -> cpu:0").split(separator: "\n")
        #expect(lines.count == 10)
        #expect(Set(lines.map(\.count)).count == 1)
        #expect(lines[5] == "| Allocated memory        |     4096 B |     4096 B |     4096 B |        0 B |")
        #expect(lines[7] == "| Allocations             |          1 |          1 |          1 |          0 |")
    }
}
