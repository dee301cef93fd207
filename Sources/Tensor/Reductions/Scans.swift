/// Softmax and running totals along one dimension, composed from device kernels.
extension Tensor {
    /// `exp(x) / sum(exp(x))` along `dim`, with the maximum subtracted first so large inputs
    /// do not overflow (`torch.softmax`); the tensor must be floating point (convert first).
    public func softmax(dim: Int) throws(TensorError) -> Tensor {
        try requireFloatingPoint("softmax")
        let input = self
        let exponentials = try input.sub(input.max(dims: [dim], keepDim: true)).exp()
        return try exponentials.div(exponentials.sum(dims: [dim], keepDim: true))
    }

    /// `log(softmax(x))` along `dim`, computed as `x - max - log(sum(exp(x - max)))` so that
    /// it stays finite where softmax underflows (`torch.log_softmax`).
    public func logSoftmax(dim: Int) throws(TensorError) -> Tensor {
        try requireFloatingPoint("log_softmax")
        let input = self
        let shifted = try input.sub(input.max(dims: [dim], keepDim: true))
        return try shifted.sub(shifted.exp().sum(dims: [dim], keepDim: true).log())
    }

    /// Running sums along `dim` (`torch.cumsum`); integers and bools give int64.
    public func cumsum(dim: Int, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try converted(to: dtype ?? self.dtype).scan(.add, dim: dim, api: "Tensor.cumsum", widenIntegers: dtype == nil)
    }

    /// Running products along `dim` (`torch.cumprod`); integers and bools give int64.
    public func cumprod(dim: Int) throws(TensorError) -> Tensor { try scan(.mul, dim: dim, api: "Tensor.cumprod") }

    /// An inclusive scan by doubling steps (Hillis–Steele): after the step of size s, each
    /// element combines the 2s elements ending at it. log₂(n) element-wise kernels, each
    /// writing a fresh tensor, so no step reads what it writes.
    private func scan(_ op: BinaryOp, dim: Int, api: String, widenIntegers: Bool = true) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        let widen = !dtype.isFloatingPoint && (widenIntegers || dtype == .bool)
        var result = try converted(to: widen ? .int64 : dtype, forcingCopy: true)
        guard rank > 0 else { return result }
        let size = shape[axis]
        var step = 1
        while step < size {
            let combined = try Tensor.binary(op, .tensor(result.narrowed(dim: axis, start: step, length: size - step)),
                                             .tensor(result.narrowed(dim: axis, start: 0, length: size - step)), api: api)
            let next = try result.cloned()
            try next.narrowed(dim: axis, start: step, length: size - step).write(combined)
            result = next
            step *= 2
        }
        return result
    }
}
