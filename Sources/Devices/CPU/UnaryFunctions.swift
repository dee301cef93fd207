import CCPUKernels

/// The `UnaryOp`s, one type each, and the dispatch from an op and dtype to its kernel.
///
/// Floating-point functions compute in `Float` (float32, float16, bfloat16) or `Double`
/// and round once to the element type. Integer functions wrap (`neg` of the minimum is the
/// minimum). NaN passes through `sign`, `relu` and the rounding functions.
enum UnaryFunctions {
    /// What the CPU computes: every op on floating point, `UnaryOp.integerOps` on integers,
    /// `logicalNot` on bool.
    static func supports(_ op: UnaryOp, _ dtype: DType) -> Bool {
        switch dtype {
        case .float32, .float64, .float16, .bfloat16: true
        case .int32, .int64, .uint8: UnaryOp.integerOps.contains(op)
        case .bool: op == .logicalNot
        }
    }

    /// Runs `op` on operands of `dtype` (already validated and supported).
    static func run(_ op: UnaryOp, _ dtype: DType, _ operands: ElementwiseOperands) {
        switch dtype {
        case .float32: runFloat32(op, operands)
        case .float64: runFloat(op, Double.self, operands)
        case .float16: runFloat(op, Float16.self, operands)
        case .bfloat16: runFloat(op, BFloat16.self, operands)
        case .int32: runInteger(op, Int32.self, operands)
        case .int64: runInteger(op, Int64.self, operands)
        case .uint8: runInteger(op, UInt8.self, operands)
        case .bool: ElementwiseKernels.run(LogicalNot<BoolByte>.self, operands)
        }
    }

    /// float32 ops with a vector kernel (vector_math.h): the transcendentals, and relu for
    /// its streamed stores on large outputs. The Swift function still runs strided operands.
    private static func runFloat32(_ op: UnaryOp, _ operands: ElementwiseOperands) {
        switch op {
        case .exp: ElementwiseKernels.run(FloatUnary<Float, Exp>.self, operands, floatVectorKernel: DS_FLOAT_EXP)
        case .log: ElementwiseKernels.run(FloatUnary<Float, Log>.self, operands, floatVectorKernel: DS_FLOAT_LOG)
        case .tanh: ElementwiseKernels.run(FloatUnary<Float, Tanh>.self, operands, floatVectorKernel: DS_FLOAT_TANH)
        case .sigmoid: ElementwiseKernels.run(FloatUnary<Float, Sigmoid>.self, operands, floatVectorKernel: DS_FLOAT_SIGMOID)
        case .relu: ElementwiseKernels.run(FloatUnary<Float, FloatRelu>.self, operands, floatVectorKernel: DS_FLOAT_RELU)
        case .erf: ElementwiseKernels.run(FloatUnary<Float, Erf>.self, operands, floatVectorKernel: DS_FLOAT_ERF)
        case .gelu: ElementwiseKernels.run(FloatUnary<Float, Gelu>.self, operands, floatVectorKernel: DS_FLOAT_GELU)
        default: runFloat(op, Float.self, operands)
        }
    }

    private static func runFloat<E: FloatElement>(_ op: UnaryOp, _: E.Type, _ operands: ElementwiseOperands) {
        switch op {
        case .neg: ElementwiseKernels.run(FloatUnary<E, FloatNeg>.self, operands)
        case .abs: ElementwiseKernels.run(FloatUnary<E, FloatAbs>.self, operands)
        case .sign: ElementwiseKernels.run(FloatUnary<E, FloatSign>.self, operands)
        case .square: ElementwiseKernels.run(FloatUnary<E, FloatSquare>.self, operands)
        case .relu: ElementwiseKernels.run(FloatUnary<E, FloatRelu>.self, operands)
        case .logicalNot: ElementwiseKernels.run(LogicalNot<E>.self, operands)
        case .exp: ElementwiseKernels.run(FloatUnary<E, Exp>.self, operands)
        case .log: ElementwiseKernels.run(FloatUnary<E, Log>.self, operands)
        case .sqrt: ElementwiseKernels.run(FloatUnary<E, Sqrt>.self, operands)
        case .rsqrt: ElementwiseKernels.run(FloatUnary<E, Rsqrt>.self, operands)
        case .reciprocal: ElementwiseKernels.run(FloatUnary<E, Reciprocal>.self, operands)
        case .sin: ElementwiseKernels.run(FloatUnary<E, Sin>.self, operands)
        case .cos: ElementwiseKernels.run(FloatUnary<E, Cos>.self, operands)
        case .tanh: ElementwiseKernels.run(FloatUnary<E, Tanh>.self, operands)
        case .sigmoid: ElementwiseKernels.run(FloatUnary<E, Sigmoid>.self, operands)
        case .gelu: ElementwiseKernels.run(FloatUnary<E, Gelu>.self, operands)
        case .erf: ElementwiseKernels.run(FloatUnary<E, Erf>.self, operands)
        case .floor: ElementwiseKernels.run(FloatUnary<E, Floor>.self, operands)
        case .ceil: ElementwiseKernels.run(FloatUnary<E, Ceil>.self, operands)
        case .round: ElementwiseKernels.run(FloatUnary<E, Round>.self, operands)
        }
    }

    private static func runInteger<E: IntegerElement>(_ op: UnaryOp, _: E.Type, _ operands: ElementwiseOperands) {
        switch op {
        case .neg: ElementwiseKernels.run(IntegerNeg<E>.self, operands)
        case .abs: ElementwiseKernels.run(IntegerAbs<E>.self, operands)
        case .sign: ElementwiseKernels.run(IntegerSign<E>.self, operands)
        case .square: ElementwiseKernels.run(IntegerSquare<E>.self, operands)
        case .relu: ElementwiseKernels.run(IntegerRelu<E>.self, operands)
        case .logicalNot: ElementwiseKernels.run(LogicalNot<E>.self, operands)
        default: preconditionFailure("\(op) on \(E.dtype) passed validation")
        }
    }
}

// MARK: - Any dtype

enum LogicalNot<E: CPUElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> BoolByte { BoolByte(!x.isNonzero) }
}

// MARK: - Floating point

/// A floating-point function, defined once for both compute precisions.
protocol FloatUnaryMath {
    static func compute<M: MathFloat>(_ x: M) -> M
}

/// `Math` applied to elements of type `E`: computed in `E.Math`, rounded once to `E`.
enum FloatUnary<E: FloatElement, Math: FloatUnaryMath>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { E(math: Math.compute(x.math)) }
}

enum FloatNeg: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { -x }
}

enum FloatAbs: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x.magnitude }
}

enum FloatSign: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x > 0 ? 1 : x < 0 ? -1 : x }
}

enum FloatSquare: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x * x }
}

enum FloatRelu: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x < 0 ? 0 : x }
}

enum Exp: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .exp(x) }
}

enum Log: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .log(x) }
}

enum Sqrt: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x.squareRoot() }
}

enum Rsqrt: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { 1 / x.squareRoot() }
}

enum Reciprocal: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { 1 / x }
}

enum Sin: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .sin(x) }
}

enum Cos: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .cos(x) }
}

enum Tanh: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .tanh(x) }
}

enum Sigmoid: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { 1 / (1 + .exp(-x)) }
}

/// The exact GELU, `x·Φ(x) = x/2·(1 + erf(x/√2))` (PyTorch's default, not the tanh form).
enum Gelu: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M {
        0.5 * x * (1 + .erf(x * 0.707_106_781_186_547_524_4))
    }
}

enum Erf: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { .erf(x) }
}

enum Floor: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x.rounded(.down) }
}

enum Ceil: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x.rounded(.up) }
}

/// Half to even, as `torch.round` and `numpy.round`.
enum Round: FloatUnaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ x: M) -> M { x.rounded(.toNearestOrEven) }
}

// MARK: - Integers

enum IntegerNeg<E: IntegerElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { 0 &- x }
}

enum IntegerAbs<E: IntegerElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { x < 0 ? 0 &- x : x }
}

enum IntegerSign<E: IntegerElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { x > 0 ? 1 : x == 0 ? 0 : 0 &- 1 }
}

enum IntegerSquare<E: IntegerElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { x &* x }
}

enum IntegerRelu<E: IntegerElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: E) -> E { x < 0 ? 0 : x }
}
