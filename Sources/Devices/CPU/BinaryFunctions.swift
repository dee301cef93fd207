import CCPUKernels

/// The `BinaryOp`s, one type each, and the dispatch from an op and dtype to its kernel.
///
/// Floating point follows IEEE: `remainder` is `fmod` (truncated, the sign of the dividend,
/// like integer `remainder`), `maximum`/`minimum` propagate NaN. Integers wrap; `div` and
/// `remainder` truncate toward zero and give 0 for a zero divisor; `pow` with a negative
/// exponent is the truncated `1 / x^-y` (so 0 unless x is ±1). Comparisons and logical ops
/// write bool; bools compare as false < true.
enum BinaryFunctions {
    /// What the CPU computes: arithmetic on every numeric dtype, comparisons and logical ops
    /// on every dtype including bool.
    static func supports(_ op: BinaryOp, _ dtype: DType) -> Bool {
        op.producesBool || dtype != .bool
    }

    /// Runs `op` on operands of `dtype` (already validated and supported).
    static func run(_ op: BinaryOp, _ dtype: DType, _ operands: ElementwiseOperands) {
        switch dtype {
        case .float32: runFloat32(op, operands)
        case .float64: runFloat(op, Double.self, operands)
        case .float16: runFloat(op, Float16.self, operands)
        case .bfloat16: runFloat(op, BFloat16.self, operands)
        case .int32: runInteger(op, Int32.self, operands)
        case .int64: runInteger(op, Int64.self, operands)
        case .uint8: runInteger(op, UInt8.self, operands)
        case .bool: runBoolResult(op, BoolByte.self, operands)
        }
    }

    /// float32 arithmetic with a vector kernel built for the CPU's widest vectors.
    private static func runFloat32(_ op: BinaryOp, _ operands: ElementwiseOperands) {
        switch op {
        case .add: ElementwiseKernels.run(FloatBinary<Float, FloatAdd>.self, operands, floatVectorKernel: DS_FLOAT_ADD)
        case .sub: ElementwiseKernels.run(FloatBinary<Float, FloatSub>.self, operands, floatVectorKernel: DS_FLOAT_SUB)
        case .mul: ElementwiseKernels.run(FloatBinary<Float, FloatMul>.self, operands, floatVectorKernel: DS_FLOAT_MUL)
        case .div: ElementwiseKernels.run(FloatBinary<Float, FloatDiv>.self, operands, floatVectorKernel: DS_FLOAT_DIV)
        default: runFloat(op, Float.self, operands)
        }
    }

    private static func runFloat<E: FloatElement>(_ op: BinaryOp, _: E.Type, _ operands: ElementwiseOperands) {
        switch op {
        case .add: ElementwiseKernels.run(FloatBinary<E, FloatAdd>.self, operands)
        case .sub: ElementwiseKernels.run(FloatBinary<E, FloatSub>.self, operands)
        case .mul: ElementwiseKernels.run(FloatBinary<E, FloatMul>.self, operands)
        case .div: ElementwiseKernels.run(FloatBinary<E, FloatDiv>.self, operands)
        case .remainder: ElementwiseKernels.run(FloatBinary<E, FloatRemainder>.self, operands)
        case .pow: ElementwiseKernels.run(FloatBinary<E, FloatPow>.self, operands)
        case .maximum: ElementwiseKernels.run(FloatBinary<E, FloatMaximum>.self, operands)
        case .minimum: ElementwiseKernels.run(FloatBinary<E, FloatMinimum>.self, operands)
        default: runBoolResult(op, E.self, operands)
        }
    }

    private static func runInteger<E: IntegerElement>(_ op: BinaryOp, _: E.Type, _ operands: ElementwiseOperands) {
        switch op {
        case .add: ElementwiseKernels.run(IntegerAdd<E>.self, operands)
        case .sub: ElementwiseKernels.run(IntegerSub<E>.self, operands)
        case .mul: ElementwiseKernels.run(IntegerMul<E>.self, operands)
        case .div: ElementwiseKernels.run(IntegerDiv<E>.self, operands)
        case .remainder: ElementwiseKernels.run(IntegerRemainder<E>.self, operands)
        case .pow: ElementwiseKernels.run(IntegerPow<E>.self, operands)
        case .maximum: ElementwiseKernels.run(IntegerMaximum<E>.self, operands)
        case .minimum: ElementwiseKernels.run(IntegerMinimum<E>.self, operands)
        default: runBoolResult(op, E.self, operands)
        }
    }

    /// Comparisons and logical ops, the same for every dtype.
    private static func runBoolResult<E: CPUElement>(_ op: BinaryOp, _: E.Type, _ operands: ElementwiseOperands) {
        switch op {
        case .equal: ElementwiseKernels.run(Equal<E>.self, operands)
        case .notEqual: ElementwiseKernels.run(NotEqual<E>.self, operands)
        case .less: ElementwiseKernels.run(Less<E>.self, operands)
        case .lessEqual: ElementwiseKernels.run(LessEqual<E>.self, operands)
        case .greater: ElementwiseKernels.run(Greater<E>.self, operands)
        case .greaterEqual: ElementwiseKernels.run(GreaterEqual<E>.self, operands)
        case .logicalAnd: ElementwiseKernels.run(LogicalAnd<E>.self, operands)
        case .logicalOr: ElementwiseKernels.run(LogicalOr<E>.self, operands)
        case .logicalXor: ElementwiseKernels.run(LogicalXor<E>.self, operands)
        default: preconditionFailure("\(op) on \(E.dtype) passed validation")
        }
    }
}

// MARK: - Floating point

/// A floating-point function, defined once for both compute precisions.
protocol FloatBinaryMath {
    static func compute<M: MathFloat>(_ lhs: M, _ rhs: M) -> M
}

/// `Math` applied to elements of type `E`: computed in `E.Math`, rounded once to `E`.
enum FloatBinary<E: FloatElement, Math: FloatBinaryMath>: BinaryFunction {
    @inline(__always) static func apply(_ lhs: E, _ rhs: E) -> E { E(math: Math.compute(lhs.math, rhs.math)) }
}

enum FloatAdd: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a + b }
}

enum FloatSub: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a - b }
}

enum FloatMul: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a * b }
}

enum FloatDiv: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a / b }
}

enum FloatRemainder: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { .fmod(a, b) }
}

enum FloatPow: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { .pow(a, b) }
}

enum FloatMaximum: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a.isNaN || a > b ? a : b }
}

enum FloatMinimum: FloatBinaryMath {
    @inline(__always) static func compute<M: MathFloat>(_ a: M, _ b: M) -> M { a.isNaN || a < b ? a : b }
}

// MARK: - Integers

enum IntegerAdd<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { a &+ b }
}

enum IntegerSub<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { a &- b }
}

enum IntegerMul<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { a &* b }
}

/// Truncating division; `min / -1` wraps to `min`, `x / 0` is 0.
enum IntegerDiv<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { b == 0 ? 0 : a.dividedReportingOverflow(by: b).partialValue }
}

/// The remainder of truncating division (the sign of the dividend); `x % 0` is 0.
enum IntegerRemainder<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E {
        b == 0 ? 0 : a.remainderReportingOverflow(dividingBy: b).partialValue
    }
}

/// `a` to the power `b` by squaring, wrapping; a negative `b` gives `1 / a^-b` truncated.
enum IntegerPow<E: IntegerElement>: BinaryFunction {
    static func apply(_ base: E, _ exponent: E) -> E {
        if exponent < 0 {
            if base == 1 { return 1 }
            if base == 0 &- 1 { return exponent & 1 == 0 ? 1 : base }
            return 0
        }
        var result: E = 1
        var square = base
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = result &* square }
            square = square &* square
            remaining >>= 1
        }
        return result
    }
}

enum IntegerMaximum<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { a > b ? a : b }
}

enum IntegerMinimum<E: IntegerElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> E { a < b ? a : b }
}

// MARK: - Comparisons and logical ops (any dtype)

enum Equal<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered == b.ordered) }
}

enum NotEqual<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered != b.ordered) }
}

enum Less<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered < b.ordered) }
}

enum LessEqual<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered <= b.ordered) }
}

enum Greater<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered > b.ordered) }
}

enum GreaterEqual<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.ordered >= b.ordered) }
}

enum LogicalAnd<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.isNonzero && b.isNonzero) }
}

enum LogicalOr<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.isNonzero || b.isNonzero) }
}

enum LogicalXor<E: CPUElement>: BinaryFunction {
    @inline(__always) static func apply(_ a: E, _ b: E) -> BoolByte { BoolByte(a.isNonzero != b.isNonzero) }
}
