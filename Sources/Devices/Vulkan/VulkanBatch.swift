import CVulkan

/// One command buffer's worth of a stream's work and what completing it must do. Owned by
/// the stream's lock while recording, then by the completion thread.
final class VulkanBatch: @unchecked Sendable {
    let commandBuffer: VkCommandBuffer
    var commandCount = 0
    var value: UInt64 = 0
    var submitted = false
    var waits: [(VkSemaphore, UInt64)] = []
    var retained: [AnyObject] = []
    var readbacks: [(staging: VulkanBuffer, host: HostAddress, count: Int)] = []
    /// Staging buffers to give back to the pool once the batch completed.
    var staging: [VulkanBuffer] = []
    var markers: [(VulkanMarker, VulkanTimestamps.Slot?)] = []

    init(commandBuffer: VkCommandBuffer) { self.commandBuffer = commandBuffer }
}
