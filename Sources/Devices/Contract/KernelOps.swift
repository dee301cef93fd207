/// Element-wise functions of one operand. The output has the input's dtype, except
/// `logicalNot` (bool output). Integer dtypes support `neg`, `abs`, `sign`, `square`,
/// `relu` and `logicalNot`; the rest are for floating-point dtypes.
public enum UnaryOp: String, Sendable, CaseHashable, CaseIterable {
    case neg, abs, sign, square, relu, logicalNot
    case exp, log, sqrt, rsqrt, reciprocal, sin, cos, tanh, sigmoid, gelu, erf, floor, ceil, round

    /// The ops defined on integer (and uint8) dtypes.
    public static let integerOps: Set<UnaryOp> = [.neg, .abs, .sign, .square, .relu, .logicalNot]

    /// Whether the output dtype is bool rather than the input's.
    public var producesBool: Bool { self == .logicalNot }
}

/// Element-wise functions of two operands of one dtype. Comparisons and logical ops write
/// bool; the others write the operands' dtype. Integer arithmetic wraps on overflow and
/// integer `div`/`remainder` truncate toward zero, giving 0 for a zero divisor (never a trap).
public enum BinaryOp: String, Sendable, CaseHashable, CaseIterable {
    case add, sub, mul, div, remainder, pow, maximum, minimum
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case logicalAnd, logicalOr, logicalXor

    public var producesBool: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .logicalAnd, .logicalOr, .logicalXor: true
        default: false
        }
    }
}

/// Reductions along one axis. `argmax`/`argmin` write int64 indices (the first on ties),
/// `any`/`all` write bool, the others the input's dtype. Floating-point sums accumulate in
/// at least float32 (float64 for float64) with blocked summation.
public enum ReductionOp: String, Sendable, CaseHashable, CaseIterable {
    case sum, prod, max, min, argmax, argmin, any, all
    /// The sum of the elements' squares, floating point only (the 2-norm's, before its root),
    /// accumulated as `sum` accumulates.
    case sumOfSquares

    /// The dtype a reduction of `input` writes.
    public func outputType(for input: DType) -> DType {
        switch self {
        case .argmax, .argmin: .int64
        case .any, .all: .bool
        default: input
        }
    }
}

/// Ops along one axis whose output has the input's shape and dtype: each lane of the axis
/// (the elements that differ only in their index along it) gives the output's lane.
///
/// `softmax` is `exp(x - max) / sum(exp(x - max))` and `logSoftmax` is
/// `x - max - log(sum(exp(x - max)))` (`torch.softmax`, `torch.log_softmax`), for
/// floating-point dtypes; a lane holding NaN, or +inf, or only -inf gives NaN throughout.
/// `cumsum` and `cumprod` are inclusive running totals in order along the axis, for every
/// dtype but bool: floating point accumulates in at least float32, integers wrap.
public enum AxisOp: String, Sendable, CaseHashable, CaseIterable {
    case softmax, logSoftmax, cumsum, cumprod
}

/// How a scatter combines a source element with the output element it lands on.
public enum ScatterMode: String, Sendable, CaseHashable, CaseIterable {
    /// The source element replaces it (`torch.scatter`).
    case assign
    /// The source element is added to it (`torch.scatter_add`), one addition at a time and
    /// rounded to the dtype after each: floating point computed in at least float32, integers
    /// wrapping, bools ORed. (PyTorch rounds float16 and bfloat16 sums once, having added in
    /// float32: the tensor engine scatters float32 copies of those.)
    case add
}

/// Every kernel a backend may or may not have, for `supports(_:_:)` and fallback records.
public enum KernelOp: Sendable, Hashable, CustomStringConvertible {
    case unary(UnaryOp)
    case binary(BinaryOp)
    case reduce(ReductionOp)
    case axis(AxisOp)
    /// Conversion to another dtype (`dtype` in `supports` is the destination).
    case convert(from: DType)
    case gemm
    /// `torch.where`: an element of one operand or the other, by a bool condition.
    case select
    /// `torch.gather`: elements picked along an axis by an int64 index.
    case gather
    /// `torch.scatter` and `scatter_add`: elements placed along an axis by an int64 index.
    case scatter(ScatterMode)
    /// `torch.argsort(stable=True)`: the int64 positions that sort each lane of an axis.
    case argsort
    /// `torch.topk`'s indices: the first `k` positions of each lane's stable `argsort`.
    case topk

    public var description: String {
        switch self {
        case let .unary(op): op.rawValue
        case let .binary(op): op.rawValue
        case let .reduce(op): "reduce.\(op.rawValue)"
        case let .axis(op): op.rawValue
        case let .convert(from): "convert from \(from)"
        case .gemm: "gemm"
        case .select: "select"
        case .gather: "gather"
        case .scatter(.assign): "scatter"
        case .scatter(.add): "scatter_add"
        case .argsort: "argsort"
        case .topk: "topk"
        }
    }
}
