import CVulkan
import CVulkanShaders
import Synchronization

/// Compute pipelines, built on first use and kept for the device's life: one per shader
/// variant and set of specialization constants (op, dtypes, tile and workgroup sizes). All
/// share one layout: no descriptor sets (buffers are device addresses), `pushConstantBytes`
/// of push constants.
final class VulkanPipelines: @unchecked Sendable {
    // Sendable: handles are immutable; the caches live behind `cache`.
    struct Key: Hashable {
        let shader: ds_vulkan_shader_id
        let constants: [Int32]
    }

    let layout: VkPipelineLayout?
    let pushConstantBytes: UInt32
    private let deviceID: DeviceID
    private let device: VkDevice
    private let functions: ds_vulkan_device_functions
    private struct Cache: @unchecked Sendable {  // owned by `cache`
        var modules: [UInt32: VkShaderModule] = [:]
        var pipelines: [Key: VkPipeline] = [:]
    }

    private let cache = Mutex(Cache())
    private let layoutError: VkResult

    init(deviceID: DeviceID, device: VkDevice, functions: ds_vulkan_device_functions, pushConstantBytes: UInt32) {
        self.deviceID = deviceID
        self.device = device
        self.functions = functions
        self.pushConstantBytes = pushConstantBytes
        var range = VkPushConstantRange(stageFlags: UInt32(VK_SHADER_STAGE_COMPUTE_BIT.rawValue), offset: 0, size: pushConstantBytes)
        var info = VkPipelineLayoutCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO
        var layout: VkPipelineLayout?
        layoutError = withUnsafePointer(to: &range) { rangePointer in
            info.pushConstantRangeCount = 1
            info.pPushConstantRanges = rangePointer
            return functions.vkCreatePipelineLayout!(device, &info, nil, &layout)
        }
        self.layout = layout
    }

    /// The pipeline of `shader` with specialization constants 0, 1, 2, … set to `constants`.
    func pipeline(_ shader: ds_vulkan_shader_id, constants: [Int32]) throws(DeviceError) -> VkPipeline {
        let key = Key(shader: shader, constants: constants)
        let result: Result<VulkanHandle, DeviceError> = cache.withLock { cache in
            if let found = cache.pipelines[key] { return .success(VulkanHandle(found)) }
            guard layoutError == VK_SUCCESS, let layout else {
                return .failure(.driver(device: deviceID, call: "vkCreatePipelineLayout", code: Int(layoutError.rawValue)))
            }
            let module: VkShaderModule
            if let existing = cache.modules[shader.rawValue] {
                module = existing
            } else {
                switch makeModule(shader) {
                case let .success(made): module = made
                case let .failure(error): return .failure(error)
                }
                cache.modules[shader.rawValue] = module
            }
            switch makePipeline(module: module, layout: layout, constants: constants) {
            case let .success(pipeline):
                cache.pipelines[key] = pipeline
                return .success(VulkanHandle(pipeline))
            case let .failure(error):
                return .failure(error)
            }
        }
        return try result.get().raw
    }

    private func makeModule(_ shader: ds_vulkan_shader_id) -> Result<VkShaderModule, DeviceError> {
        var byteCount = 0
        guard let code = ds_vulkan_shader_code(shader, &byteCount) else {
            return .failure(.compileFailed(device: deviceID, log: "no SPIR-V for shader \(shader.rawValue)"))
        }
        var info = VkShaderModuleCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO
        info.codeSize = byteCount
        info.pCode = code
        var module: VkShaderModule?
        let result = functions.vkCreateShaderModule!(device, &info, nil, &module)
        guard result == VK_SUCCESS, let module else {
            return .failure(.compileFailed(device: deviceID, log: "vkCreateShaderModule returned \(String(cString: ds_vulkan_result_name(result)))"))
        }
        return .success(module)
    }

    private func makePipeline(module: VkShaderModule, layout: VkPipelineLayout, constants: [Int32]) -> Result<VkPipeline, DeviceError> {
        let entries = constants.indices.map { index in
            VkSpecializationMapEntry(constantID: UInt32(index), offset: UInt32(index * 4), size: 4)
        }
        var pipeline: VkPipeline?
        let result = entries.withUnsafeBufferPointer { entryPointer in
            constants.withUnsafeBytes { data in
                var specialization = VkSpecializationInfo(
                    mapEntryCount: UInt32(entries.count), pMapEntries: entryPointer.baseAddress,
                    dataSize: data.count, pData: data.baseAddress)
                return withUnsafePointer(to: &specialization) { specializationPointer in
                    "main".withCString { entryName in
                        var info = VkComputePipelineCreateInfo()
                        info.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO
                        info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO
                        info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT
                        info.stage.module = module
                        info.stage.pName = entryName
                        info.stage.pSpecializationInfo = specializationPointer
                        info.layout = layout
                        return functions.vkCreateComputePipelines!(device, nil, 1, &info, nil, &pipeline)
                    }
                }
            }
        }
        guard result == VK_SUCCESS, let pipeline else {
            return .failure(.compileFailed(device: deviceID, log: "vkCreateComputePipelines returned \(String(cString: ds_vulkan_result_name(result)))"))
        }
        return .success(pipeline)
    }
}
