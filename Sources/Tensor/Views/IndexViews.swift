/// Views that pick parts of a tensor without copying: slices, `narrow`, `select`.
extension Tensor {
    /// Elements `start..<end` stepping by `step` along `dim`, as Python's `x[..., start:end:step]`:
    /// negative bounds count from the end and bounds past the ends are clamped.
    public func sliced(dim: Int = 0, start: Int? = nil, end: Int? = nil, step: Int = 1) throws(TensorError) -> Tensor {
        guard rank > 0 else { throw refusal(.invalidArgument("a tensor of rank 0 cannot be sliced")) }
        guard step > 0 else { throw refusal(.invalidArgument("slice step must be positive, got \(step)")) }
        let axis = try normalized(dim)
        let size = shape[axis]
        func clamped(_ bound: Int?, default value: Int) -> Int {
            guard let bound else { return value }
            return Swift.min(Swift.max(bound < 0 ? bound + size : bound, 0), size)
        }
        let first = clamped(start, default: 0)
        let last = Swift.max(clamped(end, default: size), first)
        var newShape = shape, newStrides = strides
        newShape[axis] = (last - first + step - 1) / step
        newStrides[axis] = strides[axis] * step
        return viewing(shape: newShape, strides: newStrides, offset: offset + first * strides[axis])
    }

    /// `length` elements from `start` along `dim` (`torch.narrow`); the range must fit.
    public func narrowed(dim: Int, start: Int, length: Int) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        guard rank > 0 else { throw refusal(.invalidArgument("narrow() cannot be applied to a tensor of rank 0")) }
        let first = start < 0 ? start + shape[axis] : start
        guard first >= 0, length >= 0, first + length <= shape[axis] else {
            throw refusal(.indexOutOfRange("narrow start \(start) and length \(length) exceed size \(shape[axis]) of dimension \(dim)"))
        }
        return try sliced(dim: axis, start: first, end: first + length)
    }

    /// The slice at `index` along `dim`, with that dimension removed (`torch.select`).
    public func selected(dim: Int, index: Int) throws(TensorError) -> Tensor {
        guard rank > 0 else { throw refusal(.invalidArgument("select() cannot be applied to a tensor of rank 0")) }
        let axis = try normalized(dim)
        let position = index < 0 ? index + shape[axis] : index
        guard (0..<shape[axis]).contains(position) else {
            throw refusal(.indexOutOfRange("index \(index) is out of bounds for dimension \(dim) with size \(shape[axis])"))
        }
        var newShape = shape, newStrides = strides
        newShape.remove(at: axis)
        newStrides.remove(at: axis)
        return viewing(shape: newShape, strides: newStrides, offset: offset + position * strides[axis])
    }

    /// Pieces of `size` elements along `dim` (the last may be smaller), as views (`torch.split`).
    public func split(size: Int, dim: Int = 0) throws(TensorError) -> [Tensor] {
        try requireDimension("split")
        guard size > 0 else { throw refusal(.invalidArgument("split size must be positive, got \(size)")) }
        let axis = try normalized(dim)
        let total = shape[axis]
        let sizes = stride(from: 0, to: total, by: size).map { Swift.min(size, total - $0) }
        return try split(sizes: sizes.isEmpty ? [0] : sizes, dim: axis)
    }

    /// Pieces of the given sizes along `dim`, which must add up to its size (`torch.split`).
    public func split(sizes: [Int], dim: Int = 0) throws(TensorError) -> [Tensor] {
        try requireDimension("split")
        let axis = try normalized(dim)
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[axis] else {
            throw refusal(.shapeMismatch("split sizes \(sizes) do not add up to size \(shape[axis]) of dimension \(dim)"))
        }
        var start = 0
        var pieces: [Tensor] = []
        for size in sizes {
            pieces.append(try narrowed(dim: axis, start: start, length: size))
            start += size
        }
        return pieces
    }

    /// At most `chunks` pieces of equal size along `dim` (the last may be smaller), as `torch.chunk`.
    /// An empty dimension gives `chunks` empty pieces.
    public func chunked(_ chunks: Int, dim: Int = 0) throws(TensorError) -> [Tensor] {
        try requireDimension("chunk")
        guard chunks > 0 else { throw refusal(.invalidArgument("chunk expects a positive number of chunks, got \(chunks)")) }
        let axis = try normalized(dim)
        // An empty dimension gives `chunks` empty pieces, as in PyTorch.
        guard shape[axis] > 0 else { return try split(sizes: Array(repeating: 0, count: chunks), dim: axis) }
        return try split(size: (shape[axis] + chunks - 1) / chunks, dim: axis)
    }

    /// Refuses a tensor of rank 0 for an op that cuts along a dimension, as PyTorch does.
    private func requireDimension(_ op: String, function: String = #function) throws(TensorError) {
        guard rank > 0 else { throw refusal(.invalidArgument("\(op) expects at least a 1-dimensional tensor"), function: function) }
    }
}
