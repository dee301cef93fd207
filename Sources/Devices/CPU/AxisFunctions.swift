import CCPUKernels

/// Validated operands of an `AxisOp`: the output (lane 0) and the input (lane 1) walked over
/// the shape with the axis set to 1 — one step per lane of the axis — and the axis itself.
struct AxisOperands: @unchecked Sendable {
    // The buffers these point into are kept alive by the queued work that holds this value.
    let output: UnsafeMutableRawPointer
    let input: UnsafeRawPointer
    let lanes: IterationSpace
    let length: Int
    let outputStride: Int
    let inputStride: Int

    /// The lanes along `axis` of `input` and `output` (one shape), in validated buffers.
    init(input: StridedOperand, _ inputBuffer: CPUBuffer, axis: Int, output: StridedOperand, _ outputBuffer: CPUBuffer) {
        var laneShape = input.shape
        laneShape[axis] = 1
        self.output = outputBuffer.baseAddress
        self.input = UnsafeRawPointer(inputBuffer.baseAddress)
        lanes = IterationSpace(shape: laneShape, origin: SIMD4(output.offset, input.offset, 0, 0)) {
            SIMD4(output.strides[$0], input.strides[$0], 0, 0)
        }
        (length, outputStride, inputStride) = (input.shape[axis], output.strides[axis], input.strides[axis])
    }
}

/// The `AxisOp` kernels: softmax and log-softmax one lane of the axis at a time, running
/// totals a tile of lanes at a time (`RunningTotals`), lanes split across cores.
///
/// float32 softmax along a contiguous axis runs in the vector kernel `ds_float_softmax`, and
/// down adjacent columns in `ds_float_softmax_columns`; other layouts and dtypes compute in
/// `Double`. Floating-point running totals accumulate in
/// `Double` as PyTorch's CPU kernels do (its `acc_type`); integer ones wrap in the element type.
enum AxisFunctions {
    static func supports(_ op: AxisOp, _ dtype: DType) -> Bool {
        switch op {
        case .softmax, .logSoftmax: dtype.isFloatingPoint
        case .cumsum, .cumprod: dtype != .bool
        }
    }

    /// Runs `op` on operands of `dtype` (validated, op supported).
    static func run(_ op: AxisOp, _ dtype: DType, _ operands: AxisOperands) {
        switch dtype {
        case .float32: runFloat(op, Float.self, operands)
        case .float64: runFloat(op, Double.self, operands)
        case .float16: runFloat(op, Float16.self, operands)
        case .bfloat16: runFloat(op, BFloat16.self, operands)
        case .int32: runInteger(op, Int32.self, operands)
        case .int64: runInteger(op, Int64.self, operands)
        case .uint8: runInteger(op, UInt8.self, operands)
        case .bool: preconditionFailure("\(op) on bool passed validation")
        }
    }

    private static func runFloat<E: FloatElement>(_ op: AxisOp, _: E.Type, _ operands: AxisOperands) {
        switch op {
        case .softmax, .logSoftmax:
            if E.self == Float.self, operands.lanes.innerStrides == SIMD4(1, 1, 0, 0) {
                softmaxColumns(operands, log: op == .logSoftmax)
                return
            }
            forEachLane(E.self, operands) { input, output in
                softmax(input, operands.inputStride, output, operands.outputStride, count: operands.length, log: op == .logSoftmax)
            }
        case .cumsum: RunningTotals.run(FloatRunningSum<E>.self, operands)
        case .cumprod: RunningTotals.run(FloatRunningProduct<E>.self, operands)
        }
    }

    private static func runInteger<E: IntegerElement>(_ op: AxisOp, _: E.Type, _ operands: AxisOperands) {
        switch op {
        case .cumsum: RunningTotals.run(IntegerRunningSum<E>.self, operands)
        case .cumprod: RunningTotals.run(IntegerRunningProduct<E>.self, operands)
        case .softmax, .logSoftmax: preconditionFailure("\(op) on \(E.dtype) passed validation")
        }
    }

    /// Calls `body(input, output)` with the first element of each lane, lanes split across
    /// cores by the elements they hold.
    private static func forEachLane<E: CPUElement>(
        _: E.Type, _ operands: AxisOperands, _ body: (UnsafePointer<E>, UnsafeMutablePointer<E>) -> Void
    ) {
        forEachLane(E.self, E.self, operands, body)
    }

    /// `forEachLane` with outputs of another type than the inputs (an argsort's int64).
    static func forEachLane<Input: BitwiseCopyable, Output: BitwiseCopyable>(
        _: Input.Type, _: Output.Type, _ operands: AxisOperands,
        _ body: (UnsafePointer<Input>, UnsafeMutablePointer<Output>) -> Void
    ) {
        let lanes = operands.lanes
        guard lanes.elementCount > 0, operands.length > 0 else { return }
        let output = operands.output.assumingMemoryBound(to: Output.self)
        let input = UnsafePointer(operands.input.assumingMemoryBound(to: Input.self))
        let strides = lanes.innerStrides
        let lanesPerCore = max(1, Parallel.elementsPerCore / operands.length)
        Parallel.forEachRange(count: lanes.elementCount, minimumPerCore: lanesPerCore) { range in
            lanes.forEachRun(in: range) { offsets, count in
                for j in 0..<count { body(input + (offsets[1] &+ j &* strides[1]), output + (offsets[0] &+ j &* strides[0])) }
            }
        }
    }

    /// float32 softmax of lanes adjacent in memory (`x.softmax(0)` of a row-major matrix) in
    /// `ds_float_softmax_columns`, one range of columns per core, so that each pass reads
    /// every row once, in order. Measured on the AMD EPYC VM, `softmax(0)` of 4096 × 1024
    /// float32: 46 ms a lane at a time (each reading one element per row in `Double`), 4.0-5.3 ms
    /// here (PyTorch 5.9-6.4 ms).
    private static func softmaxColumns(_ operands: AxisOperands, log: Bool) {
        let lanes = operands.lanes
        guard lanes.elementCount > 0, operands.length > 0 else { return }
        let output = operands.output.assumingMemoryBound(to: Float.self)
        let input = operands.input.assumingMemoryBound(to: Float.self)
        let lanesPerCore = max(1, Parallel.elementsPerCore / operands.length)
        Parallel.forEachSlab(count: lanes.elementCount, minimumPerCore: lanesPerCore) { range in
            lanes.forEachRun(in: range) { offsets, count in
                ds_float_softmax_columns(input + offsets[1], operands.inputStride, output + offsets[0], operands.outputStride,
                                         operands.length, count, log ? 1 : 0)
            }
        }
    }

    /// Softmax of one lane: the maximum, the sum of `exp(x - max)` in `Double`, then each
    /// output from its input again (so the output may be the input).
    private static func softmax<E: FloatElement>(
        _ input: UnsafePointer<E>, _ inputStride: Int, _ output: UnsafeMutablePointer<E>, _ outputStride: Int,
        count: Int, log: Bool
    ) {
        if E.self == Float.self, inputStride == 1, outputStride == 1 {
            ds_float_softmax(UnsafeRawPointer(input).assumingMemoryBound(to: Float.self),
                             UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self), count, log ? 1 : 0)
            return
        }
        // A NaN is skipped here but turns its exponential, so the sum and every output, NaN.
        var maximum = -Double.infinity
        for i in 0..<count {
            let x = Double(input[i &* inputStride].math)
            if x > maximum { maximum = x }
        }
        var sum = 0.0
        for i in 0..<count { sum += Double.exp(Double(input[i &* inputStride].math) - maximum) }
        let logSum = Double.log(sum)
        for i in 0..<count {
            let shifted = Double(input[i &* inputStride].math) - maximum
            let value = log ? shifted - logSum : Double.exp(shifted) / sum
            output[i &* outputStride] = E(math: E.Math(value))
        }
    }
}
