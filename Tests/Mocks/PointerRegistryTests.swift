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
