/// Up to four strided operands walked together over one shape, as runs along the innermost
/// dimension: kernels get a pointer per operand and a run length, and handle the common
/// inner strides (all 1, or a broadcast stride 0) with tight loops.
///
/// Lane `k` of every stride vector belongs to operand `k`. Dimensions of size 1 are dropped
/// and neighbouring dimensions that are contiguous for every operand are merged (the rule of
/// `StridedWalk.forEachKeptDimension`), so any dense layout — however it was described —
/// becomes a single run. A single run keeps no arrays: element-wise kernels build a space on
/// every op, and small ops feel each one.
struct IterationSpace {
    /// The merged dimensions outside the innermost, outermost first (empty for one run).
    let outerShape: [Int]
    /// Each operand's element stride along each outer dimension.
    let outerStrides: [SIMD4<Int>]
    /// The innermost merged dimension's length: the longest run.
    let innerLength: Int
    /// The operands' strides along the innermost dimension (within a run).
    let innerStrides: SIMD4<Int>
    /// Each operand's element offset of the first element.
    let origin: SIMD4<Int>
    let elementCount: Int

    /// Lane `k` of `origin` is operand `k`'s element offset, and lane `k` of
    /// `stridesAlong(axis)` its stride along `axis` of `fullShape`. (A closure, not arrays:
    /// this way the space builds no array but those it keeps.)
    init(shape fullShape: [Int], origin: SIMD4<Int>, stridesAlong: (_ axis: Int) -> SIMD4<Int>) {
        var outerShape: [Int] = []
        var outerStrides: [SIMD4<Int>] = []
        var inner: (length: Int, strides: SIMD4<Int>)?
        StridedWalk.forEachKeptDimension(of: fullShape) { previous, axis in
            stridesAlong(previous) == stridesAlong(axis) &* fullShape[axis]
        } _: { axis, merges in
            let axisStrides = stridesAlong(axis)
            if merges, let current = inner {
                inner = (current.length * fullShape[axis], axisStrides)
            } else {
                if let current = inner {
                    outerShape.append(current.length)
                    outerStrides.append(current.strides)
                }
                inner = (fullShape[axis], axisStrides)
            }
        }
        self.outerShape = outerShape
        self.outerStrides = outerStrides
        (innerLength, innerStrides) = inner ?? (1, SIMD4<Int>())
        self.origin = origin
        elementCount = fullShape.reduce(1, *)
    }

    /// Calls `body(offsets, count)` for each run of elements `range` covers, in row-major
    /// order; `offsets` holds each operand's element offset of the run's first element.
    func forEachRun(in range: Range<Int>, _ body: (_ offsets: SIMD4<Int>, _ count: Int) -> Void) {
        guard !range.isEmpty else { return }
        if outerShape.isEmpty {
            body(origin &+ innerStrides &* range.lowerBound, range.count)
            return
        }
        let rank = outerShape.count + 1
        let size = { (axis: Int) in axis == rank - 1 ? innerLength : outerShape[axis] }
        let stride = { (axis: Int) in axis == rank - 1 ? innerStrides : outerStrides[axis] }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
            // The multi-index and offsets of the range's first element.
            var remaining = range.lowerBound
            var offsets = origin
            for axis in (0..<rank).reversed() {
                index[axis] = remaining % size(axis)
                remaining /= size(axis)
                offsets &+= stride(axis) &* index[axis]
            }
            var position = range.lowerBound
            while position < range.upperBound {
                let count = min(innerLength - index[rank - 1], range.upperBound - position)
                body(offsets, count)
                position += count
                // Step past the run, carrying into outer dimensions.
                index[rank - 1] += count
                offsets &+= innerStrides &* count
                var axis = rank - 1
                while axis > 0, index[axis] == size(axis) {
                    offsets &-= stride(axis) &* size(axis)
                    index[axis] = 0
                    axis -= 1
                    index[axis] += 1
                    offsets &+= stride(axis)
                }
            }
        }
    }
}
