/// The checks a `VulkanQueue` makes before it records work, each throwing the error a caller
/// can act on; shaders then index memory without further checks.
enum VulkanValidation {
    static func buffer(_ buffer: any DeviceBuffer, role: String, device: VulkanDevice) throws(DeviceError) -> VulkanBuffer {
        guard let buffer = buffer as? VulkanBuffer, buffer.vulkan === device else {
            throw .invalidArgument("the \(role) is a buffer of \(buffer.device.id), not of \(device.id)")
        }
        return buffer
    }

    static func region(_ region: BufferRegion, role: String, device: VulkanDevice) throws(DeviceError) -> VulkanBuffer {
        let buffer = try buffer(region.buffer, role: role, device: device)
        _ = try region.validated()
        return buffer
    }

    /// Checks that `operand` lies inside a buffer of `device` and has `dtype` (see
    /// `StridedOperand.check`).
    static func operand(_ operand: StridedOperand, role: String, dtype: DType, device: VulkanDevice,
                        isOutput: Bool = false) throws(DeviceError) -> VulkanBuffer {
        let buffer = try buffer(operand.buffer, role: role, device: device)
        try operand.check(as: role, dtype: dtype, isOutput: isOutput)
        return buffer
    }
}
