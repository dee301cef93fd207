/// Swift operators for element-wise arithmetic, with broadcasting and type promotion:
/// `try (a * b + c).relu()`. Comparisons use the dotted forms (`.<`, `.==`), as
/// mlx-swift does, since `==` must answer one Bool.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor { try lhs.add(rhs) }
    public static func + (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.add(rhs) }
    public static func + (lhs: some TensorOperand, rhs: Tensor) throws(TensorError) -> Tensor {
        try binary(.add, lhs.elementwiseOperand, .tensor(rhs), api: "Tensor.add")
    }
    public static func - (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor { try lhs.sub(rhs) }
    public static func - (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.sub(rhs) }
    public static func - (lhs: some TensorOperand, rhs: Tensor) throws(TensorError) -> Tensor {
        if rhs.dtype == .bool || lhs.elementwiseOperand.tensor?.dtype == .bool { throw rhs.boolSubtractionRefusal() }
        return try binary(.sub, lhs.elementwiseOperand, .tensor(rhs), api: "Tensor.sub")
    }
    public static func * (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor { try lhs.mul(rhs) }
    public static func * (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.mul(rhs) }
    public static func * (lhs: some TensorOperand, rhs: Tensor) throws(TensorError) -> Tensor {
        try binary(.mul, lhs.elementwiseOperand, .tensor(rhs), api: "Tensor.mul")
    }
    public static func / (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor { try lhs.div(rhs) }
    public static func / (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.div(rhs) }
    public static func / (lhs: some TensorOperand, rhs: Tensor) throws(TensorError) -> Tensor {
        let dtype = TypePromotion.floating(ElementwiseOperand.resultType([lhs.elementwiseOperand, .tensor(rhs)]))
        return try binary(.div, lhs.elementwiseOperand, .tensor(rhs), computeType: dtype, api: "Tensor.div")
    }
    /// The remainder with the divisor's sign, as Python's `%` and `torch.remainder`.
    public static func % (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.remainder(rhs) }
    public static prefix func - (operand: Tensor) throws(TensorError) -> Tensor { try operand.neg() }

    public static func .== (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.equal(rhs) }
    public static func .!= (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.notEqual(rhs) }
    public static func .< (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.less(rhs) }
    public static func .<= (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.lessEqual(rhs) }
    public static func .> (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.greater(rhs) }
    public static func .>= (lhs: Tensor, rhs: some TensorOperand) throws(TensorError) -> Tensor { try lhs.greaterEqual(rhs) }

    /// In place: the sum is written into this tensor's elements, so every view of them sees
    /// it (`torch.Tensor.add_`). The other compound assignments alike. As in PyTorch, the
    /// result must keep this tensor's shape (the other operand broadcasts to it, not the
    /// reverse) and convert to its dtype without losing its kind: `intTensor += 0.5` and
    /// `intTensor /= 2` are `TensorError.invalidArgument`, the tensor unchanged.
    public static func += (lhs: inout Tensor, rhs: some TensorOperand) throws(TensorError) { try lhs.assign(lhs.add(rhs), "add_") }
    public static func -= (lhs: inout Tensor, rhs: some TensorOperand) throws(TensorError) { try lhs.assign(lhs.sub(rhs), "sub_") }
    public static func *= (lhs: inout Tensor, rhs: some TensorOperand) throws(TensorError) { try lhs.assign(lhs.mul(rhs), "mul_") }
    public static func /= (lhs: inout Tensor, rhs: some TensorOperand) throws(TensorError) { try lhs.assign(lhs.div(rhs), "div_") }

    /// Writes an in-place op's `result` into this tensor, once PyTorch's checks for in-place
    /// results pass.
    private func assign(_ result: Tensor, _ api: String) throws(TensorError) {
        guard result.shape == shape else {
            throw placement.refused(.shapeMismatch("\(api): output with shape \(shape) doesn't match the broadcast shape \(result.shape)"), api: "Tensor.\(api)")
        }
        guard TypePromotion.canCast(result.dtype, to: dtype) else {
            throw placement.refused(.invalidArgument("\(api): result type \(result.dtype) can't be cast to the desired output type \(dtype)"), api: "Tensor.\(api)")
        }
        try copy(from: result)
    }
}

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
