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

    /// Checks that `operand` lies inside a buffer of `device` and has `dtype`; an output must
    /// not broadcast (a stride of 0 along a dimension longer than 1).
    static func operand(_ operand: StridedOperand, role: String, dtype: DType, device: VulkanDevice,
                        isOutput: Bool = false) throws(DeviceError) -> VulkanBuffer {
        let buffer = try buffer(operand.buffer, role: role, device: device)
        _ = try operand.validated()
        guard operand.dtype == dtype else {
            throw .invalidArgument("the \(role) is \(operand.dtype), it must be \(dtype)")
        }
        if isOutput, operand.elementCount > 1, zip(operand.shape, operand.strides).contains(where: { $0 > 1 && $1 == 0 }) {
            throw .invalidArgument("the \(role) has a stride of 0 (shape \(operand.shape), strides \(operand.strides))")
        }
        return buffer
    }

    static func sameShape(_ operands: [(role: String, operand: StridedOperand)]) throws(DeviceError) {
        guard let first = operands.first else { return }
        for other in operands.dropFirst() where other.operand.shape != first.operand.shape {
            throw .invalidArgument("the \(first.role) has shape \(first.operand.shape) but the \(other.role) has \(other.operand.shape)")
        }
    }

    static func fill(_ pattern: FillPattern, over region: BufferRegion) throws(DeviceError) {
        guard [1, 2, 4, 8].contains(pattern.bytes.count) else {
            throw .invalidArgument("a fill pattern has 1, 2, 4 or 8 bytes, not \(pattern.bytes.count)")
        }
        guard region.byteCount % pattern.bytes.count == 0 else {
            throw .invalidArgument("\(region.byteCount) bytes are not a whole number of \(pattern.bytes.count)-byte patterns")
        }
    }

    /// Whether `op` has a value for an empty axis (as on the CPU).
    static func allowsEmptyAxis(_ op: ReductionOp) -> Bool {
        switch op {
        case .sum, .prod, .any, .all: true
        case .max, .min, .argmax, .argmin: false
        }
    }
}
