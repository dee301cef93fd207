/// `where` and `masked_fill`: element selection by a bool condition, on the tensors' device
/// (the backend contract's `select` kernel, or the redirector's fallback device).
extension Tensor {
    /// `x` where `condition` is true, else `y`, broadcast together (`torch.where`); `x` and
    /// `y` promote as in arithmetic.
    public static func `where`(_ condition: Tensor, _ x: some TensorOperand, _ y: some TensorOperand) throws(TensorError) -> Tensor {
        guard condition.dtype == .bool else {
            throw condition.refusal(.invalidArgument("where expected condition to be a bool tensor, but got \(condition.dtype)"))
        }
        let operands = [x.elementwiseOperand, y.elementwiseOperand]
        let tensors = [condition] + operands.compactMap(\.tensor)
        try condition.checkSameDevice(tensors)
        let shape = try condition.recording { () throws(TensorError) in try broadcastShape(tensors.map(\.shape)) }
        let dtype = ElementwiseOperand.resultType(operands)
        let inputs = [try condition.broadcast(to: shape),
                      try operands[0].materialized(dtype, on: condition.placement).broadcast(to: shape),
                      try operands[1].materialized(dtype, on: condition.placement).broadcast(to: shape)]
        return try compute(.select, dtype, api: "Tensor.where", inputs: inputs, shape: shape, outputDType: dtype) {
            queue, operands, output throws(DeviceError) in
            try queue.select(condition: operands[0], whenTrue: operands[1], whenFalse: operands[2], output: output)
        }
    }

    /// This tensor with `value` where `mask` is true (`torch.Tensor.masked_fill`). The mask
    /// and the tensor broadcast together (the result has their broadcast shape, as PyTorch's
    /// out-of-place `masked_fill`); the dtype stays this tensor's.
    public func maskedFill(_ mask: Tensor, _ value: TensorScalar) throws(TensorError) -> Tensor {
        try recording { () throws(TensorError) in try value.checkRepresentable(as: dtype) }
        return try maskedFill(mask, Tensor.full([], value, dtype: dtype, on: placement))
    }

    /// This tensor with the value of the rank-0 tensor `value` where `mask` is true
    /// (`masked_fill` with a tensor value), converted to this tensor's dtype.
    public func maskedFill(_ mask: Tensor, _ value: Tensor) throws(TensorError) -> Tensor {
        guard value.rank == 0 else {
            throw refusal(.invalidArgument("masked_fill only supports a 0-dimensional value tensor, but got one with \(value.rank) dimensions"))
        }
        guard mask.dtype == .bool else { throw refusal(.invalidArgument("masked_fill only supports bool masks, but got \(mask.dtype)")) }
        try checkSameDevice([mask, value])
        try recording { () throws(TensorError) in _ = try Tensor.broadcastShape([self.shape, mask.shape]) }
        return try Tensor.where(mask, value.converted(to: dtype), self)
    }
}
