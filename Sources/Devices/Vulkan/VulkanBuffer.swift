import CVulkan

/// A VkBuffer bound to a range of a memory block (`VulkanMemoryAllocator`), reached by
/// shaders through its device address. Device buffers prefer device-local memory; staging
/// buffers are host-visible and mapped (`mappedAddress`). Freed when the last reference goes —
/// queued work holds references until it completes.
public final class VulkanBuffer: DeviceBuffer, @unchecked Sendable {
    // Sendable: every property is set once in init; contents are synchronised by queues.
    public let byteCount: Int
    let vulkan: VulkanDevice
    let handle: VkBuffer
    let allocation: VulkanMemoryAllocator.Allocation
    /// The buffer's first byte as shaders address it.
    let deviceAddress: UInt64

    public var device: any ComputeDevice { vulkan }

    /// The mapped first byte, for staging buffers (nil if the memory is not host-visible).
    var mappedAddress: UnsafeMutableRawPointer? { allocation.mapped }

    init(device: VulkanDevice, byteCount: Int, kind: VulkanMemoryAllocator.Usage) throws(DeviceError) {
        guard byteCount >= 0 else { throw .invalidArgument("a buffer cannot have \(byteCount) bytes") }
        let functions = device.functions
        var info = VkBufferCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO
        // Zero-byte buffers are not allowed in Vulkan: such a buffer holds 4 bytes nobody reads.
        info.size = UInt64(max(byteCount, 4) + 3) & ~3
        info.usage = UInt32(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT.rawValue | VK_BUFFER_USAGE_TRANSFER_SRC_BIT.rawValue
            | VK_BUFFER_USAGE_TRANSFER_DST_BIT.rawValue | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT.rawValue)
        info.sharingMode = VK_SHARING_MODE_EXCLUSIVE
        var buffer: VkBuffer?
        let created = functions.vkCreateBuffer!(device.handle, &info, nil, &buffer)
        guard created == VK_SUCCESS, let buffer else {
            throw created == VK_SUCCESS ? .driver(device: device.id, call: "vkCreateBuffer", code: 0)
                : device.error(created, call: "vkCreateBuffer", bytes: byteCount)
        }
        var requirements = VkMemoryRequirements()
        functions.vkGetBufferMemoryRequirements!(device.handle, buffer, &requirements)
        let allocation: VulkanMemoryAllocator.Allocation
        do {
            allocation = try device.memory.allocate(requirements, usage: kind)
        } catch {
            functions.vkDestroyBuffer!(device.handle, buffer, nil)
            if case .outOfMemory = error {
                throw .outOfMemory(device: device.id, requestedBytes: byteCount, availableBytes: device.freeMemoryBytes)
            }
            throw error
        }
        let bound = functions.vkBindBufferMemory!(device.handle, buffer, allocation.memory, allocation.offset)
        guard bound == VK_SUCCESS else {
            functions.vkDestroyBuffer!(device.handle, buffer, nil)
            device.memory.release(allocation)
            throw device.error(bound, call: "vkBindBufferMemory", bytes: byteCount)
        }
        var addressInfo = VkBufferDeviceAddressInfo()
        addressInfo.sType = VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO
        addressInfo.buffer = buffer
        self.deviceAddress = functions.vkGetBufferDeviceAddress!(device.handle, &addressInfo)
        self.byteCount = byteCount
        self.vulkan = device
        self.handle = buffer
        self.allocation = allocation
    }

    deinit {
        vulkan.functions.vkDestroyBuffer!(vulkan.handle, handle, nil)
        vulkan.memory.release(allocation)
    }
}
