/// Element-wise functions of two operands, with broadcasting and PyTorch's type promotion.
extension Tensor {
    /// `op` applied to `lhs` and `rhs` (at least one a tensor), computed in `computeType`
    /// (default: their promoted dtype), writing bool for comparisons and logical ops.
    static func binary(_ op: BinaryOp, _ lhs: ElementwiseOperand, _ rhs: ElementwiseOperand,
                       computeType: DType? = nil, api: String) throws(TensorError) -> Tensor {
        let tensors = [lhs.tensor, rhs.tensor].compactMap { $0 }
        guard let first = tensors.first else { throw .invalidArgument("\(api) needs at least one tensor operand") }
        try first.checkSameDevice(tensors)
        let dtype = computeType ?? ElementwiseOperand.resultType([lhs, rhs])
        let shape = try broadcastShape(tensors.map(\.shape))
        let left = try lhs.materialized(dtype, on: first.placement).broadcast(to: shape)
        let right = try rhs.materialized(dtype, on: first.placement).broadcast(to: shape)
        return try compute(.binary(op), dtype, api: api, inputs: [left, right], shape: shape,
                           outputDType: op.producesBool ? .bool : dtype) {
            queue, inputs, output throws(DeviceError) in
            try queue.binary(op, lhs: inputs[0], rhs: inputs[1], output: output)
        }
    }

    /// `self + alpha · other` (`torch.add`).
    public func add(_ other: some TensorOperand, alpha: TensorScalar = 1) throws(TensorError) -> Tensor {
        if alpha == 1 || alpha == 1.0 { return try Tensor.binary(.add, .tensor(self), other.elementwiseOperand, api: "Tensor.add") }
        let scaled = try Tensor.binary(.mul, other.elementwiseOperand, .scalar(alpha), computeType: ElementwiseOperand.resultType([.tensor(self), other.elementwiseOperand]), api: "Tensor.add")
        return try Tensor.binary(.add, .tensor(self), .tensor(scaled), computeType: scaled.dtype, api: "Tensor.add")
    }

    /// True division in floating point, as `torch.div` (integers give float32).
    public func div(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        let dtype = TypePromotion.floating(ElementwiseOperand.resultType([.tensor(self), other.elementwiseOperand]))
        return try Tensor.binary(.div, .tensor(self), other.elementwiseOperand, computeType: dtype, api: "Tensor.div")
    }

    /// How `div(_:roundingMode:)` rounds the quotient.
    public enum RoundingMode: Sendable { case trunc, floor }

    /// Division rounded toward zero (`trunc`) or down (`floor`), in the operands' promoted
    /// dtype, as `torch.div(…, rounding_mode=)`.
    public func div(_ other: some TensorOperand, roundingMode: RoundingMode) throws(TensorError) -> Tensor {
        let dtype = ElementwiseOperand.resultType([.tensor(self), other.elementwiseOperand])
        let quotient = try Tensor.binary(.div, .tensor(self), other.elementwiseOperand, computeType: dtype, api: "Tensor.div")
        if dtype.isFloatingPoint { return try roundingMode == .trunc ? quotient.trunc() : quotient.floor() }
        guard roundingMode == .floor else { return quotient }
        // Integer division truncates: step down where the remainder's sign differs from the divisor's.
        let remainder = try fmod(other)
        return try quotient.sub((Tensor.needsFloorCorrection(remainder, other.elementwiseOperand, dtype: dtype).converted(to: dtype)))
    }

    /// The remainder with the dividend's sign, as C's `fmod` (`torch.fmod`).
    public func fmod(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        try Tensor.binary(.remainder, .tensor(self), other.elementwiseOperand, api: "Tensor.fmod")
    }

    /// The remainder with the divisor's sign, as Python's `%` (`torch.remainder`).
    public func remainder(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        let dtype = ElementwiseOperand.resultType([.tensor(self), other.elementwiseOperand])
        let truncated = try fmod(other)
        let corrected = try truncated.add(other)
        return try Tensor.where(Tensor.needsFloorCorrection(truncated, other.elementwiseOperand, dtype: dtype), corrected, truncated)
    }

    /// Where a truncated remainder is nonzero with a sign other than the divisor's.
    private static func needsFloorCorrection(_ remainder: Tensor, _ divisor: ElementwiseOperand, dtype: DType) throws(TensorError) -> Tensor {
        let nonzero = try remainder.notEqual(0)
        let remainderNegative = try remainder.less(0)
        let divisorNegative = try binary(.less, divisor, .scalar(0), computeType: dtype, api: "Tensor.remainder")
        return try nonzero.logicalAnd(remainderNegative.logicalXor(divisorNegative))
    }

    public func sub(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.sub, .tensor(self), other.elementwiseOperand, api: "Tensor.sub") }
    public func mul(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.mul, .tensor(self), other.elementwiseOperand, api: "Tensor.mul") }
    public func pow(_ exponent: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.pow, .tensor(self), exponent.elementwiseOperand, api: "Tensor.pow") }
    public func maximum(_ other: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.maximum, .tensor(self), .tensor(other), api: "Tensor.maximum") }
    public func minimum(_ other: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.minimum, .tensor(self), .tensor(other), api: "Tensor.minimum") }
    public func equal(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.equal, .tensor(self), other.elementwiseOperand, api: "Tensor.eq") }
    public func notEqual(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.notEqual, .tensor(self), other.elementwiseOperand, api: "Tensor.ne") }
    public func less(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.less, .tensor(self), other.elementwiseOperand, api: "Tensor.lt") }
    public func lessEqual(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.lessEqual, .tensor(self), other.elementwiseOperand, api: "Tensor.le") }
    public func greater(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.greater, .tensor(self), other.elementwiseOperand, api: "Tensor.gt") }
    public func greaterEqual(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.greaterEqual, .tensor(self), other.elementwiseOperand, api: "Tensor.ge") }
    public func logicalAnd(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.logicalAnd, .tensor(self), other.elementwiseOperand, api: "Tensor.logical_and") }
    public func logicalOr(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.logicalOr, .tensor(self), other.elementwiseOperand, api: "Tensor.logical_or") }
    public func logicalXor(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.logicalXor, .tensor(self), other.elementwiseOperand, api: "Tensor.logical_xor") }
}
