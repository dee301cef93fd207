import Testing
@testable import DeviceShimDevices

/// The CPU device's cache of freed large buffers: size classes, reuse, its limit, release.
@Suite(.serialized) struct HostBufferCacheTests {
    @Test func capacitiesRoundUpToQuartersOfAPowerOfTwo() {
        #expect(HostBufferCache.capacity(for: 0) == CPUBuffer.alignment)
        #expect(HostBufferCache.capacity(for: 1000) == 1000)  // small: not cached, not rounded
        #expect(HostBufferCache.capacity(for: 1 << 20) == 1 << 20)
        #expect(HostBufferCache.capacity(for: (1 << 20) + 1) == (1 << 20) + (1 << 18))
        #expect(HostBufferCache.capacity(for: 4 << 20) == 4 << 20)
        #expect(HostBufferCache.capacity(for: 7 << 20) == 7 << 20)
        #expect(HostBufferCache.capacity(for: (7 << 20) + 64) == 8 << 20)
        for byteCount in stride(from: HostBufferCache.minimumBytes, to: 64 << 20, by: 999_983) {
            let capacity = HostBufferCache.capacity(for: byteCount)
            #expect(capacity >= byteCount && Double(capacity) <= Double(byteCount) * 1.25, "\(byteCount) -> \(capacity)")
        }
    }

    @Test func aFreedBufferServesTheNextOfItsSizeClass() {
        let cache = HostBufferCache(memoryBytes: 1 << 30)
        let capacity = HostBufferCache.capacity(for: 3 << 20)
        #expect(cache.take(capacity: capacity) == nil)
        let block = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: CPUBuffer.alignment)
        cache.give(block, capacity: capacity)
        #expect(cache.cachedBytes == capacity)
        #expect(cache.take(capacity: capacity + (1 << 18)) == nil)  // another class
        #expect(cache.take(capacity: capacity) == block)
        #expect(cache.cachedBytes == 0)
        cache.give(block, capacity: capacity)
        cache.releaseAll()
        #expect(cache.cachedBytes == 0)
        #expect(cache.take(capacity: capacity) == nil)
    }

    @Test func theCacheHoldsAtMostItsLimit() {
        let cache = HostBufferCache(memoryBytes: 16 << 20)  // limit: 2 MiB
        #expect(cache.limitBytes == 2 << 20)
        let capacity = 1 << 20
        for _ in 0..<3 {
            cache.give(UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: CPUBuffer.alignment), capacity: capacity)
        }
        #expect(cache.cachedBytes == 2 << 20)
        cache.releaseAll()
    }

    @Test func deviceBuffersAreReusedAndReleased() throws {
        let device = CPUDevice.shared
        device.releaseCachedBuffers()
        let byteCount = (5 << 20) + 4321  // a size no other test is likely to allocate meanwhile
        var address: UnsafeMutableRawPointer?
        do {
            let buffer = try #require(try device.allocate(byteCount: byteCount) as? CPUBuffer)
            address = buffer.baseAddress
            #expect(buffer.byteCount == byteCount)
        }
        #expect(device.cachedBufferBytes >= byteCount)
        let again = try #require(try device.allocate(byteCount: byteCount) as? CPUBuffer)
        #expect(again.baseAddress == address)
        withExtendedLifetime(again) {}
        device.releaseCachedBuffers()
        // Other suites free buffers in parallel, so only this size class is checked empty.
        #expect(device.bufferCache.take(capacity: HostBufferCache.capacity(for: byteCount)) == nil)
    }

    /// Cached blocks are free for the device's next buffers, so `freeMemoryBytes` (what
    /// `cudaMemGetInfo` reports) adds them to the OS's MemAvailable. (Compared with the OS's
    /// figure read alongside: MemAvailable itself lags frees by hundreds of MB on this
    /// project's machine, so a before/after comparison would not be reliable.)
    @Test func cachedBuffersCountAsFreeMemory() throws {
        let device = CPUDevice.shared
        do { _ = try device.allocate(byteCount: (256 << 20) + 4321) }
        let cached = device.cachedBufferBytes
        #expect(cached >= 256 << 20)
        let reported = try #require(device.freeMemoryBytes)
        let available = try #require(HostSystem.memoryField("MemAvailable"))
        // Within what other suites allocate between the two reads.
        #expect(abs(Double(reported) - Double(available) - Double(cached)) < Double(64 << 20), "\(reported) \(available) \(cached)")
        device.releaseCachedBuffers()
    }
}
