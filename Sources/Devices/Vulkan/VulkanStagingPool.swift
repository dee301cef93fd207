import Synchronization

/// Host-visible staging buffers kept for reuse: a host transfer takes one at least as large
/// as it needs (at most twice), and its batch gives it back on completion, so repeated
/// copies do not allocate, map and fault in fresh memory each time. At most `limitBytes`
/// are kept; the rest are freed.
final class VulkanStagingPool: Sendable {
    static let limitBytes = 256 << 20

    private let spare = Mutex<[VulkanBuffer]>([])

    func take(byteCount: Int, on device: VulkanDevice) throws(DeviceError) -> VulkanBuffer {
        let reused = spare.withLock { buffers -> VulkanBuffer? in
            guard let index = buffers.firstIndex(where: { $0.byteCount >= byteCount && $0.byteCount <= 2 * byteCount }) else { return nil }
            return buffers.remove(at: index)
        }
        if let reused { return reused }
        let buffer = try VulkanBuffer(device: device, byteCount: byteCount, kind: .staging)
        guard buffer.mappedAddress != nil else { throw .driver(device: device.id, call: "vkMapMemory", code: 0) }
        return buffer
    }

    func give(_ buffer: VulkanBuffer) {
        spare.withLock { buffers in
            buffers.append(buffer)
            var total = buffers.reduce(0) { $0 + $1.byteCount }
            while total > Self.limitBytes, !buffers.isEmpty { total -= buffers.removeFirst().byteCount }
        }
    }
}
