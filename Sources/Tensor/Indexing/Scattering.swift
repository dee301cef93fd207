/// `scatter` and `scatter_add` on the tensors' device (the backend contract's `scatter`
/// kernel, or the redirector's fallback device). The result starts as a copy of this tensor;
/// the kernel reports an index out of range in a flag, as a gather's does, and only then is
/// the index read back, for the error.
extension Tensor {
    /// A copy of this tensor with `source[…, i, …]` written to position `index[…, i, …]`
    /// along `dim` (`torch.scatter`); with `add`, values add up instead (`scatter_add`).
    /// Where an index names one position twice, the element later along `dim` is written
    /// (or added) last, as in PyTorch's CPU kernel; float16 and bfloat16 sums accumulate in
    /// float32 and round once, as there.
    public func scatter(dim: Int, index: Tensor, source: Tensor, add: Bool = false) throws(TensorError) -> Tensor {
        if rank == 0 && index.rank == 0 && source.rank <= 1 {
            return try reshaped([1]).scatter(dim: 0, index: index.reshaped([1]), source: source.reshaped([-1]), add: add).reshaped([])
        }
        let api = add ? "scatter_add" : "scatter"
        let axis = try checkedIndex(index, dim: dim, api: api)
        try checkSameDevice([source])
        guard source.dtype == dtype else { throw refusal(.invalidArgument("scatter(): expected self.dtype (\(dtype)) to be equal to src.dtype (\(source.dtype))")) }
        guard source.rank == rank, zip(index.shape, source.shape).allSatisfy({ $0 <= $1 }) else {
            throw refusal(.shapeMismatch("scatter expects index \(index.shape) no larger than source \(source.shape)"))
        }
        if add, dtype == .float16 || dtype == .bfloat16 {
            // PyTorch sums these in float32 and rounds once; the kernel rounds after each addition.
            return try inFloat32IfHalf { x throws(TensorError) in
                try x.scatter(dim: dim, index: index, source: source.converted(to: .float32), add: true)
            }
        }
        // Only the source's leading corner of the index's shape is read.
        let arriving = source.viewing(shape: index.shape, strides: source.strides)
        let mode: ScatterMode = add ? .add : .assign
        return try computeIndexed(.scatter(mode), api: api, inputs: [self, index, arriving], shape: shape, index: index,
                                  axis: axis) { queue, operands, output, flag throws(DeviceError) in
            try queue.convert(input: operands[0], output: output)
            try queue.scatter(mode, source: operands[2], index: operands[1], axis: axis, output: output, outOfRange: flag)
        }
    }

    /// A copy of this tensor with `value` written at the positions `index` names along `dim`
    /// (`torch.scatter(…, value=)`).
    public func scatter(dim: Int, index: Tensor, value: TensorScalar) throws(TensorError) -> Tensor {
        let filled = try Tensor.full([], value, dtype: dtype, on: placement)
        return try scatter(dim: dim, index: index, source: index.rank == 0 ? filled : filled.broadcast(to: index.shape))
    }
}
