/// Softmax and running totals along one dimension: one device kernel (`AxisOp`) where the
/// device has it, else composed from element-wise kernels and reductions on the same device.
extension Tensor {
    /// `exp(x) / sum(exp(x))` along `dim`, with the maximum subtracted first so large inputs
    /// do not overflow (`torch.softmax`), computed in `dtype` when given; the tensor (or
    /// `dtype`) must be floating point.
    public func softmax(dim: Int, dtype: DType? = nil) throws(TensorError) -> Tensor {
        let input = try converted(to: dtype ?? self.dtype)
        try input.requireFloatingPoint("softmax")
        if let result = try input.alongAxis(.softmax, dim: dim, api: "Tensor.softmax") { return result }
        let exponentials = try input.sub(input.max(dims: [dim], keepDim: true)).exp()
        return try exponentials.div(exponentials.sum(dims: [dim], keepDim: true))
    }

    /// `log(softmax(x))` along `dim`, computed as `x - max - log(sum(exp(x - max)))` so that
    /// it stays finite where softmax underflows (`torch.log_softmax`), in `dtype` when given.
    public func logSoftmax(dim: Int, dtype: DType? = nil) throws(TensorError) -> Tensor {
        let input = try converted(to: dtype ?? self.dtype)
        try input.requireFloatingPoint("log_softmax")
        if let result = try input.alongAxis(.logSoftmax, dim: dim, api: "Tensor.logSoftmax") { return result }
        let shifted = try input.sub(input.max(dims: [dim], keepDim: true))
        return try shifted.sub(shifted.exp().sum(dims: [dim], keepDim: true).log())
    }

    /// Running sums along `dim` (`torch.cumsum`); integers and bools give int64.
    public func cumsum(dim: Int, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try converted(to: dtype ?? self.dtype).scan(.cumsum, dim: dim, api: "Tensor.cumsum", widenIntegers: dtype == nil)
    }

    /// Running products along `dim` (`torch.cumprod`), in `dtype` when given; integers and
    /// bools give int64 otherwise.
    public func cumprod(dim: Int, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try converted(to: dtype ?? self.dtype).scan(.cumprod, dim: dim, api: "Tensor.cumprod", widenIntegers: dtype == nil)
    }

    /// `op` along `dim` in one kernel of the tensor's device, or nil when the device has none
    /// (the caller then composes it). A 0-dim tensor is a lane of one element.
    private func alongAxis(_ op: AxisOp, dim: Int, api: String) throws(TensorError) -> Tensor? {
        let axis = try normalized(dim, function: api)
        guard placement.device.supports(.axis(op), dtype) else { return nil }
        let lanes = rank == 0 ? try reshaped([1]) : self
        let result = try Tensor.compute(.axis(op), dtype, api: api, inputs: [lanes], shape: lanes.shape, outputDType: dtype) {
            queue, inputs, output throws(DeviceError) in try queue.alongAxis(op, input: inputs[0], axis: axis, output: output)
        }
        return rank == 0 ? try result.reshaped([]) : result
    }

    /// An inclusive scan: the device's `AxisOp` kernel, or, on a device without one, doubling
    /// steps (Hillis–Steele): after the step of size s, each element combines the 2s elements
    /// ending at it. log₂(n) element-wise kernels, each writing a fresh tensor, so no step
    /// reads what it writes.
    private func scan(_ op: AxisOp, dim: Int, api: String, widenIntegers: Bool = true) throws(TensorError) -> Tensor {
        let axis = try normalized(dim, function: api)
        let widen = !dtype.isFloatingPoint && (widenIntegers || dtype == .bool)
        let input = try converted(to: widen ? .int64 : dtype)
        if let result = try input.alongAxis(op, dim: axis, api: api) { return result }
        var result = try input.converted(to: input.dtype, forcingCopy: true)
        guard rank > 0 else { return result }
        let size = shape[axis]
        var step = 1
        while step < size {
            let combined = try Tensor.binary(op == .cumsum ? .add : .mul,
                                             .tensor(result.narrowed(dim: axis, start: step, length: size - step)),
                                             .tensor(result.narrowed(dim: axis, start: 0, length: size - step)), api: api)
            let next = try result.cloned()
            try next.narrowed(dim: axis, start: step, length: size - step).write(combined)
            result = next
            step *= 2
        }
        return result
    }
}
