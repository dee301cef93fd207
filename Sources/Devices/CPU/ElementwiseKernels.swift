#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels

/// An element-wise function of one value. Each op is a type, so a kernel specialised for it
/// has the function inlined into its loops (which LLVM then vectorises).
protocol UnaryFunction {
    associatedtype Input: CPUElement
    associatedtype Output: CPUElement
    static func apply(_ x: Input) -> Output
}

/// An element-wise function of two values of one type.
protocol BinaryFunction {
    associatedtype Input: CPUElement
    associatedtype Output: CPUElement
    static func apply(_ lhs: Input, _ rhs: Input) -> Output
}

/// Validated operands of an element-wise kernel: base addresses and the space they are
/// walked over (lane 0 the output, lanes 1 and 2 the inputs).
struct ElementwiseOperands: @unchecked Sendable {
    // The buffers these point into are kept alive by the queued work that holds this value.
    let output: UnsafeMutableRawPointer
    let first: UnsafeRawPointer
    let second: UnsafeRawPointer
    let space: IterationSpace
}

/// The drivers shared by every element-wise op: split across cores, walk the runs, and
/// pick a loop by the runs' strides.
enum ElementwiseKernels {
    /// Outputs of at least this many floats are written with non-temporal stores. They skip
    /// reading each output line before overwriting it, a third of `a + b`'s memory traffic,
    /// but leave the output out of the cache, so the next op reads it from memory. That pays
    /// only when an op's operands (three arrays of this size) overflow the last-level cache
    /// anyway. On the 32 MB L3 of the AMD EPYC VMs a 4M-element `a + b` took 650-800 µs
    /// streamed and 1000-1450 µs not (a C harness, both cores). On the Intel VMs, where this
    /// was first judged by glibc's figure (a 300 MB L3; the kernel's was not recorded),
    /// streaming 16 MB outputs made `(a * b + c).relu().sum()` slower.
    /// DS_FLOAT_STREAMING_THRESHOLD when the cache size is unknown.
    static let streamingThreshold: Int = {
        guard let lastLevelBytes = HostCache.lastLevelBytes else { return Int(DS_FLOAT_STREAMING_THRESHOLD) }
        return max(Int(DS_FLOAT_STREAMING_THRESHOLD), lastLevelBytes / 12)
    }()

    /// Runs `Function`. When `floatVectorKernel` is given (float32 operands only), dense runs
    /// go to that C kernel instead (vector_math.h).
    static func run<Function: UnaryFunction>(
        _: Function.Type, _ operands: ElementwiseOperands, floatVectorKernel: ds_float_unary_op? = nil
    ) {
        let output = operands.output.assumingMemoryBound(to: Function.Output.self)
        let input = operands.first.assumingMemoryBound(to: Function.Input.self)
        let space = operands.space
        let strides = space.innerStrides
        if readsAcrossRuns(space, elementBytes: MemoryLayout<Function.Input>.stride) {
            return unaryAcrossRuns(Function.self, output, input, space)
        }
        let vectorKernel = strides[0] == 1 && strides[1] == 1 ? floatVectorKernel : nil
        let streamOutput: Int32 = space.elementCount >= streamingThreshold ? 1 : 0
        Parallel.forEachRange(count: space.elementCount) { range in
            space.forEachRun(in: range) { offsets, count in
                if let vectorKernel {
                    ds_float_unary(vectorKernel, operands.first.assumingMemoryBound(to: Float.self) + offsets[1],
                                   operands.output.assumingMemoryBound(to: Float.self) + offsets[0], count, streamOutput)
                } else {
                    unaryRun(Function.self, output + offsets[0], input + offsets[1], count: count, strides: strides)
                }
            }
        }
    }

    /// Runs `Function`. When `floatVectorKernel` is given (float32 operands only), runs that
    /// are dense or broadcast one input go to that C kernel instead (vector_kernels.h).
    static func run<Function: BinaryFunction>(
        _: Function.Type, _ operands: ElementwiseOperands, floatVectorKernel: ds_float_binary_op? = nil
    ) {
        let output = operands.output.assumingMemoryBound(to: Function.Output.self)
        let lhs = operands.first.assumingMemoryBound(to: Function.Input.self)
        let rhs = operands.second.assumingMemoryBound(to: Function.Input.self)
        let space = operands.space
        let strides = space.innerStrides
        let steps = (0...1)
        let vectorKernel = strides[0] == 1 && steps.contains(strides[1]) && steps.contains(strides[2])
            && strides[1] + strides[2] > 0 ? floatVectorKernel : nil
        let streamOutput: Int32 = space.elementCount >= streamingThreshold ? 1 : 0
        Parallel.forEachRange(count: space.elementCount) { range in
            space.forEachRun(in: range) { offsets, count in
                if let vectorKernel {
                    let floats = (output: operands.output.assumingMemoryBound(to: Float.self),
                                  lhs: operands.first.assumingMemoryBound(to: Float.self),
                                  rhs: operands.second.assumingMemoryBound(to: Float.self))
                    ds_float_binary(vectorKernel, floats.lhs + offsets[1], strides[1], floats.rhs + offsets[2], strides[2],
                                    floats.output + offsets[0], count, streamOutput)
                } else {
                    binaryRun(Function.self, output + offsets[0], lhs + offsets[1], rhs + offsets[2], count: count, strides: strides)
                }
            }
        }
    }

    /// Rows read across runs at once: how many runs (rows) `unaryAcrossRuns` takes together.
    static let rowsAcrossRuns = 16
    /// Columns `unaryAcrossRuns` takes down all its rows before the next ones.
    static let columnsAcrossRuns = 256

    /// Whether the input is read with a stride of a cache line or more along the runs and
    /// a smaller one from run to run (a transpose: `x.t().contiguous()`): then element by
    /// element each read lands on a new cache line (and page), and reading across
    /// `rowsAcrossRuns` runs at once uses each line's neighbours while it is cached.
    static func readsAcrossRuns(_ space: IterationSpace, elementBytes: Int) -> Bool {
        guard let rowStride = space.outerStrides.last?[1], space.innerStrides[0] == 1, space.elementCount > 0 else {
            return false
        }
        let runStride = space.innerStrides[1].magnitude
        return runStride * UInt(elementBytes) >= 64 && rowStride.magnitude < runStride
    }

    /// Copies the input to the output unchanged (elements `width` bytes wide) when it
    /// `readsAcrossRuns`, in the C transposing copy (copy_kernels.h); false otherwise.
    /// Measured on the AMD EPYC VM, `x.t().contiguous()` of a 4096 × 1024 float32 `x` (two
    /// threads): 14.8 ms element by element, 7.0-7.8 ms across runs in Swift (the loop other
    /// functions take), 2.5-2.7 ms in C, PyTorch 4.9-5.0 ms.
    static func copyAcrossRuns(width: Int, _ operands: ElementwiseOperands) -> Bool {
        let space = operands.space
        guard readsAcrossRuns(space, elementBytes: width) else { return false }
        let (strides, rowStrides) = (space.innerStrides, space.outerStrides[space.outerStrides.count - 1])
        forEachRowSpan(space) { offsets, rows in
            ds_copy_transposed(Int32(width), operands.output + offsets[0] &* width, rowStrides[0], strides[0],
                               operands.first + offsets[1] &* width, rowStrides[1], strides[1], rows, space.innerLength)
        }
        return true
    }

    /// `copyAcrossRuns`'s order for any unary function, in Swift: `rowsAcrossRuns` rows at a
    /// time, column by column, in chunks of `columnsAcrossRuns` columns.
    private static func unaryAcrossRuns<Function: UnaryFunction>(
        _: Function.Type, _ output: UnsafeMutablePointer<Function.Output>, _ input: UnsafePointer<Function.Input>,
        _ space: IterationSpace
    ) {
        let (length, strides, rowStrides) = (space.innerLength, space.innerStrides, space.outerStrides[space.outerStrides.count - 1])
        forEachRowSpan(space) { offsets, rows in
            for chunk in stride(from: 0, to: length, by: columnsAcrossRuns) {
                for block in stride(from: 0, to: rows, by: rowsAcrossRuns) {
                    let blockRows = min(rowsAcrossRuns, rows - block)
                    for column in chunk..<min(chunk + columnsAcrossRuns, length) {
                        var at = offsets &+ strides &* column &+ rowStrides &* block
                        for _ in 0..<blockRows {
                            output[at[0]] = Function.apply(input[at[1]])
                            at &+= rowStrides
                        }
                    }
                }
            }
        }
    }

    /// Splits the space's rows (runs) across cores and calls `body(offsets, rows)` for each
    /// stretch of consecutive rows along the innermost outer dimension: row `i` of a stretch
    /// starts at `offsets + i · space.outerStrides.last`.
    private static func forEachRowSpan(_ space: IterationSpace, _ body: (_ offsets: SIMD4<Int>, _ rows: Int) -> Void) {
        let length = space.innerLength
        let span = space.outerShape[space.outerShape.count - 1]
        Parallel.forEachRange(count: space.elementCount / length, minimumPerCore: max(1, Parallel.elementsPerCore / length),
                              granularity: rowsAcrossRuns) { range in
            var first = range.lowerBound
            while first < range.upperBound {
                let last = min(range.upperBound, (first / span + 1) * span)
                space.forEachRun(in: first * length..<first * length + 1) { offsets, _ in body(offsets, last - first) }
                first = last
            }
        }
    }

    @inline(__always)
    static func unaryRun<Function: UnaryFunction>(
        _: Function.Type, _ output: UnsafeMutablePointer<Function.Output>, _ input: UnsafePointer<Function.Input>,
        count: Int, strides: SIMD4<Int>
    ) {
        if strides[0] == 1, strides[1] == 1 {
            for i in 0..<count { output[i] = Function.apply(input[i]) }
        } else if strides[0] == 1, strides[1] == 0 {
            output.update(repeating: Function.apply(input.pointee), count: count)
        } else {
            for i in 0..<count { output[i &* strides[0]] = Function.apply(input[i &* strides[1]]) }
        }
    }

    @inline(__always)
    static func binaryRun<Function: BinaryFunction>(
        _: Function.Type, _ output: UnsafeMutablePointer<Function.Output>, _ lhs: UnsafePointer<Function.Input>,
        _ rhs: UnsafePointer<Function.Input>, count: Int, strides: SIMD4<Int>
    ) {
        switch (strides[0], strides[1], strides[2]) {
        case (1, 1, 1):
            for i in 0..<count { output[i] = Function.apply(lhs[i], rhs[i]) }
        case (1, 1, 0):
            let scalar = rhs.pointee
            for i in 0..<count { output[i] = Function.apply(lhs[i], scalar) }
        case (1, 0, 1):
            let scalar = lhs.pointee
            for i in 0..<count { output[i] = Function.apply(scalar, rhs[i]) }
        default:
            for i in 0..<count {
                output[i &* strides[0]] = Function.apply(lhs[i &* strides[1]], rhs[i &* strides[2]])
            }
        }
    }
}
