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

    /// Checks that `operand` lies inside a buffer the queue reaches and has `dtype`; an output
    /// must not broadcast.
    static func operand(
        _ operand: StridedOperand, role: String, dtype: DType, isOutput: Bool = false, on device: OpenCLDevice
    ) throws(DeviceError) -> OpenCLBuffer {
        let buffer = try buffer(operand.buffer, role: role, on: device)
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
            throw .invalidArgument("the \(first.role) has shape \(first.operand.shape) but the \(other.role) has "
                + "\(other.operand.shape)")
        }
    }
}
