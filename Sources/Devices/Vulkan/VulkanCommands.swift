import CVulkan

/// Thin wrappers over the command-buffer calls a stream makes: allocation, begin / end,
/// barriers between commands, dispatches with push constants, and timeline submissions.
enum VulkanCommands {
    static func allocate(_ device: VulkanDevice, pool: VkCommandPool) throws(DeviceError) -> VkCommandBuffer {
        var info = VkCommandBufferAllocateInfo()
        info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO
        info.commandPool = pool
        info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY
        info.commandBufferCount = 1
        var buffer: VkCommandBuffer?
        let result = device.functions.vkAllocateCommandBuffers!(device.handle, &info, &buffer)
        guard result == VK_SUCCESS, let buffer else { throw device.error(result, call: "vkAllocateCommandBuffers") }
        return buffer
    }

    static func begin(_ device: VulkanDevice, _ buffer: VkCommandBuffer) throws(DeviceError) {
        var info = VkCommandBufferBeginInfo()
        info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO
        info.flags = UInt32(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT.rawValue)
        let result = device.functions.vkBeginCommandBuffer!(buffer, &info)
        guard result == VK_SUCCESS else { throw device.error(result, call: "vkBeginCommandBuffer") }
    }

    /// Ends recording, after a barrier that makes every write visible to host reads.
    static func end(_ device: VulkanDevice, _ buffer: VkCommandBuffer) {
        memoryBarrier(device, buffer, destinationStage: VK_PIPELINE_STAGE_HOST_BIT,
                      destinationAccess: VK_ACCESS_HOST_READ_BIT.rawValue | VK_ACCESS_HOST_WRITE_BIT.rawValue)
        _ = device.functions.vkEndCommandBuffer!(buffer)
    }

    static func reset(_ device: VulkanDevice, _ buffer: VkCommandBuffer) {
        _ = device.functions.vkResetCommandBuffer!(buffer, 0)
    }

    /// Orders a command after every earlier one: all writes visible to all later reads and writes.
    static func barrier(_ device: VulkanDevice, _ buffer: VkCommandBuffer) {
        memoryBarrier(device, buffer, destinationStage: VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                      destinationAccess: VK_ACCESS_MEMORY_READ_BIT.rawValue | VK_ACCESS_MEMORY_WRITE_BIT.rawValue)
    }

    private static func memoryBarrier(_ device: VulkanDevice, _ buffer: VkCommandBuffer,
                                      destinationStage: VkPipelineStageFlagBits, destinationAccess: UInt32) {
        var barrier = VkMemoryBarrier()
        barrier.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER
        barrier.srcAccessMask = UInt32(VK_ACCESS_MEMORY_WRITE_BIT.rawValue)
        barrier.dstAccessMask = destinationAccess
        device.functions.vkCmdPipelineBarrier!(buffer, UInt32(VK_PIPELINE_STAGE_ALL_COMMANDS_BIT.rawValue),
                                               UInt32(destinationStage.rawValue), 0, 1, &barrier, 0, nil, 0, nil)
    }

    /// Binds `pipeline`, pushes `words` and dispatches `groups` workgroups.
    static func dispatch(_ device: VulkanDevice, _ buffer: VkCommandBuffer, pipeline: VkPipeline, words: [UInt32],
                         groups: (x: UInt32, y: UInt32, z: UInt32)) {
        let functions = device.functions
        functions.vkCmdBindPipeline!(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline)
        words.withUnsafeBytes { bytes in
            functions.vkCmdPushConstants!(buffer, device.pipelines.layout, UInt32(VK_SHADER_STAGE_COMPUTE_BIT.rawValue), 0,
                                          UInt32(bytes.count), bytes.baseAddress)
        }
        functions.vkCmdDispatch!(buffer, groups.x, groups.y, groups.z)
    }

    static func copy(_ device: VulkanDevice, _ buffer: VkCommandBuffer, from source: VkBuffer, at sourceOffset: Int,
                     to destination: VkBuffer, at destinationOffset: Int, count: Int) {
        var region = VkBufferCopy(srcOffset: UInt64(sourceOffset), dstOffset: UInt64(destinationOffset), size: UInt64(count))
        device.functions.vkCmdCopyBuffer!(buffer, source, destination, 1, &region)
    }

    /// Submits `batch`: it waits for the timeline's previous value (in-order stream) and any
    /// cross-stream waits, and signals its own value.
    static func submit(_ device: VulkanDevice, batch: VulkanBatch, timeline: VkSemaphore) -> VkResult {
        var waitSemaphores: [VkSemaphore?] = [timeline] + batch.waits.map(\.0)
        var waitValues: [UInt64] = [batch.value - 1] + batch.waits.map(\.1)
        var waitStages = [UInt32](repeating: UInt32(VK_PIPELINE_STAGE_ALL_COMMANDS_BIT.rawValue), count: waitValues.count)
        var signalSemaphore: VkSemaphore? = timeline
        var signalValue = batch.value
        var commandBuffer: VkCommandBuffer? = batch.commandBuffer
        return waitSemaphores.withUnsafeMutableBufferPointer { semaphores in
            waitValues.withUnsafeMutableBufferPointer { values in
                waitStages.withUnsafeMutableBufferPointer { stages in
                    withUnsafeMutablePointer(to: &signalSemaphore) { signal in
                        withUnsafeMutablePointer(to: &signalValue) { signalValuePointer in
                            withUnsafeMutablePointer(to: &commandBuffer) { commandBufferPointer in
                                var timelineInfo = VkTimelineSemaphoreSubmitInfo()
                                timelineInfo.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO
                                timelineInfo.waitSemaphoreValueCount = UInt32(values.count)
                                timelineInfo.pWaitSemaphoreValues = UnsafePointer(values.baseAddress)
                                timelineInfo.signalSemaphoreValueCount = 1
                                timelineInfo.pSignalSemaphoreValues = UnsafePointer(signalValuePointer)
                                return withUnsafePointer(to: &timelineInfo) { timelinePointer in
                                    var info = VkSubmitInfo()
                                    info.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO
                                    info.pNext = UnsafeRawPointer(timelinePointer)
                                    info.waitSemaphoreCount = UInt32(semaphores.count)
                                    info.pWaitSemaphores = UnsafePointer(semaphores.baseAddress)
                                    info.pWaitDstStageMask = UnsafePointer(stages.baseAddress)
                                    info.commandBufferCount = 1
                                    info.pCommandBuffers = UnsafePointer(commandBufferPointer)
                                    info.signalSemaphoreCount = 1
                                    info.pSignalSemaphores = UnsafePointer(signal)
                                    return device.submissionLock.withLock { _ in
                                        device.functions.vkQueueSubmit!(device.queue, 1, &info, nil)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
