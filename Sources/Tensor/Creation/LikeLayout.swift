/// The memory layout of a `like:` tensor, as PyTorch's `memory_format=torch.preserve_format`
/// (the default of `zeros_like`, `rand_like`, …) chooses it:
///
/// - a tensor whose elements tile its storage exactly (a permuted contiguous layout, such as
///   `x.transposed()`), or an empty one, lends its own strides: `zeros(like: x.transposed())`
///   is transposed too;
/// - any other (a stepped slice, an expanded view) gets dense strides that keep the order of
///   its strides: `zeros(like: x.permuted([2, 0, 1]).sliced(dim: 2, start: 0, step: 2))` is
///   dense, with its last dim in the middle of memory as in the slice.
///
/// Element-wise ops on the result and on the input then walk memory in the same order.
extension Tensor {
    /// The strides `zeros(like: self)` and the other `like:` forms give their tensor.
    var likeStrides: [Int] {
        if count == 0 || isNonOverlappingAndDense { return strides }
        return denseStridesInStrideOrder
    }

    /// `self`, a one-dimensional tensor of `other.count` fresh elements, viewed with
    /// `other`'s shape and `other.likeStrides` (each element of storage used once).
    func laidOut(like other: Tensor) -> Tensor {
        viewing(shape: other.shape, strides: other.likeStrides, offset: 0)
    }

    /// Whether the elements tile `count` consecutive storage elements, each used once.
    private var isNonOverlappingAndDense: Bool {
        var expected = 1
        for dim in (0..<rank).filter({ shape[$0] >= 2 }).sorted(by: { strides[$0] < strides[$1] }) {
            guard strides[dim] == expected else { return false }
            expected *= shape[dim]
        }
        return true
    }

    /// Contiguous strides for the dims ordered innermost first by stride: an insertion sort
    /// from the last dim, where a dim moves inward past one of larger stride (or of equal
    /// stride and smaller size), and an expanded (stride 0) dim keeps its place.
    private var denseStridesInStrideOrder: [Int] {
        var order = Array((0..<rank).reversed())
        for start in order.indices.dropFirst() {
            var moving = start
            for before in (0..<start).reversed() {
                let (earlier, later) = (order[before], order[moving])
                if strides[earlier] == 0 || strides[later] == 0 { continue }
                if strides[earlier] < strides[later] { break }
                guard strides[earlier] > strides[later] || shape[earlier] > shape[later] else { continue }
                order.swapAt(before, moving)
                moving = before
            }
        }
        var result = [Int](repeating: 0, count: rank)
        var step = 1
        for dim in order {
            result[dim] = step
            step *= Swift.max(shape[dim], 1)
        }
        return result
    }
}
