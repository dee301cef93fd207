/// The checks a `CPUQueue` makes before it queues work, each throwing the error a caller
/// can act on. After them, kernels index memory without further checks.
enum CPUValidation {
    static func buffer(_ buffer: any DeviceBuffer, role: String) throws(DeviceError) -> CPUBuffer {
        guard let buffer = buffer as? CPUBuffer else {
            throw .invalidArgument("the \(role) is a buffer of \(buffer.device.id), not of cpu:0")
        }
        return buffer
    }

    /// The region's first byte, once it is known to lie inside a CPU buffer. Only the address
    /// is returned: work that outlives the call keeps `region.buffer` alive itself, and work
    /// that runs at once (a small copy) needs no reference counted for it.
    static func address(of region: BufferRegion, role: String) throws(DeviceError) -> UnsafeMutableRawPointer {
        // The cast's buffer is only read, in place, so it is not retained; the bounds are
        // `BufferRegion.validated`'s, read from the CPU buffer directly.
        guard let buffer = region.buffer as? CPUBuffer else {
            throw .invalidArgument("the \(role) is a buffer of \(region.buffer.device.id), not of cpu:0")
        }
        let (offset, byteCount) = (region.offset, region.byteCount)
        guard offset >= 0, byteCount >= 0, offset <= buffer.byteCount, byteCount <= buffer.byteCount - offset else {
            throw region.boundsError
        }
        return buffer.baseAddress + offset
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
