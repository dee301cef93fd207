/// Which ops and dtypes the Vulkan shaders compute (honestly: only what they implement).
///
/// float32, float16 and bfloat16 have every op (computed in float32, rounded once, half to
/// even); int32, uint8 and bool the integer and logical ops. int64 and float64 need the wide
/// shader variants (shaderInt64 and shaderFloat64): float64 lacks the transcendental unary
/// ops and `pow` (GLSL has no float64 exp, log, sin, …; computing them in float32 would not
/// be float64 results), which the redirector runs elsewhere. GEMM on float16 / bfloat16
/// multiplies in float32 and rounds C once, as the CPU backend does. The `AxisOp` shader has
/// softmax / log-softmax for float32, float16 and bfloat16 (float64 would need exp and log)
/// and running sums and products for every dtype but bool. `select`, `gather` and `scatter`
/// (assign) move elements as their bits (gather and scatter read their int64 index as two
/// 32-bit words), so they take every dtype, wide shader variants or not. `scatter_add` adds
/// as the element-wise `add` does (floats in float32 and rounded after each addition,
/// integers wrapping, bools ORed), so it has int64 and float64 only with the wide variants.
/// `argsort` (stable, NaN above every number, -0.0 equal to 0.0, bool bytes true when
/// nonzero) takes every dtype too: its keys are built and compared as 32-bit words (an int64
/// or float64 key is two), so the narrow shaders sort int64 and float64 as well; `topk` uses
/// the same keys.
enum VulkanSupport {
    /// The ops that need no 64-bit shader types: they move elements as their bits, or (argsort,
    /// topk) compare them as 32-bit words. Every dtype, wide variants or not.
    static let opsWithoutWideTypes: Set<KernelOp> = [.select, .gather, .scatter(.assign), .argsort, .topk]

    static let float64UnaryOps: Set<UnaryOp> = [.neg, .abs, .sign, .square, .relu, .logicalNot, .sqrt, .rsqrt,
                                                .reciprocal, .floor, .ceil, .round]

    static func supports(_ op: KernelOp, _ dtype: DType, wide: Bool) -> Bool {
        if !wide, dtype == .int64 || dtype == .float64, !opsWithoutWideTypes.contains(op) { return false }
        switch op {
        case let .unary(op):
            switch dtype {
            case .float32, .float16, .bfloat16: return true
            case .float64: return float64UnaryOps.contains(op)
            case .int32, .int64, .uint8: return UnaryOp.integerOps.contains(op)
            case .bool: return op == .logicalNot
            }
        case let .binary(op):
            if dtype == .bool { return op.producesBool }
            return !(dtype == .float64 && op == .pow)
        case let .reduce(op):
            if op == .sumOfSquares { return dtype.isFloatingPoint }
            return dtype != .bool || (op != .sum && op != .prod)
        case let .convert(from):
            return wide || (from != .int64 && from != .float64)
        case .gemm:
            return dtype.isFloatingPoint
        case .select, .gather, .scatter, .argsort, .topk:
            return true
        case let .axis(op):
            switch op {
            case .softmax, .logSoftmax: return dtype.isFloatingPoint && dtype != .float64  // no float64 exp / log
            case .cumsum, .cumprod: return dtype != .bool
            }
        }
    }
}
