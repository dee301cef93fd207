import CVulkan
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Timestamp queries for markers: a slot is reset and written at the end of a batch
/// (bottom of pipe: after all earlier commands) and read once the batch completed, in
/// device nanoseconds (ticks × timestampPeriod, masked to the valid bits). Pools of 64
/// queries are added as needed. Queue families without timestamps use CLOCK_MONOTONIC.
final class VulkanTimestamps: @unchecked Sendable {
    // Sendable: the device is immutable; pools and free slots are behind `slots`.
    struct Slot: @unchecked Sendable {  // a handle and an index: plain values
        let pool: VkQueryPool
        let index: UInt32
    }

    private static let poolSize: UInt32 = 64
    private let device: VulkanDevice
    private struct Slots: @unchecked Sendable {  // owned by `slots`
        var pools: [VkQueryPool] = []
        var free: [Slot] = []
    }

    private let slots = Mutex(Slots())

    init(device: VulkanDevice) { self.device = device }

    deinit {
        let pools = slots.withLock { VulkanHandles($0.pools) }.raw
        for pool in pools { device.functions.vkDestroyQueryPool!(device.handle, pool, nil) }
    }

    private var hasTimestamps: Bool { device.support.timestamp_valid_bits > 0 }

    /// Records a reset and a timestamp write into `buffer`; nil on families without timestamps.
    func write(_ buffer: VkCommandBuffer) throws(DeviceError) -> Slot? {
        guard hasTimestamps else { return nil }
        let slot = try takeSlot()
        device.functions.vkCmdResetQueryPool!(buffer, slot.pool, slot.index, 1)
        device.functions.vkCmdWriteTimestamp!(buffer, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, slot.pool, slot.index)
        return slot
    }

    /// The completion time in nanoseconds: the slot's timestamp, or the host clock now.
    func read(_ slot: Slot?) -> UInt64 {
        guard let slot else { return Self.hostNanoseconds() }
        var ticks: UInt64 = 0
        let flags = UInt32(VK_QUERY_RESULT_64_BIT.rawValue | VK_QUERY_RESULT_WAIT_BIT.rawValue)
        let result = device.functions.vkGetQueryPoolResults!(device.handle, slot.pool, slot.index, 1, 8, &ticks, 8, flags)
        guard result == VK_SUCCESS else { return Self.hostNanoseconds() }
        let bits = device.support.timestamp_valid_bits
        if bits < 64 { ticks &= (UInt64(1) << bits) - 1 }
        return UInt64(Double(ticks) * device.timestampPeriod)
    }

    func release(_ slot: Slot?) {
        guard let slot else { return }
        slots.withLock { $0.free.append(slot) }
    }

    private func takeSlot() throws(DeviceError) -> Slot {
        if let slot = slots.withLock({ $0.free.popLast() }) { return slot }
        var info = VkQueryPoolCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO
        info.queryType = VK_QUERY_TYPE_TIMESTAMP
        info.queryCount = Self.poolSize
        var pool: VkQueryPool?
        let result = device.functions.vkCreateQueryPool!(device.handle, &info, nil, &pool)
        guard result == VK_SUCCESS, let pool else { throw device.error(result, call: "vkCreateQueryPool") }
        return slots.withLock { state in
            state.pools.append(pool)
            state.free.append(contentsOf: (1..<Self.poolSize).map { Slot(pool: pool, index: $0) })
            return Slot(pool: pool, index: 0)
        }
    }

    static func hostNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
