/// The checks every backend makes on `select`, `gather` and `scatter` operands before it queues the op,
/// each throwing the `invalidArgument` a caller can act on (see `OperandChecks`).
extension StridedOperand {
    /// Throws unless `condition` (bool), `whenTrue`, `whenFalse` and `output` (one dtype) lie
    /// inside their buffers and have one shape, and the output does not broadcast.
    public static func checkSelect(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                                   output: StridedOperand) throws(DeviceError) {
        try condition.check(as: "condition", dtype: .bool)
        try whenTrue.check(as: "value where true", dtype: output.dtype)
        try whenFalse.check(as: "value where false", dtype: output.dtype)
        try output.check(as: "output", dtype: output.dtype, isOutput: true)
        try output.checkSameShape("output", as: condition, "condition")
        try output.checkSameShape("output", as: whenTrue, "value where true")
        try output.checkSameShape("output", as: whenFalse, "value where false")
    }

    /// Throws unless this operand (a gather's input), `index` (int64) and `output` lie inside
    /// their buffers; `index` has the output's shape; the input has the output's dtype and rank,
    /// `axis` is one of its axes, and outside `axis` it is no smaller than the output; and
    /// unless `outOfRange` is nil or 4 bytes at a multiple of 4 inside its buffer.
    public func checkGather(index: StridedOperand, axis: Int, output: StridedOperand,
                            outOfRange: BufferRegion? = nil) throws(DeviceError) {
        try Self.checkOutOfRangeFlag(outOfRange)
        try check(as: "input", dtype: output.dtype)
        try index.check(as: "index", dtype: .int64)
        try output.check(as: "output", dtype: output.dtype, isOutput: true)
        try index.checkSameShape("index", as: output, "output")
        try checkCovers(output, along: axis, "a gather", "input", "output")
    }

    /// Throws unless this operand (a scatter's output), `index` (int64) and `source` lie
    /// inside their buffers; `source` has the index's shape and the output's dtype; the output
    /// has the index's rank, `axis` is one of its axes, and outside `axis` it is no smaller
    /// than the index; and unless `outOfRange` is nil or 4 bytes at a multiple of 4 inside
    /// its buffer.
    public func checkScatter(source: StridedOperand, index: StridedOperand, axis: Int,
                             outOfRange: BufferRegion? = nil) throws(DeviceError) {
        try Self.checkOutOfRangeFlag(outOfRange)
        try source.check(as: "source", dtype: dtype)
        try index.check(as: "index", dtype: .int64)
        try check(as: "output", dtype: dtype, isOutput: true)
        try source.checkSameShape("source", as: index, "index")
        try checkCovers(index, along: axis, "a scatter", "output", "index")
    }

    /// Throws unless `outOfRange` is nil or 4 bytes at a multiple of 4 inside its buffer.
    private static func checkOutOfRangeFlag(_ outOfRange: BufferRegion?) throws(DeviceError) {
        guard let outOfRange else { return }
        guard outOfRange.byteCount == 4, outOfRange.offset >= 0, outOfRange.offset % 4 == 0,
              outOfRange.offset + 4 <= outOfRange.buffer.byteCount else {
            throw .invalidArgument("the out-of-range flag must be 4 bytes at a multiple of 4 inside its buffer, not \(outOfRange.byteCount) bytes at offset \(outOfRange.offset) of a \(outOfRange.buffer.byteCount)-byte buffer")
        }
    }

    /// Throws unless this operand (the one indexed along `axis`) has `other`'s rank, `axis`
    /// is one of its axes, and outside `axis` it is no smaller than `other`.
    private func checkCovers(_ other: StridedOperand, along axis: Int, _ op: String, _ role: String,
                             _ otherRole: String) throws(DeviceError) {
        guard shape.count == other.shape.count, shape.indices.contains(axis) else {
            throw .invalidArgument("\(op) along axis \(axis) needs an \(role) of the \(otherRole)'s rank \(other.shape.count), not shape \(shape)")
        }
        for dimension in shape.indices where dimension != axis && shape[dimension] < other.shape[dimension] {
            throw .invalidArgument("the \(role) \(shape) is smaller than the \(otherRole) \(other.shape) in dimension \(dimension)")
        }
    }
}
