import Testing
@testable import DeviceShimDevices

/// Buffers, sub-allocation, copies and fills of the Vulkan backend.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanMemoryTests {
    @Test func manyBuffersShareFewMemoryBlocks() throws {
        let device = try VulkanTests.requireDevice()
        let before = device.memoryBlockCount
        let buffers = try (0..<200).map { index in try device.allocate(byteCount: 1000 + index * 37) }
        #expect(buffers.count == 200)
        #expect(device.memoryBlockCount - before <= 2, "200 small buffers took \(device.memoryBlockCount - before) blocks")
    }

    @Test func copiesRoundTripWithOffsets() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 1000)
        let other = try device.allocate(byteCount: 600)
        let source = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 0xEE))
        try source.withUnsafeBytes { try queue.copy(from: $0.baseAddress! + 5, to: BufferRegion(buffer, offset: 13, byteCount: 501)) }
        try queue.copy(from: BufferRegion(buffer, offset: 13, byteCount: 501), to: BufferRegion(other, offset: 99, byteCount: 501))
        // Overlapping ranges of one buffer.
        try queue.copy(from: BufferRegion(buffer, offset: 13, byteCount: 400), to: BufferRegion(buffer, offset: 17, byteCount: 400))
        var back = [UInt8](repeating: 0, count: 501)
        try back.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(other, offset: 99, byteCount: 501), to: $0.baseAddress!) }
        let whole = try contents(of: buffer, queue: queue)
        #expect(back == Array(source[5..<506]))
        #expect(whole[0..<13].allSatisfy { $0 == 0xEE })
        #expect(Array(whole[13..<17]) == Array(source[5..<9]))
        #expect(Array(whole[17..<417]) == Array(source[5..<405]))
        #expect(whole[514...].allSatisfy { $0 == 0xEE })
    }

    @Test(arguments: [
        (FillPattern(byte: 0xAB), 3, 11), (FillPattern(element: UInt16(0xBEEF)), 6, 14),
        (FillPattern(element: Float(1.5)), 8, 64), (FillPattern(element: Double(-2.25)), 5, 40),
        (FillPattern(element: UInt32(0x01020304)), 3, 20),
    ])
    func fillsRepeatThePattern(pattern: FillPattern, offset: Int, count: Int) throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 100)
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 0))
        try queue.fill(BufferRegion(buffer, offset: offset, byteCount: count), with: pattern)
        let bytes = try contents(of: buffer, queue: queue)
        let expected = (0..<count).map { pattern.bytes[$0 % pattern.bytes.count] }
        #expect(Array(bytes[offset..<offset + count]) == expected)
        #expect(bytes[..<offset].allSatisfy { $0 == 0 } && bytes[(offset + count)...].allSatisfy { $0 == 0 })
    }

    @Test func badRegionsAreInvalidArguments() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 64)
        let host = [UInt8](repeating: 0, count: 128)
        #expect(throws: DeviceError.self) {
            try host.withUnsafeBytes { try queue.copy(from: $0.baseAddress!, to: BufferRegion(buffer, offset: 60, byteCount: 8)) }
        }
        #expect(throws: DeviceError.self) { try queue.fill(BufferRegion(buffer, offset: 1, byteCount: 6), with: FillPattern(element: UInt32(1))) }
        #expect(throws: DeviceError.self) {
            try queue.copy(from: BufferRegion(CPUDevice.shared.allocate(byteCount: 8)), to: BufferRegion(buffer, byteCount: 8))
        }
        try queue.synchronize()
    }

    @Test func hugeAllocationIsOutOfMemory() throws {
        let device = try VulkanTests.requireDevice()
        do {
            _ = try device.allocate(byteCount: 1 << 50)
            Issue.record("a 1 PiB buffer was allocated")
        } catch {
            guard case .outOfMemory = error else { Issue.record("expected outOfMemory, got \(error)"); return }
        }
    }
}
