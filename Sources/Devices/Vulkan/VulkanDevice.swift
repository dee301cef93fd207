import CVulkan
import Synchronization

/// One Vulkan physical device as a compute device (`vulkan:N`): a logical device with one
/// compute queue (shared by every `VulkanQueue`, each a stream with its own timeline
/// semaphore), buffers sub-allocated from large memory blocks, and compute pipelines built
/// on first use from the SPIR-V in CVulkanShaders.
///
/// int64 and float64 kernels exist when the device has both shaderInt64 and shaderFloat64
/// ("wide" shader variants); subgroup shuffles speed up reductions where the compute stage
/// has them (a shared-memory tree otherwise).
public final class VulkanDevice: ComputeDevice, @unchecked Sendable {
    // Sendable: handles and tables are written once in init; mutable state is behind Mutexes
    // (the VkQueue behind `submissionLock`, as Vulkan requires external synchronisation).
    public let id: DeviceID
    public let properties: DeviceProperties
    let handle: VkDevice
    let functions: ds_vulkan_device_functions
    let support: ds_vulkan_compute_support
    /// int64 / float64 kernels (shaderInt64 and shaderFloat64 both present and enabled).
    let hasWideTypes: Bool
    /// Whether the device has subgroup shuffles in compute (basic + shuffle-relative).
    let hasSubgroupShuffles: Bool
    /// Reductions combine with subgroup shuffles when true (the default where the device has
    /// them), with a shared-memory tree otherwise; tests turn it off to check the fallback.
    let reducesWithSubgroups = Atomic<Bool>(false)
    var usesSubgroups: Bool { reducesWithSubgroups.load(ordering: .relaxed) }
    let queue: VkQueue
    let submissionLock = Mutex<Void>(())
    let memory: VulkanMemoryAllocator
    let pipelines: VulkanPipelines
    /// Staging buffers kept for reuse by host transfers.
    let staging = VulkanStagingPool()
    /// Set once a call reported VK_ERROR_DEVICE_LOST; every queue fails from then on.
    let lostReason = Mutex<String?>(nil)

    init(id: DeviceID, properties: DeviceProperties, instance: VulkanInstance, physical: VkPhysicalDevice) throws(DeviceError) {
        var instanceTable = instance.raw
        var support = ds_vulkan_compute_support()
        ds_vulkan_query_compute_support(&instanceTable, physical, &support)
        var missing: [String] = []
        if support.api_1_2 == 0 { missing.append("Vulkan 1.2") }
        if support.buffer_device_address == 0 { missing.append("bufferDeviceAddress") }
        if support.timeline_semaphore == 0 { missing.append("timelineSemaphore") }
        if support.storage_buffer_8bit == 0 { missing.append("storageBuffer8BitAccess") }
        if support.storage_buffer_16bit == 0 { missing.append("storageBuffer16BitAccess") }
        guard missing.isEmpty else {
            throw .noDevice(request: "\(id)", reason: "\(properties.name) lacks " + missing.joined(separator: ", "))
        }
        let wide = support.shader_int64 != 0 && support.shader_float64 != 0
        var device: VkDevice?
        var table = ds_vulkan_device_functions()
        var missingEntryPoint: UnsafePointer<CChar>?
        let result = ds_vulkan_create_compute_device(&instanceTable, physical, &support, wide ? 1 : 0, &device, &table, &missingEntryPoint)
        guard result == VK_SUCCESS, let device else {
            let name = missingEntryPoint.map { String(cString: $0) }
            throw name.map { .compileFailed(device: id, log: "the driver has no \($0)") }
                ?? .driver(device: id, call: "vkCreateDevice", code: Int(result.rawValue))
        }
        var queue: VkQueue?
        table.vkGetDeviceQueue!(device, support.queue_family, 0, &queue)
        guard let queue else { throw .driver(device: id, call: "vkGetDeviceQueue", code: 0) }

        self.id = id
        self.properties = properties
        self.handle = device
        self.functions = table
        self.support = support
        self.hasWideTypes = wide
        let required = UInt32(VK_SUBGROUP_FEATURE_BASIC_BIT.rawValue | VK_SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT.rawValue)
        self.hasSubgroupShuffles = support.subgroup_compute != 0 && support.subgroup_operations & required == required
            && support.subgroup_size > 0 && support.subgroup_size <= 128
        self.queue = queue
        reducesWithSubgroups.store(hasSubgroupShuffles, ordering: .relaxed)
        self.memory = VulkanMemoryAllocator(deviceID: id, device: device, functions: table, properties: support.memory)
        self.pipelines = VulkanPipelines(deviceID: id, device: device, functions: table,
                                         pushConstantBytes: min(128, support.limits.maxPushConstantsSize))
    }

    public func supports(_ op: KernelOp, _ dtype: DType) -> Bool {
        VulkanSupport.supports(op, dtype, wide: hasWideTypes)
    }

    public func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer {
        try VulkanBuffer(device: self, byteCount: byteCount, kind: .device)
    }

    public func makeQueue() throws(DeviceError) -> any DeviceQueue {
        try checkNotLost()
        return try VulkanQueue(device: self)
    }

    /// Device memory blocks (VkDeviceMemory objects) currently allocated for buffers.
    public var memoryBlockCount: Int { memory.blockCount }

    /// VK_EXT_memory_budget is not used, so the driver reports no free memory.
    public var freeMemoryBytes: UInt64? { nil }

    /// Device ticks per nanosecond conversion for timestamps (VkPhysicalDeviceLimits.timestampPeriod).
    var timestampPeriod: Double { Double(support.timestamp_period) }

    func checkNotLost() throws(DeviceError) {
        if let reason = lostReason.withLock({ $0 }) { throw .deviceLost(device: id, reason: reason) }
    }

    /// The error a failed Vulkan call means: lost device, out of memory, or a driver code.
    func error(_ result: VkResult, call: String, bytes: Int = 0) -> DeviceError {
        switch result {
        case VK_ERROR_DEVICE_LOST:
            let reason = "\(call) returned VK_ERROR_DEVICE_LOST"
            lostReason.withLock { if $0 == nil { $0 = reason } }
            return .deviceLost(device: id, reason: reason)
        case VK_ERROR_OUT_OF_DEVICE_MEMORY, VK_ERROR_OUT_OF_HOST_MEMORY:
            return .outOfMemory(device: id, requestedBytes: bytes, availableBytes: nil)
        default:
            return .driver(device: id, call: call, code: Int(result.rawValue))
        }
    }
}
