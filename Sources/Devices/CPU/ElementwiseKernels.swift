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
