/// Element-wise functions of two operands, with broadcasting and PyTorch's type promotion.
extension Tensor {
    /// `op` applied to `lhs` and `rhs` (at least one a tensor), computed in `computeType`
    /// (default: their promoted dtype), writing bool for comparisons and logical ops. On bool
    /// operands, `add`/`maximum` are logical or and `mul`/`minimum` logical and, as in PyTorch.
    static func binary(_ op: BinaryOp, _ lhs: ElementwiseOperand, _ rhs: ElementwiseOperand,
                       computeType: DType? = nil, api: String) throws(TensorError) -> Tensor {
        // Small ops pay for every array and copy made here, so the common case (two tensors of
        // one shape and dtype) takes none.
        let first: Tensor, shape: [Int]
        switch (lhs, rhs) {
        case let (.tensor(left), .tensor(right)):
            try left.checkSameDevice(right, function: api)
            if left.shape == right.shape, left.dtype == right.dtype, (computeType ?? left.dtype) == left.dtype {
                return try binaryKernel(op, left, right, dtype: left.dtype, api: api)
            }
            first = left
            shape = left.shape == right.shape ? left.shape
                : try left.recording(function: api) { () throws(TensorError) in try broadcastShape([left.shape, right.shape]) }
        case let (.tensor(tensor), .scalar), let (.scalar, .tensor(tensor)):
            (first, shape) = (tensor, tensor.shape)
        case (.scalar, .scalar):
            // With no tensor there is no placement to name: the record goes to the process's log.
            throw TensorEngine.shared.refused(.invalidArgument("\(api) needs at least one tensor operand"), api: api, from: .native)
        }
        let dtype = computeType ?? ElementwiseOperand.resultType(lhs, rhs)
        let left = try lhs.materialized(dtype, on: first.placement).broadcast(to: shape)
        let right = try rhs.materialized(dtype, on: first.placement).broadcast(to: shape)
        return try binaryKernel(op, left, right, dtype: dtype, api: api)
    }

    /// `op` on two tensors of `dtype` and one shape.
    private static func binaryKernel(_ op: BinaryOp, _ left: Tensor, _ right: Tensor, dtype: DType,
                                     api: String) throws(TensorError) -> Tensor {
        let kernel = dtype == .bool ? booleanForm(op) : op
        return try compute(.binary(kernel), dtype, api: api, inputs: [left, right], shape: left.shape,
                           outputDType: kernel.producesBool ? .bool : dtype) { queue, inputs, output throws(DeviceError) in
            try queue.binary(kernel, lhs: inputs[0], rhs: inputs[1], output: output)
        }
    }

    private static func booleanForm(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .add, .maximum: .logicalOr
        case .mul, .minimum: .logicalAnd
        default: op
        }
    }

    /// `self + alpha · other` (`torch.add`).
    public func add(_ other: some TensorOperand, alpha: TensorScalar = 1) throws(TensorError) -> Tensor {
        try Tensor.scaledSum(.add, self, other.elementwiseOperand, alpha: alpha, api: "Tensor.add")
    }

    /// `self - alpha · other` (`torch.sub`); bool tensors cannot be subtracted, as in PyTorch.
    public func sub(_ other: some TensorOperand, alpha: TensorScalar = 1) throws(TensorError) -> Tensor {
        if dtype == .bool || other.elementwiseOperand.tensor?.dtype == .bool { throw boolSubtractionRefusal() }
        return try Tensor.scaledSum(.sub, self, other.elementwiseOperand, alpha: alpha, api: "Tensor.sub")
    }

    /// PyTorch's refusal to subtract with a bool tensor, recorded for `Tensor.sub`.
    func boolSubtractionRefusal() -> TensorError {
        refusal(.invalidArgument("subtraction with a bool tensor is not supported; use logicalXor or logicalNot"), function: "sub")
    }

    /// `lhs op alpha * rhs`; `lhs` is the tensor the op was called on.
    private static func scaledSum(_ op: BinaryOp, _ lhs: Tensor, _ rhs: ElementwiseOperand, alpha: TensorScalar,
                                  api: String) throws(TensorError) -> Tensor {
        if alpha == 1 || alpha == 1.0 { return try binary(op, .tensor(lhs), rhs, api: api) }
        let dtype = ElementwiseOperand.resultType(.tensor(lhs), rhs)
        if case .float = alpha, !dtype.isFloatingPoint {
            throw lhs.refusal(.invalidArgument("for integral input tensors, argument alpha must not be a floating point number"), function: api)
        }
        let scaled = try binary(.mul, rhs, .scalar(alpha), computeType: dtype, api: api)
        return try binary(op, .tensor(lhs), .tensor(scaled), computeType: dtype, api: api)
    }

    /// True division in floating point, as `torch.div` (integers give float32).
    public func div(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        let dtype = TypePromotion.floating(ElementwiseOperand.resultType(.tensor(self), other.elementwiseOperand))
        return try Tensor.binary(.div, .tensor(self), other.elementwiseOperand, computeType: dtype, api: "Tensor.div")
    }

    /// How `div(_:roundingMode:)` rounds the quotient.
    public enum RoundingMode: Sendable { case trunc, floor }

    /// Division rounded toward zero (`trunc`) or down (`floor`), in the operands' promoted
    /// dtype, as `torch.div(…, rounding_mode=)`. Integer division by zero is an error.
    public func div(_ other: some TensorOperand, roundingMode: RoundingMode) throws(TensorError) -> Tensor {
        let divisor = other.elementwiseOperand
        let dtype = ElementwiseOperand.resultType(.tensor(self), divisor)
        let quotient = try Tensor.binary(.div, .tensor(self), divisor, computeType: dtype, api: "Tensor.div")
        if dtype.isFloatingPoint {
            return roundingMode == .trunc ? try quotient.trunc() : try floorQuotient(divisor, dtype: dtype, trueQuotient: quotient)
        }
        try Tensor.checkNoZeroDivisor(divisor, dtype: dtype, on: placement)
        guard roundingMode == .floor else { return quotient }
        // Integer division truncates: step down where the remainder's sign differs from the divisor's.
        let remainder = try Tensor.binary(.remainder, .tensor(self), divisor, computeType: dtype, api: "Tensor.div")
        return try quotient.sub(Tensor.needsFloorCorrection(remainder, divisor, dtype: dtype).converted(to: dtype))
    }

    /// PyTorch's float floor division: `(a - fmod(a, b)) / b`, stepped down where the
    /// remainder's sign differs from the divisor's, then floored; `a / b` where `b` is 0.
    private func floorQuotient(_ divisor: ElementwiseOperand, dtype: DType, trueQuotient: Tensor) throws(TensorError) -> Tensor {
        let remainder = try Tensor.binary(.remainder, .tensor(self), divisor, computeType: dtype, api: "Tensor.div")
        let exact = try Tensor.binary(.div, .tensor(sub(remainder)), divisor, computeType: dtype, api: "Tensor.div")
        let stepped = try exact.sub(Tensor.needsFloorCorrection(remainder, divisor, dtype: dtype).converted(to: dtype))
        var floored = try stepped.floor()
        floored = try floored.add(stepped.sub(floored).greater(0.5).converted(to: dtype))
        let zeroDivisor = try Tensor.binary(.equal, divisor, .scalar(0), computeType: dtype, api: "Tensor.div")
        return try Tensor.where(zeroDivisor, trueQuotient, floored)
    }

    /// The remainder with the dividend's sign, as C's `fmod` (`torch.fmod`).
    public func fmod(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        try Tensor.binary(.remainder, .tensor(self), other.elementwiseOperand, api: "Tensor.fmod")
    }

    /// The remainder with the divisor's sign, as Python's `%` (`torch.remainder`).
    public func remainder(_ other: some TensorOperand) throws(TensorError) -> Tensor {
        try Tensor.remainder(self, other)
    }

    /// `lhs % rhs` with the divisor's sign (`torch.remainder`), for a number or tensor on
    /// either side. Integer remainder by zero is an error, as in PyTorch.
    public static func remainder(_ lhs: some TensorOperand, _ rhs: some TensorOperand) throws(TensorError) -> Tensor {
        let (dividend, divisor) = (lhs.elementwiseOperand, rhs.elementwiseOperand)
        let dtype = ElementwiseOperand.resultType(dividend, divisor)
        guard let home = dividend.tensor ?? divisor.tensor else {
            throw TensorEngine.shared.refused(.invalidArgument("remainder needs a tensor operand"), api: "Tensor.remainder", from: .native)
        }
        if !dtype.isFloatingPoint { try checkNoZeroDivisor(divisor, dtype: dtype, on: home.placement) }
        let truncated = try binary(.remainder, dividend, divisor, computeType: dtype, api: "Tensor.remainder")
        let corrected = try binary(.add, .tensor(truncated), divisor, computeType: dtype, api: "Tensor.remainder")
        return try Tensor.where(needsFloorCorrection(truncated, divisor, dtype: dtype), corrected, truncated)
    }

    /// Where a truncated remainder is nonzero with a sign other than the divisor's.
    private static func needsFloorCorrection(_ remainder: Tensor, _ divisor: ElementwiseOperand, dtype: DType) throws(TensorError) -> Tensor {
        let nonzero = try remainder.notEqual(0)
        let remainderNegative = try remainder.less(0)
        let divisorNegative: Tensor
        switch divisor {
        case let .tensor(tensor): divisorNegative = try binary(.less, .tensor(tensor), .scalar(0), computeType: dtype, api: "Tensor.remainder")
        case let .scalar(value): divisorNegative = try full([], .bool(value.doubleValue < 0), dtype: .bool, on: remainder.placement)
        }
        return try nonzero.logicalAnd(remainderNegative.logicalXor(divisorNegative))
    }

    /// Integer division by zero is PyTorch's `ZeroDivisionError`; this reads the divisor.
    private static func checkNoZeroDivisor(_ divisor: ElementwiseOperand, dtype: DType, on placement: TensorPlacement,
                                           function: String = #function) throws(TensorError) {
        let hasZero = switch divisor {
        case let .scalar(value): value.doubleValue == 0
        case let .tensor(tensor): try tensor.converted(to: dtype).equal(0).any().item() == .bool(true)
        }
        if hasZero {
            throw placement.refused(.invalidArgument("ZeroDivisionError: integer division or remainder by zero"), api: apiName(function))
        }
    }

    /// Each element raised to `exponent` (`torch.pow`). A number exponent of 0.5, -0.5, -1 or
    /// 2 is computed as PyTorch computes it (sqrt, rsqrt, reciprocal, square); an integer
    /// tensor to a negative integer number is an error.
    public func pow(_ exponent: some TensorOperand) throws(TensorError) -> Tensor {
        guard case let .scalar(power) = exponent.elementwiseOperand else {
            return try Tensor.binary(.pow, .tensor(self), exponent.elementwiseOperand, api: "Tensor.pow")
        }
        let dtype = ElementwiseOperand.resultType(.tensor(self), .scalar(power))
        if !dtype.isFloatingPoint, case let .int(value) = power, value < 0 {
            throw refusal(.invalidArgument("integers to negative integer powers are not allowed"))
        }
        if dtype.isFloatingPoint {
            let input = try converted(to: dtype)
            switch power.doubleValue {
            case 0.5: return try input.sqrt()
            case -0.5: return try input.rsqrt()
            case -1: return try input.reciprocal()
            case 2: return try input.square()
            default: break
            }
        }
        return try Tensor.binary(.pow, .tensor(self), .scalar(power), computeType: dtype, api: "Tensor.pow")
    }

    /// `base` raised to each element of `exponent` (`torch.pow(number, tensor)`).
    public static func pow(_ base: TensorScalar, _ exponent: Tensor) throws(TensorError) -> Tensor {
        try binary(.pow, .scalar(base), .tensor(exponent), api: "Tensor.pow")
    }

    public func mul(_ other: some TensorOperand) throws(TensorError) -> Tensor { try Tensor.binary(.mul, .tensor(self), other.elementwiseOperand, api: "Tensor.mul") }
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
