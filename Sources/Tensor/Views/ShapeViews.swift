/// Views that change shape without copying, as `torch.Tensor.view`, `permute`, `expand` do.
extension Tensor {
    /// This tensor with `shape` (one entry may be -1, inferred), as `torch.reshape`: a view
    /// when the strides allow it, else a contiguous copy.
    public func reshaped(_ shape: [Int]) throws(TensorError) -> Tensor {
        let target = try inferredShape(shape)
        if let strides = viewStrides(for: target) { return viewing(shape: target, strides: strides) }
        return try contiguous().viewing(shape: target, strides: StridedOperand.contiguousStrides(for: target))
    }

    /// This tensor's elements with `shape`, sharing storage (`torch.Tensor.view`); throws when
    /// the strides do not allow a view (call `reshaped`, which copies, instead).
    public func viewed(as shape: [Int]) throws(TensorError) -> Tensor {
        let target = try inferredShape(shape)
        guard let strides = viewStrides(for: target) else {
            throw refusal(.invalidArgument("view size \(target) is not compatible with input size \(self.shape) and strides \(strides): use reshaped(_:)"))
        }
        return viewing(shape: target, strides: strides)
    }

    /// Dimensions `startDim...endDim` merged into one (`torch.flatten`; all by default); a
    /// view when the strides allow.
    public func flattened(startDim: Int = 0, endDim: Int = -1) throws(TensorError) -> Tensor {
        guard rank > 0 else { return try reshaped([1]) }
        let (first, last) = (try normalized(startDim), try normalized(endDim))
        guard first <= last else { throw refusal(.invalidArgument("flatten() has invalid args: start_dim \(startDim) comes after end_dim \(endDim)")) }
        let merged = shape[first...last].reduce(1, *)
        return try reshaped(Array(shape[..<first]) + [merged] + Array(shape[(last + 1)...]))
    }

    /// The dimensions reordered: dimension i of the result is `dims[i]` of this tensor.
    public func permuted(_ dims: [Int]) throws(TensorError) -> Tensor {
        guard dims.count == rank else { throw refusal(.shapeMismatch("permute needs \(rank) dims, got \(dims)")) }
        let order = try dims.map { (dim) throws(TensorError) in try normalized(dim) }
        guard Set(order).count == rank else { throw refusal(.invalidArgument("permute dims \(dims) repeat a dimension")) }
        return viewing(shape: order.map { shape[$0] }, strides: order.map { strides[$0] })
    }

    /// `dim0` and `dim1` swapped (`torch.transpose`).
    public func transposed(_ dim0: Int, _ dim1: Int) throws(TensorError) -> Tensor {
        let (first, second) = (try normalized(dim0), try normalized(dim1))
        var order = Array(0..<rank)
        order.swapAt(first, second)
        return rank == 0 ? self : try permuted(order)
    }

    /// A matrix transposed; a tensor of rank 0 or 1 unchanged (`torch.Tensor.t`).
    public func transposed() throws(TensorError) -> Tensor {
        guard rank <= 2 else { throw refusal(.invalidArgument("transposed() expects a tensor of rank ≤ 2, got \(rank); name the dims")) }
        return rank < 2 ? self : try transposed(0, 1)
    }

    /// A dimension of size 1 inserted at `dim` (`torch.unsqueeze`).
    public func unsqueezed(_ dim: Int) throws(TensorError) -> Tensor {
        let position = try normalized(dim, rank: rank + 1)
        var newShape = shape, newStrides = strides
        let stride = position < rank ? strides[position] * shape[position] : 1
        newShape.insert(1, at: position)
        newStrides.insert(stride, at: position)
        return viewing(shape: newShape, strides: newStrides)
    }

    /// Dimensions of size 1 removed: `dim` alone when given (unchanged if its size is not 1),
    /// else all of them (`torch.squeeze`).
    public func squeezed(_ dim: Int? = nil) throws(TensorError) -> Tensor {
        let dropped: Set<Int>
        if let dim {
            let axis = try normalized(dim)
            dropped = rank > 0 && shape[axis] == 1 ? [axis] : []
        } else {
            dropped = Set(shape.indices.filter { shape[$0] == 1 })
        }
        let kept = shape.indices.filter { !dropped.contains($0) }
        return viewing(shape: kept.map { shape[$0] }, strides: kept.map { strides[$0] })
    }

    /// Dimensions of size 1 among `dims` removed (`torch.squeeze(x, dims)`).
    public func squeezed(dims: [Int]) throws(TensorError) -> Tensor {
        var axes = Set<Int>()
        for dim in dims { axes.insert(try normalized(dim)) }
        let kept = shape.indices.filter { !(axes.contains($0) && shape[$0] == 1) }
        return viewing(shape: kept.map { shape[$0] }, strides: kept.map { strides[$0] })
    }

    /// This tensor repeated along dimensions of size 1 to `shape`, without copying
    /// (`torch.Tensor.expand`); -1 keeps a size, and new leading dimensions may be added.
    public func expanded(to shape: [Int]) throws(TensorError) -> Tensor {
        guard shape.count >= rank else { throw refusal(.shapeMismatch("cannot expand \(self.shape) to fewer dimensions \(shape)")) }
        let lead = shape.count - rank
        var newShape = [Int](), newStrides = [Int]()
        for (axis, size) in shape.enumerated() {
            let ownAxis = axis - lead
            let own = ownAxis >= 0 ? self.shape[ownAxis] : 1
            let target = size == -1 && ownAxis >= 0 ? own : size
            guard target >= 0, own == target || own == 1 else {
                throw refusal(.shapeMismatch("the expanded size \(size) must match the existing size \(own) at dimension \(axis) (\(self.shape) to \(shape))"))
            }
            newShape.append(target)
            newStrides.append(ownAxis >= 0 && own == target ? strides[ownAxis] : 0)
        }
        return viewing(shape: newShape, strides: newStrides)
    }

    /// The shape `shape` with its -1 entry inferred from the element count.
    private func inferredShape(_ shape: [Int], function: String = #function) throws(TensorError) -> [Int] {
        let unknown = shape.indices.filter { shape[$0] == -1 }
        guard unknown.count <= 1, shape.allSatisfy({ $0 >= -1 }) else { throw refusal(.invalidArgument("invalid shape \(shape)"), function: function) }
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        var result = shape
        if let slot = unknown.first {
            guard known != 0, count % known == 0 else {
                throw refusal(.shapeMismatch("shape \(shape) is invalid for input of size \(count)"), function: function)
            }
            result[slot] = count / known
        }
        guard result.reduce(1, *) == count else {
            throw refusal(.shapeMismatch("shape \(shape) is invalid for input of size \(count)"), function: function)
        }
        return result
    }

    /// Strides that show this tensor's elements, in order, with `target`'s shape, or nil when
    /// no strides do (PyTorch's `computeStride`): groups of merged dimensions must be dense.
    private func viewStrides(for target: [Int]) -> [Int]? {
        if count == 0 || target.isEmpty || shape.isEmpty { return StridedOperand.contiguousStrides(for: target) }
        var result = [Int](repeating: 0, count: target.count)
        var viewAxis = target.count - 1
        var chunkBase = strides[rank - 1]
        var tensorElements = 1, viewElements = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            tensorElements *= shape[axis]
            if axis == 0 || (shape[axis - 1] != 1 && strides[axis - 1] != tensorElements * chunkBase) {
                while viewAxis >= 0 && (viewElements < tensorElements || target[viewAxis] == 1) {
                    result[viewAxis] = viewElements * chunkBase
                    viewElements *= target[viewAxis]
                    viewAxis -= 1
                }
                if viewElements != tensorElements { return nil }
                if axis > 0 {
                    chunkBase = strides[axis - 1]
                    tensorElements = 1
                    viewElements = 1
                }
            }
        }
        return viewAxis == -1 ? result : nil
    }
}
