/// The checks a `CPUQueue` makes before it queues work, each throwing the error a caller
/// can act on. After them, kernels index memory without further checks.
enum CPUValidation {
    static func buffer(_ buffer: any DeviceBuffer, role: String) throws(DeviceError) -> CPUBuffer {
        guard let buffer = buffer as? CPUBuffer else {
            throw .invalidArgument("the \(role) is a buffer of \(buffer.device.id), not of cpu:0")
        }
        return buffer
    }

    /// The region's first byte, once it is known to lie inside a CPU buffer.
    static func region(_ region: BufferRegion, role: String) throws(DeviceError) -> (CPUBuffer, UnsafeMutableRawPointer) {
        let buffer = try buffer(region.buffer, role: role)
        _ = try region.validated()
        return (buffer, buffer.baseAddress + region.offset)
    }

    /// Checks that `operand` lies inside a CPU buffer and has `dtype` (see `StridedOperand.check`).
    static func operand(
        _ operand: StridedOperand, role: String, dtype: DType, isOutput: Bool = false
    ) throws(DeviceError) -> CPUBuffer {
        let buffer = try buffer(operand.buffer, role: role)
        try operand.check(as: role, dtype: dtype, isOutput: isOutput)
        return buffer
    }
}
