/// Joining tensors: `torch.cat` and `torch.stack`, by copying each into its slice of the result.
extension Tensor {
    /// `tensors` joined along `dim` (`torch.cat`): their dtypes promote, and all other
    /// dimensions must match. One-dimensional empty tensors are skipped, as PyTorch skips them.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws(TensorError) -> Tensor {
        // With no tensor there is no placement to name: the record goes to the process's log.
        guard let first = tensors.first else {
            throw TensorEngine.shared.refused(.invalidArgument("cat expects a non-empty list of tensors"), api: "Tensor.cat", from: .native)
        }
        try first.checkSameDevice(tensors)
        if let position = tensors.firstIndex(where: { $0.rank == 0 }) {
            throw tensors[position].refusal(.invalidArgument("zero-dimensional tensor (at position \(position)) cannot be concatenated"))
        }
        let parts = tensors.filter { !($0.rank == 1 && $0.count == 0) }
        guard let reference = parts.first else { return try first.cloned() }
        let axis = try reference.normalized(dim)
        for part in parts {
            guard part.rank == reference.rank,
                  part.shape.indices.allSatisfy({ $0 == axis || part.shape[$0] == reference.shape[$0] }) else {
                throw reference.refusal(.shapeMismatch("sizes of tensors must match except in dimension \(axis): \(reference.shape) and \(part.shape)"))
            }
        }
        let dtype = tensors.map(\.dtype).reduce(tensors[0].dtype, TypePromotion.promoted)
        var shape = reference.shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        let result = try uninitialized(shape, dtype: dtype, on: first.placement)
        var start = 0
        for part in parts where part.shape[axis] > 0 {
            try result.narrowed(dim: axis, start: start, length: part.shape[axis]).write(part)
            start += part.shape[axis]
        }
        return result
    }

    /// `tensors`, all of one shape, stacked along a new dimension `dim` (`torch.stack`).
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws(TensorError) -> Tensor {
        guard let first = tensors.first else {
            throw TensorEngine.shared.refused(.invalidArgument("stack expects a non-empty list of tensors"), api: "Tensor.stack", from: .native)
        }
        for tensor in tensors where tensor.shape != first.shape {
            throw first.refusal(.shapeMismatch("stack expects each tensor to be equal size, but got \(first.shape) and \(tensor.shape)"))
        }
        let axis = try first.normalized(dim, rank: first.rank + 1)
        var parts: [Tensor] = []
        for tensor in tensors { parts.append(try tensor.unsqueezed(axis)) }
        return try cat(parts, dim: axis)
    }
}
