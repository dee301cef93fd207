/// `sort`, `argsort` and `topk`: the order comes from the device's `argsort` kernel (or the
/// redirector's fallback device), or for `topk` from its `topk` kernel where it has one, and
/// the values are gathered by it.
extension Tensor {
    /// The elements sorted along `dim`, with the index each came from (`torch.sort` with
    /// `stable=True`): equal elements keep their order, and NaN sorts above everything.
    public func sort(dim: Int = -1, descending: Bool = false) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        let indices = try argsort(dim: dim, descending: descending)
        return (try gather(dim: rank == 0 ? 0 : dim, index: indices), indices)
    }

    /// The indices that sort this tensor along `dim`, stably (`torch.argsort(stable=True)`).
    public func argsort(dim: Int = -1, descending: Bool = false) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        guard rank > 0 else { return try Tensor.full([], 0, dtype: .int64, on: placement) }
        return try Tensor.compute(.argsort, dtype, api: "Tensor.argsort", inputs: [self], shape: shape,
                                  outputDType: .int64) { queue, operands, output throws(DeviceError) in
            try queue.argsort(input: operands[0], axis: axis, descending: descending, output: output)
        }
    }

    /// The `k` largest (or smallest) elements along `dim`, with their indices (`torch.topk`).
    ///
    /// `sorted: false` is PyTorch's leave to return them in any order; they come sorted either
    /// way (largest first, or smallest first), which is one such order.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) throws(TensorError)
        -> (values: Tensor, indices: Tensor) {
        let axis = try normalized(dim)
        let size = rank == 0 ? 1 : shape[axis]
        guard (0...size).contains(k) else { throw refusal(.indexOutOfRange("selected index k \(k) is out of range for size \(size)")) }
        guard rank > 0, k < size, placement.device.supports(.topk, dtype) else {
            let (values, indices) = try sort(dim: axis, descending: largest)
            guard rank > 0 else { return (values, indices) }
            return (try values.narrowed(dim: axis, start: 0, length: k), try indices.narrowed(dim: axis, start: 0, length: k))
        }
        // The device selects the first k of the argsort without sorting whole lanes.
        var outputShape = shape
        outputShape[axis] = k
        let indices = try Tensor.compute(.topk, dtype, api: "Tensor.topk", inputs: [self], shape: outputShape,
                                         outputDType: .int64) { queue, operands, output throws(DeviceError) in
            try queue.topk(input: operands[0], axis: axis, k: k, largest: largest, output: output)
        }
        return (try gather(dim: axis, index: indices), indices)
    }
}
