import Synchronization

/// The CPU's `scatter` kernel (`torch.scatter`, `scatter_add`).
///
/// The index is split across cores along one dimension other than the scattered axis, so
/// every fiber of the axis stays with one thread, which walks it in order: no atomics, and
/// of two elements landing on one position the later is applied last, as in PyTorch's CPU
/// kernel. Assignments move elements as unsigned integers of their width; additions compute
/// as the `add` element-wise kernel does.
extension CPUQueue {
    public func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int,
                        output: StridedOperand, outOfRange: BufferRegion?) throws(DeviceError) {
        try output.checkScatter(source: source, index: index, axis: axis, outOfRange: outOfRange)
        let buffers = (try CPUValidation.buffer(output.buffer, role: "output"),
                       try CPUValidation.buffer(index.buffer, role: "index"),
                       try CPUValidation.buffer(source.buffer, role: "source"))
        // The output is walked with its stride along `axis` zeroed: the index says where to go.
        let operands = ScatterOperands(
            addresses: (buffers.0.baseAddress, buffers.1.baseAddress, buffers.2.baseAddress),
            shape: index.shape, origin: SIMD4(output.offset, index.offset, source.offset, 0),
            strides: index.shape.indices.map { SIMD4($0 == axis ? 0 : output.strides[$0], index.strides[$0], source.strides[$0], 0) },
            axis: axis, axisLength: output.shape[axis], axisStride: output.strides[axis])
        let dtype = output.dtype
        try submitFlagged((mode, dtype, operands), outOfRange, keeping: buffers) { ScatterKernels.run($0.0, $0.1, $0.2) }
    }
}

/// Validated operands of a scatter: base addresses of the output, index and source, and
/// their element strides by dimension of the index (lanes 0 to 2; the output's is 0 along
/// the axis), with the output's length and stride along the axis.
struct ScatterOperands: @unchecked Sendable {
    // The buffers these point into are kept alive by the queued work that holds this value.
    let addresses: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)
    let shape: [Int]
    let origin: SIMD4<Int>
    let strides: [SIMD4<Int>]
    let axis: Int
    let axisLength: Int
    let axisStride: Int

    /// The dimension split across cores: the longest other than the axis, if any is longer than 1.
    var splitDimension: Int? {
        shape.indices.filter { $0 != axis && shape[$0] > 1 }.max { shape[$0] < shape[$1] }
    }

    /// The index elements whose coordinate along `dimension` lies in `range` (all of them
    /// when `dimension` is nil).
    func space(slicing dimension: Int?, to range: Range<Int>) -> IterationSpace {
        guard let dimension else { return IterationSpace(shape: shape, origin: origin) { strides[$0] } }
        var sliced = shape
        sliced[dimension] = range.count
        return IterationSpace(shape: sliced, origin: origin &+ strides[dimension] &* range.lowerBound) { strides[$0] }
    }
}

/// How a scatter combines the element it finds with the one it brings.
protocol ScatterCombination {
    associatedtype Element
    static func combine(_ present: Element, _ arriving: Element) -> Element
}

/// `.assign`: the arriving element replaces the present one.
enum Replace<Element: FixedWidthInteger>: ScatterCombination {
    @inline(__always) static func combine(_ present: Element, _ arriving: Element) -> Element { arriving }
}

/// `.add`: the element-wise kernel's function of the two (an addition, or OR for bools).
enum Accumulate<Function: BinaryFunction>: ScatterCombination where Function.Input == Function.Output {
    @inline(__always) static func combine(_ present: Function.Input, _ arriving: Function.Input) -> Function.Input {
        Function.apply(present, arriving)
    }
}

enum ScatterKernels {
    /// Runs the scatter (validated operands) and returns whether an index was out of range.
    static func run(_ mode: ScatterMode, _ dtype: DType, _ operands: ScatterOperands) -> Bool {
        switch (mode, dtype) {
        case (.assign, _):
            switch dtype.byteSize {
            case 1: run(Replace<UInt8>.self, operands)
            case 2: run(Replace<UInt16>.self, operands)
            case 4: run(Replace<UInt32>.self, operands)
            default: run(Replace<UInt64>.self, operands)
            }
        case (.add, .float32): run(Accumulate<FloatBinary<Float, FloatAdd>>.self, operands)
        case (.add, .float64): run(Accumulate<FloatBinary<Double, FloatAdd>>.self, operands)
        case (.add, .float16): run(Accumulate<FloatBinary<Float16, FloatAdd>>.self, operands)
        case (.add, .bfloat16): run(Accumulate<FloatBinary<BFloat16, FloatAdd>>.self, operands)
        case (.add, .int32): run(Accumulate<IntegerAdd<Int32>>.self, operands)
        case (.add, .int64): run(Accumulate<IntegerAdd<Int64>>.self, operands)
        case (.add, .uint8): run(Accumulate<IntegerAdd<UInt8>>.self, operands)
        case (.add, .bool): run(Accumulate<LogicalOr<BoolByte>>.self, operands)
        }
    }

    /// Splits the index's elements into slices along `splitDimension`, each slice's runs
    /// done in row-major order by one thread.
    private static func run<Combination: ScatterCombination>(_: Combination.Type, _ operands: ScatterOperands) -> Bool {
        let count = operands.shape.reduce(1, *)
        guard count > 0 else { return false }
        let dimension = operands.splitDimension
        let slices = dimension.map { operands.shape[$0] } ?? 1
        // Slices of output elements next to each other are grouped by 64, as element ranges are.
        let adjacent = dimension.map { abs(operands.strides[$0][0]) == 1 } ?? false
        let missed = Atomic<Bool>(false)
        Parallel.forEachRange(count: slices, minimumPerCore: max(1, Parallel.elementsPerCore / (count / slices)),
                              granularity: adjacent ? 64 : 1) { range in
            let space = operands.space(slicing: dimension, to: range)
            var missedHere = false
            space.forEachRun(in: 0..<space.elementCount) { offsets, length in
                let missedInRun = runOf(Combination.self, operands, offsets: offsets, strides: space.innerStrides, count: length)
                missedHere = missedHere || missedInRun
            }
            if missedHere { missed.store(true, ordering: .relaxed) }
        }
        return missed.load(ordering: .relaxed)
    }

    /// One run of index elements; true when one of them was out of range (it writes nothing).
    private static func runOf<Combination: ScatterCombination>(
        _: Combination.Type, _ operands: ScatterOperands, offsets: SIMD4<Int>, strides: SIMD4<Int>, count: Int
    ) -> Bool {
        let output = operands.addresses.0.assumingMemoryBound(to: Combination.Element.self)
        let index = operands.addresses.1.assumingMemoryBound(to: Int64.self)
        let source = operands.addresses.2.assumingMemoryBound(to: Combination.Element.self)
        let (length, stride) = (operands.axisLength, operands.axisStride)
        let (outputStride, indexStride, sourceStride) = (strides[0], strides[1], strides[2])
        // Offsets from the element's number, not stepped together: stepped, the three were
        // kept in one vector register and taken apart on every element.
        let (out, at, from) = (output + offsets[0], index + offsets[1], source + offsets[2])
        // The run along a contiguous axis of contiguous tensors (PyTorch's usual
        // `scatter_add(-1, …)`), with no stride to multiply by: 11 instructions an element
        // for float32 addition, where the general loop took 15.
        if outputStride == 0, stride == 1, indexStride == 1, sourceStride == 1 {
            return scatterRun(count: count, length: length, index: { at[$0] }) { j, position in
                out[position] = Combination.combine(out[position], from[j])
            }
        }
        return scatterRun(count: count, length: length, index: { at[$0 &* indexStride] }) { j, position in
            let target = j &* outputStride &+ position &* stride
            out[target] = Combination.combine(out[target], from[j &* sourceStride])
        }
    }

    /// Calls `apply(j, position)` for each `j` below `count` whose index `index(j)` is in
    /// `0..<length`; true when one was not. The inner `while` ends only at a miss, so a run
    /// without one carries no flag from element to element.
    @inline(__always)
    private static func scatterRun(count: Int, length: Int, index: (Int) -> Int64,
                                   _ apply: (Int, Int) -> Void) -> Bool {
        var (j, missed) = (0, false)
        while j < count {
            while j < count {
                // One unsigned comparison tests both ends: a negative index wraps above `length`.
                let position = Int(truncatingIfNeeded: index(j))
                guard UInt(bitPattern: position) < UInt(length) else { break }
                apply(j, position)
                j &+= 1
            }
            if j < count { (missed, j) = (true, j &+ 1) }
        }
        return missed
    }
}
