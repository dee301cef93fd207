/// Operations the backend contract has no kernel for yet (`where`, `gather`, `scatter`,
/// `index_select`, `sort`): their elements are moved to the host, computed there, and the
/// result placed back on the tensors' device. Each call is a `debug` record saying so.
///
/// Selections move whole elements, so they work on bytes whatever the dtype.
extension Tensor {
    /// `x` where `condition` is true, else `y`, broadcast together (`torch.where`); `x` and
    /// `y` promote as in arithmetic.
    public static func `where`(_ condition: Tensor, _ x: some TensorOperand, _ y: some TensorOperand) throws(TensorError) -> Tensor {
        guard condition.dtype == .bool else {
            throw .invalidArgument("where expected condition to be a bool tensor, but got \(condition.dtype)")
        }
        let operands = [x.elementwiseOperand, y.elementwiseOperand]
        let tensors = [condition] + operands.compactMap(\.tensor)
        try condition.checkSameDevice(tensors)
        let shape = try broadcastShape(tensors.map(\.shape))
        let dtype = ElementwiseOperand.resultType(operands)
        let mask = try condition.broadcast(to: shape).hostBytes()
        let chosen = try operands[0].materialized(dtype, on: condition.placement).broadcast(to: shape).hostBytes()
        var result = try operands[1].materialized(dtype, on: condition.placement).broadcast(to: shape).hostBytes()
        let width = dtype.byteSize
        for index in mask.indices where mask[index] != 0 {
            for byte in 0..<width { result[index * width + byte] = chosen[index * width + byte] }
        }
        condition.recordHostComputation("Tensor.where")
        return try fromHost(result, shape: shape, dtype: dtype, on: condition.placement)
    }

    /// This tensor with `value` where `mask` is true (`torch.Tensor.masked_fill`); the mask
    /// broadcasts to this tensor's shape and the dtype stays this tensor's.
    public func maskedFill(_ mask: Tensor, _ value: TensorScalar) throws(TensorError) -> Tensor {
        guard mask.dtype == .bool else { throw .invalidArgument("masked_fill only supports bool masks, but got \(mask.dtype)") }
        try value.checkRepresentable(as: dtype)
        let shape = try Tensor.broadcastShape([self.shape, mask.shape])
        guard shape == self.shape else {
            throw .shapeMismatch("the mask \(mask.shape) does not broadcast to the tensor's shape \(self.shape)")
        }
        let filled = try Tensor.full([], value, dtype: dtype, on: placement)
        return try Tensor.where(mask, filled, self).converted(to: dtype)
    }

    /// A `debug` record that `api` ran on the host for lack of a device kernel.
    func recordHostComputation(_ api: String) {
        placement.engine.log.record(.debug, RedirectionRecord(
            api: api, requested: requestedDevice.description, resolved: device.description,
            reason: "computed on the host: the backend contract has no kernel for it yet"), from: placement.origin)
    }
}
