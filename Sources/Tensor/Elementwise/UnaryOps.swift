/// Element-wise functions of one tensor (`torch.exp`, `relu`, `clamp`, …).
extension Tensor {
    /// `op` on every element. Ops defined only for floating point compute integer and bool
    /// tensors in float32, as PyTorch does (`torch.exp(int_tensor)` is float32).
    func unary(_ op: UnaryOp, api: String) throws(TensorError) -> Tensor {
        let integerCapable = UnaryOp.integerOps.contains(op)
        if dtype == .bool && op != .logicalNot && integerCapable {
            throw placement.refused(.invalidArgument("\(api) is not defined for bool tensors"), api: api)
        }
        let input = integerCapable ? self : try converted(to: TypePromotion.floating(dtype))
        let outputType = op.outputType(for: input.dtype)
        return try Tensor.compute(.unary(op), input.dtype, api: api, inputs: [input], shape: shape, outputDType: outputType) {
            queue, inputs, output throws(DeviceError) in
            try queue.unary(op, input: inputs[0], output: output)
        }
    }

    public func neg() throws(TensorError) -> Tensor { try unary(.neg, api: "Tensor.neg") }
    public func abs() throws(TensorError) -> Tensor { try unary(.abs, api: "Tensor.abs") }
    /// -1, 0 or 1 by the sign of each element; 0 for NaN and bool tensors unchanged, as in PyTorch.
    public func sign() throws(TensorError) -> Tensor {
        if dtype == .bool { return try cloned() }
        guard dtype.isFloatingPoint else { return try unary(.sign, api: "Tensor.sign") }
        // (x > 0) - (x < 0): NaN compares false both ways.
        return try greater(0).converted(to: dtype).sub(less(0).converted(to: dtype))
    }
    /// Each element squared; bool tensors give int64, as in PyTorch.
    public func square() throws(TensorError) -> Tensor {
        dtype == .bool ? try converted(to: .int64).square() : try unary(.square, api: "Tensor.square")
    }
    public func relu() throws(TensorError) -> Tensor { try unary(.relu, api: "Tensor.relu") }
    public func logicalNot() throws(TensorError) -> Tensor { try unary(.logicalNot, api: "Tensor.logical_not") }
    public func exp() throws(TensorError) -> Tensor { try unary(.exp, api: "Tensor.exp") }
    public func log() throws(TensorError) -> Tensor { try unary(.log, api: "Tensor.log") }
    public func sqrt() throws(TensorError) -> Tensor { try unary(.sqrt, api: "Tensor.sqrt") }
    public func rsqrt() throws(TensorError) -> Tensor { try unary(.rsqrt, api: "Tensor.rsqrt") }
    public func reciprocal() throws(TensorError) -> Tensor { try unary(.reciprocal, api: "Tensor.reciprocal") }
    public func sin() throws(TensorError) -> Tensor { try unary(.sin, api: "Tensor.sin") }
    public func cos() throws(TensorError) -> Tensor { try unary(.cos, api: "Tensor.cos") }
    public func tanh() throws(TensorError) -> Tensor { try unary(.tanh, api: "Tensor.tanh") }
    public func sigmoid() throws(TensorError) -> Tensor { try unary(.sigmoid, api: "Tensor.sigmoid") }
    /// How `gelu` computes: exactly (with erf), or with PyTorch's `approximate="tanh"` form.
    public enum GELUApproximation: Sendable {
        case none
        /// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, as GPT-2 and BERT's original code use.
        case tanh
    }

    /// The Gaussian error linear unit, `torch.nn.functional.gelu`: exact (erf) by default.
    public func gelu(approximate: GELUApproximation = .none) throws(TensorError) -> Tensor {
        guard dtype.isFloatingPoint else { throw refusal(.invalidArgument("gelu is not implemented for \(dtype) tensors")) }
        guard approximate == .tanh else { return try unary(.gelu, api: "Tensor.gelu") }
        // Composed on the device; 16-bit floats in float32, rounded once, as PyTorch's kernel does.
        return try inFloat32IfHalf { x throws(TensorError) in
            let inner = try x.mul(x).mul(0.044715).add(1).mul(x).mul((2 / Double.pi).squareRoot())
            return try x.mul(inner.tanh().add(1)).mul(0.5)
        }
    }
    public func erf() throws(TensorError) -> Tensor { try unary(.erf, api: "Tensor.erf") }
    public func floor() throws(TensorError) -> Tensor { try integerOrRounded(.floor, api: "Tensor.floor") }
    public func ceil() throws(TensorError) -> Tensor { try integerOrRounded(.ceil, api: "Tensor.ceil") }
    /// Rounded to the nearest integer, halves to even (`torch.round`).
    public func round() throws(TensorError) -> Tensor { try integerOrRounded(.round, api: "Tensor.round") }

    /// Rounded toward zero (`torch.trunc`).
    public func trunc() throws(TensorError) -> Tensor {
        guard dtype.isFloatingPoint else { return self }
        return try abs().floor().mul(sign())
    }

    /// Each element limited to `min...max` (either may be nil), as `torch.clamp`: NaN stays
    /// NaN, and where `min > max` every element is `max`.
    public func clamp(min lower: TensorScalar? = nil, max upper: TensorScalar? = nil) throws(TensorError) -> Tensor {
        guard lower != nil || upper != nil else { throw refusal(.invalidArgument("clamp needs at least one of min and max")) }
        let bounds = [lower, upper].compactMap { $0 }.map { ElementwiseOperand.scalar($0) }
        let dtype = ElementwiseOperand.resultType([.tensor(self)] + bounds)
        var result = try converted(to: dtype)
        if let lower { result = try Tensor.binary(.maximum, .tensor(result), .scalar(lower), computeType: dtype, api: "Tensor.clamp") }
        if let upper { result = try Tensor.binary(.minimum, .tensor(result), .scalar(upper), computeType: dtype, api: "Tensor.clamp") }
        return result
    }

    /// Each element at least the element of `lower` (broadcast), as `torch.clamp(x, min=t)`.
    public func clamp(min lower: Tensor) throws(TensorError) -> Tensor { try clamp(min: lower, max: nil) }
    /// Each element at most the element of `upper` (broadcast), as `torch.clamp(x, max=t)`.
    public func clamp(max upper: Tensor) throws(TensorError) -> Tensor { try clamp(min: nil, max: upper) }

    /// Each element limited by the elements of `lower` and `upper` (broadcast), as `torch.clamp` with tensor bounds.
    public func clamp(min lower: Tensor?, max upper: Tensor?) throws(TensorError) -> Tensor {
        guard lower != nil || upper != nil else { throw refusal(.invalidArgument("clamp needs at least one of min and max")) }
        let bounds = [lower, upper].compactMap { $0 }
        let dtype = ElementwiseOperand.resultType([.tensor(self)] + bounds.map { .tensor($0) })
        var result = try converted(to: dtype)
        if let lower { result = try Tensor.binary(.maximum, .tensor(result), .tensor(lower), computeType: dtype, api: "Tensor.clamp") }
        if let upper { result = try Tensor.binary(.minimum, .tensor(result), .tensor(upper), computeType: dtype, api: "Tensor.clamp") }
        return result
    }

    /// Rounding ops leave integer tensors as they are, as PyTorch's do.
    private func integerOrRounded(_ op: UnaryOp, api: String) throws(TensorError) -> Tensor {
        dtype.isFloatingPoint ? try unary(op, api: api) : try cloned()
    }
}
