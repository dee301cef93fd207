/// Reductions over any set of dimensions, built on the contract's one-axis kernels: the
/// reduced dimensions are moved last and merged (a view when the strides allow), then
/// reduced in one kernel.
extension Tensor {
    /// `op` over `dims` (all when nil), keeping them as size 1 when `keepDim`. Sums and
    /// products of integers and bools are int64, as in PyTorch.
    func reduce(_ op: ReductionOp, dims: [Int]?, keepDim: Bool, api: String, widenIntegers: Bool = true) throws(TensorError) -> Tensor {
        let axes = try reducedAxes(dims, api: api)
        var input = self
        if (op == .sum || op == .prod) && !dtype.isFloatingPoint && (widenIntegers || dtype == .bool) { input = try converted(to: .int64) }
        // Kept dimensions first, in order, then the reduced ones, merged into one.
        let kept = shape.indices.filter { !axes.contains($0) }
        let keptSizes = kept.map { shape[$0] }
        let finalShape = keepDim ? shape.indices.map { axes.contains($0) ? 1 : shape[$0] } : keptSizes
        if input.count == 0 && !op.allowsEmptyAxis && axes.contains(where: { shape[$0] == 0 }) {
            throw placement.refused(.invalidArgument("\(api) of a tensor with no elements over dimensions \(axes) has no value; give dims that are not empty"), api: api)
        }
        let order = kept + axes
        let reducedCount = axes.reduce(1) { $0 * shape[$1] }
        // Reducing the trailing dimensions (all of them, for a full reduction) needs no permutation.
        let ordered = order.elementsEqual(shape.indices) ? input : try input.permuted(order)
        let merged = try ordered.reshaped(keptSizes + [reducedCount])
        let output = try Tensor.compute(.reduce(op), merged.dtype, api: api, inputs: [merged], shape: keptSizes + [1],
                                        outputDType: op.outputType(for: merged.dtype)) { queue, inputs, output throws(DeviceError) in
            try queue.reduce(op, input: inputs[0], axis: keptSizes.count, output: output)
        }
        return try output.reshaped(finalShape)
    }

    /// `dims` normalised, deduplicated and sorted; every dimension when nil (or empty, as
    /// PyTorch's `dim=[]` for sums). An array, not a set: ranks are small, and hashing and a
    /// set's storage were 5 % of a small reduction's instructions.
    private func reducedAxes(_ dims: [Int]?, api: String) throws(TensorError) -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(shape.indices) }
        var axes: [Int] = []
        axes.reserveCapacity(dims.count)
        for dim in dims {
            let axis = try normalized(dim, function: api)
            guard !axes.contains(axis) else {
                throw refusal(.invalidArgument("dim \(dim) appears multiple times in the list of dims"), function: api)
            }
            axes.append(axis)
        }
        return rank == 0 ? [] : axes.sorted()
    }

    /// The sum over `dims` (all when nil), computed in `dtype` when given (`torch.sum`).
    public func sum(dims: [Int]? = nil, keepDim: Bool = false, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try converted(to: dtype ?? self.dtype).reduce(.sum, dims: dims, keepDim: keepDim, api: "Tensor.sum", widenIntegers: dtype == nil)
    }
    /// The product over `dims` (`torch.prod`), computed in `dtype` when given; integers and
    /// bools give int64 otherwise.
    public func prod(dims: [Int]? = nil, keepDim: Bool = false, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try converted(to: dtype ?? self.dtype).reduce(.prod, dims: dims, keepDim: keepDim, api: "Tensor.prod", widenIntegers: dtype == nil)
    }
    /// The largest element over `dims` (`torch.amax`; NaN wins, as in PyTorch).
    public func max(dims: [Int]? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try reduce(.max, dims: dims, keepDim: keepDim, api: "Tensor.amax")
    }
    /// The smallest element over `dims` (`torch.amin`).
    public func min(dims: [Int]? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try reduce(.min, dims: dims, keepDim: keepDim, api: "Tensor.amin")
    }
    /// Whether every element over `dims` is nonzero (`torch.all`): bool, or uint8 for uint8 input.
    public func all(dims: [Int]? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try reduce(.all, dims: dims, keepDim: keepDim, api: "Tensor.all").converted(to: dtype == .uint8 ? .uint8 : .bool)
    }
    /// Whether any element over `dims` is nonzero (`torch.any`): bool, or uint8 for uint8 input.
    public func any(dims: [Int]? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try reduce(.any, dims: dims, keepDim: keepDim, api: "Tensor.any").converted(to: dtype == .uint8 ? .uint8 : .bool)
    }

    /// The index of the largest element along `dim` (first on ties), or in the flattened
    /// tensor when `dim` is nil (`torch.argmax`).
    public func argmax(dim: Int? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try argReduce(.argmax, dim: dim, keepDim: keepDim)
    }
    /// The index of the smallest element along `dim` (`torch.argmin`).
    public func argmin(dim: Int? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try argReduce(.argmin, dim: dim, keepDim: keepDim)
    }

    /// The largest elements along `dim` and the index of each (first on ties; NaN wins), as
    /// `torch.max(x, dim)`.
    public func max(dim: Int, keepDim: Bool = false) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        try (max(dims: [dim], keepDim: keepDim), indexable().argmax(dim: dim, keepDim: keepDim))
    }
    /// The smallest elements along `dim` and the index of each, as `torch.min(x, dim)`.
    public func min(dim: Int, keepDim: Bool = false) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        try (min(dims: [dim], keepDim: keepDim), indexable().argmin(dim: dim, keepDim: keepDim))
    }

    /// This tensor with bools as uint8, whose order is theirs: `max(dim:)` takes bools, `argmax` does not.
    private func indexable() throws(TensorError) -> Tensor { dtype == .bool ? try converted(to: .uint8) : self }

    private func argReduce(_ op: ReductionOp, dim: Int?, keepDim: Bool) throws(TensorError) -> Tensor {
        let api = "Tensor.\(op)"
        guard dtype != .bool else { throw refusal(.invalidArgument("\(op)(): does not support bool input"), function: api) }
        guard let dim else {
            let flat = try reshaped([-1]).reduce(op, dims: [0], keepDim: false, api: api)
            return keepDim ? try flat.reshaped([Int](repeating: 1, count: rank)) : flat
        }
        return try reduce(op, dims: [dim], keepDim: keepDim, api: api)
    }
}
