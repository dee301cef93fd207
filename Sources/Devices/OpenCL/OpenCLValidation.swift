/// The checks an `OpenCLQueue` makes before it enqueues work, each throwing the error a
/// caller can act on.
enum OpenCLValidation {
    /// `buffer` as an OpenCL buffer of `device`'s context (the queue can reach it).
    static func buffer(_ buffer: any DeviceBuffer, role: String, on device: OpenCLDevice) throws(DeviceError) -> OpenCLBuffer {
        guard let buffer = buffer as? OpenCLBuffer else {
            throw .invalidArgument("the \(role) is a buffer of \(buffer.device.id), not of an OpenCL device")
        }
        guard buffer.owner.context === device.context else {
            throw .invalidArgument("the \(role) is a buffer of \(buffer.owner.id), whose OpenCL context (platform) "
                + "is not \(device.id)'s; copy through the host")
        }
        return buffer
    }

    static func region(_ region: BufferRegion, role: String, on device: OpenCLDevice) throws(DeviceError) -> OpenCLBuffer {
        let buffer = try buffer(region.buffer, role: role, on: device)
        _ = try region.validated()
        return buffer
    }

    /// Checks that `operand` lies inside a buffer the queue reaches and has `dtype` (see
    /// `StridedOperand.check`).
    static func operand(
        _ operand: StridedOperand, role: String, dtype: DType, isOutput: Bool = false, on device: OpenCLDevice
    ) throws(DeviceError) -> OpenCLBuffer {
        let buffer = try buffer(operand.buffer, role: role, on: device)
        try operand.check(as: role, dtype: dtype, isOutput: isOutput)
        return buffer
    }
}
