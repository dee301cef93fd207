/// The checks every backend makes on an op's operands before it queues the op, each throwing
/// the `invalidArgument` a caller can act on. Backends add their own (whose buffer it is).
extension StridedOperand {
    /// Throws unless the operand lies inside its buffer and has `dtype`. An output must not
    /// broadcast: a stride of 0 along a dimension longer than 1 would write one element twice.
    /// `role` ("input", "output", …) names the operand in the error.
    public func check(as role: String, dtype: DType, isOutput: Bool = false) throws(DeviceError) {
        try checkBounds()
        guard self.dtype == dtype else {
            throw .invalidArgument("the \(role) is \(self.dtype), it must be \(dtype)")
        }
        if isOutput, elementCount > 1, zip(shape, strides).contains(where: { $0 > 1 && $1 == 0 }) {
            throw .invalidArgument("the \(role) has a stride of 0 (shape \(shape), strides \(strides))")
        }
    }

    /// Throws unless `other` has this operand's shape; `role` and `otherRole` name the two
    /// in the error. Both are borrowed, not copied: element-wise kernels check on every op.
    public func checkSameShape(_ role: String, as other: StridedOperand, _ otherRole: String) throws(DeviceError) {
        guard shape != other.shape else { return }
        throw .invalidArgument("the \(role) has shape \(shape) but the \(otherRole) has \(other.shape)")
    }
}

extension UnaryOp {
    /// The dtype `op` writes for an input of `dtype`.
    public func outputType(for dtype: DType) -> DType { producesBool ? .bool : dtype }
}

extension BinaryOp {
    /// Throws unless `lhs` and `rhs` have one dtype; returns the dtype the output must have.
    public func outputType(lhs: StridedOperand, rhs: StridedOperand) throws(DeviceError) -> DType {
        guard lhs.dtype == rhs.dtype else {
            throw .invalidArgument("\(self) needs operands of one dtype, not \(lhs.dtype) and \(rhs.dtype)")
        }
        return producesBool ? .bool : lhs.dtype
    }
}

extension ReductionOp {
    /// Whether the reduction has a value over an empty axis (sum and sum of squares 0, prod 1,
    /// any false, all true).
    public var allowsEmptyAxis: Bool {
        switch self {
        case .sum, .prod, .any, .all, .sumOfSquares: true
        case .max, .min, .argmax, .argmin: false
        }
    }

    /// Throws unless `axis` is an axis of `input`, `output` has the input's shape with that axis
    /// made 1, and the axis is not empty where the reduction needs a value. Returns that shape.
    public func checkShapes(input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) -> [Int] {
        guard input.shape.indices.contains(axis) else {
            throw .invalidArgument("axis \(axis) is not an axis of shape \(input.shape)")
        }
        var reducedShape = input.shape
        reducedShape[axis] = 1
        guard output.shape == reducedShape else {
            throw .invalidArgument("reducing axis \(axis) of shape \(input.shape) gives shape \(reducedShape), "
                + "not the output's \(output.shape)")
        }
        guard input.shape[axis] > 0 || allowsEmptyAxis || output.elementCount == 0 else {
            throw .invalidArgument("\(self) of an empty axis has no value")
        }
        return reducedShape
    }
}

extension AxisOp {
    /// Throws unless `output` has the input's shape and `axis` is one of its axes.
    public func checkShapes(input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try input.checkSameShape("input", as: output, "output")
        guard input.shape.indices.contains(axis) else {
            throw .invalidArgument("axis \(axis) is not an axis of shape \(input.shape)")
        }
    }
}

extension StridedOperand {
    /// Throws unless this operand (an argsort's input) and `output` (int64, of its shape) lie
    /// inside their buffers, the output does not broadcast, and `axis` is one of its axes.
    public func checkArgsort(axis: Int, output: StridedOperand) throws(DeviceError) {
        try check(as: "input", dtype: dtype)
        try output.check(as: "output", dtype: .int64, isOutput: true)
        try checkSameShape("input", as: output, "output")
        guard shape.indices.contains(axis) else { throw .invalidArgument("axis \(axis) is not an axis of shape \(shape)") }
    }

    /// Throws unless `output` is int64 and of this operand's shape but `k` long along `axis`,
    /// with `k` at most the axis's length.
    public func checkTopk(axis: Int, k: Int, output: StridedOperand) throws(DeviceError) {
        try check(as: "input", dtype: dtype)
        try output.check(as: "output", dtype: .int64, isOutput: true)
        guard shape.indices.contains(axis) else { throw .invalidArgument("axis \(axis) is not an axis of shape \(shape)") }
        guard (0...shape[axis]).contains(k) else {
            throw .invalidArgument("k \(k) is outside 0...\(shape[axis]), the length of axis \(axis)")
        }
        var expected = shape
        expected[axis] = k
        guard output.shape == expected else {
            throw .invalidArgument("the output has shape \(output.shape), not \(expected) (the input's with k along the axis)")
        }
    }
}

extension FillPattern {
    /// Throws unless the pattern has 1, 2, 4 or 8 bytes and `region` holds a whole number of
    /// them.
    public func check(over region: BufferRegion) throws(DeviceError) {
        guard [1, 2, 4, 8].contains(bytes.count) else {
            throw .invalidArgument("a fill pattern has 1, 2, 4 or 8 bytes, not \(bytes.count)")
        }
        guard region.byteCount % bytes.count == 0 else {
            throw .invalidArgument("\(region.byteCount) bytes are not a whole number of \(bytes.count)-byte patterns")
        }
    }
}

extension GemmOperation {
    /// Throws unless m, n, k and the batch count are not negative and m, n, k fit a 32-bit
    /// index (what BLAS and the kernels take).
    public func checkSizes() throws(DeviceError) {
        guard m >= 0, n >= 0, k >= 0, batchCount >= 0 else {
            throw .invalidArgument("gemm sizes must not be negative: m \(m), n \(n), k \(k), batchCount \(batchCount)")
        }
        guard max(m, n, k) <= Int(Int32.max) else {
            throw .invalidArgument("gemm sizes above \(Int32.max) are not supported: m \(m), n \(n), k \(k)")
        }
    }
}
