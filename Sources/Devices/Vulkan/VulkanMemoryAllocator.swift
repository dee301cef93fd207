import CVulkan
import Synchronization

/// Carves buffers out of large VkDeviceMemory blocks (drivers limit the number of
/// allocations, and each costs a kernel call): per memory type, blocks of `blockSize`
/// bytes with a first-fit free list that coalesces on release. A request above half a
/// block gets a block of its own. Every block is allocated with the device-address flag
/// (shaders reach buffers by address) and, when host-visible, mapped once for its lifetime.
final class VulkanMemoryAllocator: @unchecked Sendable {
    // Sendable: the handles are immutable; the blocks live behind `blocks`.
    /// Where an allocation lives: its block, its byte offset there, and its host address
    /// when the block is mapped.
    struct Allocation: @unchecked Sendable {  // handles and addresses: plain values
        let memory: VkDeviceMemory
        let blockID: Int
        let offset: UInt64
        let size: UInt64
        let mapped: UnsafeMutableRawPointer?
    }

    /// What a buffer needs from its memory.
    enum Usage {
        /// Device-local when the device has such memory (any type otherwise).
        case device
        /// Host-visible and coherent, for staging; host-cached preferred (host reads).
        case staging
    }

    private struct Block: @unchecked Sendable {  // owned by `blocks`
        let memory: VkDeviceMemory
        let typeIndex: UInt32
        let size: UInt64
        let mapped: UnsafeMutableRawPointer?
        /// Free ranges, sorted by offset, never adjacent.
        var free: [(offset: UInt64, size: UInt64)]
        var isEmpty: Bool { free.count == 1 && free[0].size == size }
    }

    static let blockSize: UInt64 = 64 << 20

    private let deviceID: DeviceID
    private let device: VkDevice
    private let functions: ds_vulkan_device_functions
    private let properties: VkPhysicalDeviceMemoryProperties
    private let blocks = Mutex<(next: Int, all: [Int: Block])>((0, [:]))

    init(deviceID: DeviceID, device: VkDevice, functions: ds_vulkan_device_functions, properties: VkPhysicalDeviceMemoryProperties) {
        self.deviceID = deviceID
        self.device = device
        self.functions = functions
        self.properties = properties
    }

    /// VkDeviceMemory blocks currently allocated.
    var blockCount: Int { blocks.withLock { $0.all.count } }

    /// The memory type for `usage` among `allowed` (a bit mask from the requirements).
    func memoryType(for usage: Usage, allowed: UInt32) -> UInt32? {
        let deviceLocal = UInt32(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT.rawValue)
        let hostVisible = UInt32(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT.rawValue | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT.rawValue)
        let hostCached = UInt32(VK_MEMORY_PROPERTY_HOST_CACHED_BIT.rawValue)
        let preferences: [UInt32] = switch usage {
        case .device: [deviceLocal, 0]
        case .staging: [hostVisible | hostCached, hostVisible]
        }
        let types = withUnsafeBytes(of: properties.memoryTypes) { Array($0.bindMemory(to: VkMemoryType.self).prefix(Int(properties.memoryTypeCount))) }
        for wanted in preferences {
            for (index, type) in types.enumerated() where allowed & (1 << UInt32(index)) != 0 && type.propertyFlags & wanted == wanted {
                return UInt32(index)
            }
        }
        return nil
    }

    private func heapSize(ofType typeIndex: UInt32) -> UInt64 {
        let types = withUnsafeBytes(of: properties.memoryTypes) { Array($0.bindMemory(to: VkMemoryType.self)) }
        let heaps = withUnsafeBytes(of: properties.memoryHeaps) { Array($0.bindMemory(to: VkMemoryHeap.self)) }
        return heaps[Int(types[Int(typeIndex)].heapIndex)].size
    }

    func allocate(_ requirements: VkMemoryRequirements, usage: Usage) throws(DeviceError) -> Allocation {
        guard let typeIndex = memoryType(for: usage, allowed: requirements.memoryTypeBits) else {
            throw .driver(device: deviceID, call: "no memory type for a \(usage) buffer", code: 0)
        }
        let alignment = max(requirements.alignment, 256)
        let size = (requirements.size + alignment - 1) / alignment * alignment
        guard size <= heapSize(ofType: typeIndex) else {
            throw .outOfMemory(device: deviceID, requestedBytes: Int(clamping: requirements.size), availableBytes: nil)
        }
        if size <= Self.blockSize / 2, let found = carve(size: size, alignment: alignment, typeIndex: typeIndex) {
            return found
        }
        let block = try newBlock(size: max(size, size <= Self.blockSize / 2 ? Self.blockSize : size), typeIndex: typeIndex)
        let id = blocks.withLock { state in
            let id = state.next
            state.next += 1
            state.all[id] = block
            return id
        }
        return carve(size: size, alignment: alignment, typeIndex: typeIndex, only: id)!
    }

    /// First fit over the blocks of `typeIndex` (or only block `only`).
    private func carve(size: UInt64, alignment: UInt64, typeIndex: UInt32, only: Int? = nil) -> Allocation? {
        blocks.withLock { state in
            for id in state.all.keys.sorted() where only == nil || id == only {
                guard var block = state.all[id], block.typeIndex == typeIndex else { continue }
                for (slot, range) in block.free.enumerated() {
                    let start = (range.offset + alignment - 1) / alignment * alignment
                    guard start + size <= range.offset + range.size else { continue }
                    var replacement: [(offset: UInt64, size: UInt64)] = []
                    if start > range.offset { replacement.append((range.offset, start - range.offset)) }
                    let end = start + size
                    if end < range.offset + range.size { replacement.append((end, range.offset + range.size - end)) }
                    block.free.replaceSubrange(slot...slot, with: replacement)
                    state.all[id] = block
                    return Allocation(memory: block.memory, blockID: id, offset: start, size: size,
                                      mapped: block.mapped.map { $0 + Int(start) })
                }
            }
            return nil
        }
    }

    private func newBlock(size: UInt64, typeIndex: UInt32) throws(DeviceError) -> Block {
        var flags = VkMemoryAllocateFlagsInfo()
        flags.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO
        flags.flags = UInt32(VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT.rawValue)
        var memory: VkDeviceMemory?
        let result = withUnsafePointer(to: &flags) { flagsPointer in
            var info = VkMemoryAllocateInfo()
            info.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO
            info.pNext = UnsafeRawPointer(flagsPointer)
            info.allocationSize = size
            info.memoryTypeIndex = typeIndex
            return functions.vkAllocateMemory!(device, &info, nil, &memory)
        }
        guard result == VK_SUCCESS, let memory else {
            if result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY || result == VK_SUCCESS {
                throw .outOfMemory(device: deviceID, requestedBytes: Int(clamping: size), availableBytes: nil)
            }
            throw .driver(device: deviceID, call: "vkAllocateMemory", code: Int(result.rawValue))
        }
        var mapped: UnsafeMutableRawPointer?
        let types = withUnsafeBytes(of: properties.memoryTypes) { Array($0.bindMemory(to: VkMemoryType.self)) }
        if types[Int(typeIndex)].propertyFlags & UInt32(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT.rawValue) != 0 {
            if functions.vkMapMemory!(device, memory, 0, UInt64(VK_WHOLE_SIZE), 0, &mapped) != VK_SUCCESS { mapped = nil }
        }
        return Block(memory: memory, typeIndex: typeIndex, size: size, mapped: mapped, free: [(0, size)])
    }

    /// Returns an allocation's range; a block left empty is freed unless it is the last
    /// standard-size block of its type (kept for the next buffers).
    func release(_ allocation: Allocation) {
        let freed: VulkanHandle? = blocks.withLock { state in
            guard var block = state.all[allocation.blockID] else { return nil }
            var free = block.free
            let index = free.firstIndex { $0.offset > allocation.offset } ?? free.count
            free.insert((allocation.offset, allocation.size), at: index)
            if index + 1 < free.count, free[index].offset + free[index].size == free[index + 1].offset {
                free[index].size += free[index + 1].size
                free.remove(at: index + 1)
            }
            if index > 0, free[index - 1].offset + free[index - 1].size == free[index].offset {
                free[index - 1].size += free[index].size
                free.remove(at: index)
            }
            block.free = free
            state.all[allocation.blockID] = block
            guard block.isEmpty else { return nil }
            let spare = state.all.contains { $0.key != allocation.blockID && $0.value.typeIndex == block.typeIndex && $0.value.isEmpty }
            guard block.size != Self.blockSize || spare else { return nil }
            state.all[allocation.blockID] = nil
            return VulkanHandle(block.memory)
        }
        if let freed { functions.vkFreeMemory!(device, freed.raw, nil) }
    }
}
