/// Up to four strided operands walked together over one shape, as runs along the innermost
/// dimension: kernels get a pointer per operand and a run length, and handle the common
/// inner strides (all 1, or a broadcast stride 0) with tight loops.
///
/// Lane `k` of every stride vector belongs to operand `k`. Dimensions of size 1 are dropped
/// and neighbouring dimensions that are contiguous for every operand are merged, so any
/// dense layout — however it was described — becomes a single run.
struct IterationSpace {
    /// The merged shape, outermost first; never empty (a scalar is one run of one element).
    let shape: [Int]
    /// Each operand's element stride along each merged dimension.
    let strides: [SIMD4<Int>]
    /// Each operand's element offset of the first element.
    let origin: SIMD4<Int>
    let elementCount: Int

    /// `operands` are (offset, strides) pairs, each `strides` as long as `shape`.
    init(shape fullShape: [Int], operands: [(offset: Int, strides: [Int])]) {
        precondition(operands.count <= 4, "an iteration space walks at most four operands")
        var shape: [Int] = []
        var strides: [SIMD4<Int>] = []
        var origin = SIMD4<Int>()
        for (lane, operand) in operands.enumerated() { origin[lane] = operand.offset }
        for axis in fullShape.indices where fullShape[axis] != 1 {
            var axisStrides = SIMD4<Int>()
            for (lane, operand) in operands.enumerated() { axisStrides[lane] = operand.strides[axis] }
            // The outer neighbour merges with this dimension when, for every operand, stepping
            // it once is the same as stepping this one `fullShape[axis]` times.
            if let outer = strides.last, outer == axisStrides &* fullShape[axis] {
                shape[shape.count - 1] *= fullShape[axis]
                strides[strides.count - 1] = axisStrides
            } else {
                shape.append(fullShape[axis])
                strides.append(axisStrides)
            }
        }
        if shape.isEmpty {
            shape = [1]
            strides = [SIMD4<Int>()]
        }
        self.shape = shape
        self.strides = strides
        self.origin = origin
        elementCount = fullShape.reduce(1, *)
    }

    /// The operands' strides along the innermost dimension (within a run).
    var innerStrides: SIMD4<Int> { strides[strides.count - 1] }

    /// Calls `body(offsets, count)` for each run of elements `range` covers, in row-major
    /// order; `offsets` holds each operand's element offset of the run's first element.
    func forEachRun(in range: Range<Int>, _ body: (_ offsets: SIMD4<Int>, _ count: Int) -> Void) {
        guard !range.isEmpty else { return }
        let rank = shape.count
        let inner = shape[rank - 1]
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
            // The multi-index and offsets of the range's first element.
            var remaining = range.lowerBound
            var offsets = origin
            for axis in (0..<rank).reversed() {
                index[axis] = remaining % shape[axis]
                remaining /= shape[axis]
                offsets &+= strides[axis] &* index[axis]
            }
            var position = range.lowerBound
            while position < range.upperBound {
                let count = min(inner - index[rank - 1], range.upperBound - position)
                body(offsets, count)
                position += count
                // Step past the run, carrying into outer dimensions.
                index[rank - 1] += count
                offsets &+= strides[rank - 1] &* count
                var axis = rank - 1
                while axis > 0, index[axis] == shape[axis] {
                    offsets &-= strides[axis] &* shape[axis]
                    index[axis] = 0
                    axis -= 1
                    index[axis] += 1
                    offsets &+= strides[axis]
                }
            }
        }
    }
}
