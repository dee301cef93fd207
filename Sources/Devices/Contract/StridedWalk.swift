/// Strided operands walked together over one shape, as kernels of a fixed rank take them.
/// Dimensions of size 1 are dropped and neighbouring dimensions merged where every operand
/// steps through them as one, so a dense layout, however it was described, is one dimension;
/// `pieces(maxRank:)` splits what is left into launches of at most `maxRank` dimensions.
public struct StridedWalk: Sendable {
    /// The merged shape, outermost first (empty for a single element).
    public var shape: [Int]
    /// Operand k's element stride along each merged dimension.
    public var strides: [[Int]]
    /// Operand k's element offset of the walk's first element.
    public var offsets: [Int]

    /// The walk over `shape` of `operands`, each an offset and a stride per dimension.
    public init(shape fullShape: [Int], operands: [(offset: Int, strides: [Int])]) {
        var shape: [Int] = []
        var strides: [[Int]] = operands.map { _ in [] }
        StridedWalk.forEachKeptDimension(of: fullShape) { previous, axis in
            operands.allSatisfy { $0.strides[previous] == $0.strides[axis] * fullShape[axis] }
        } _: { axis, merges in
            if merges {
                shape[shape.count - 1] *= fullShape[axis]
                for operand in operands.indices { strides[operand][strides[operand].count - 1] = operands[operand].strides[axis] }
            } else {
                shape.append(fullShape[axis])
                for operand in operands.indices { strides[operand].append(operands[operand].strides[axis]) }
            }
        }
        self.init(shape: shape, strides: strides, offsets: operands.map(\.offset))
    }

    /// The merging rule, shared with the CPU's `IterationSpace`: calls `body(axis, merges)`
    /// for each dimension of `shape` longer than 1, in order, where `merges` says it joins the
    /// dimension kept before it. It does when `stepsTogether(previous, axis)`: stepping
    /// `previous` once is, for every operand, the same as stepping `axis` `shape[axis]` times.
    /// (A merged dimension's strides are its innermost part's, so comparing with `previous`
    /// itself is the same as comparing with everything merged so far.)
    @inline(__always)
    static func forEachKeptDimension(
        of shape: [Int], stepsTogether: (_ previous: Int, _ axis: Int) -> Bool, _ body: (_ axis: Int, _ merges: Bool) -> Void
    ) {
        var previous: Int?
        for axis in shape.indices where shape[axis] != 1 {
            body(axis, previous.map { stepsTogether($0, axis) } ?? false)
            previous = axis
        }
    }

    private init(shape: [Int], strides: [[Int]], offsets: [Int]) {
        self.shape = shape
        self.strides = strides
        self.offsets = offsets
    }

    public var elementCount: Int { shape.reduce(1, *) }

    /// Walks of at most `maxRank` dimensions covering this one: the innermost dimensions,
    /// once per index of the dimensions outside them, each at its moved offsets.
    public func pieces(maxRank: Int) -> [StridedWalk] {
        let split = max(shape.count - maxRank, 0)
        guard split > 0 else { return [self] }
        let inner = strides.map { Array($0[split...]) }
        var result: [StridedWalk] = []
        var index = [Int](repeating: 0, count: split)
        while true {
            let moved = offsets.indices.map { operand in
                offsets[operand] + zip(index, strides[operand]).reduce(0) { $0 + $1.0 * $1.1 }
            }
            result.append(StridedWalk(shape: Array(shape[split...]), strides: inner, offsets: moved))
            var axis = split - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return result }
        }
    }

    /// The same walk with leading dimensions of size 1 (stride 0) up to `rank` dimensions,
    /// for kernels that always take that many.
    public func padded(toRank rank: Int) -> StridedWalk {
        let pad = max(rank - shape.count, 0)
        return StridedWalk(shape: [Int](repeating: 1, count: pad) + shape,
                           strides: strides.map { [Int](repeating: 0, count: pad) + $0 }, offsets: offsets)
    }
}
