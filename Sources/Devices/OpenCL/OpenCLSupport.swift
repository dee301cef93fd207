/// What the OpenCL kernels compute — the same ops as the CPU backend, on every dtype the
/// device can hold: float64 only with `cl_khr_fp64`; GEMM on float32 (and float64); softmax
/// on floating point, running totals on all but bool (`AxisOp`); select and gather (which
/// move whole elements), scatter in both modes (assigning or adding), argsort (a bitonic
/// network over keys made from the elements' bits) and topk (argsort's keys) on every dtype.
enum OpenCLSupport {
    static func supports(_ op: KernelOp, _ dtype: DType, hasFloat64: Bool) -> Bool {
        if dtype == .float64, !hasFloat64 { return false }
        switch op {
        case let .unary(op):
            switch dtype {
            case .float32, .float64, .float16, .bfloat16: return true
            case .int32, .int64, .uint8: return UnaryOp.integerOps.contains(op)
            case .bool: return op == .logicalNot
            }
        case let .binary(op): return op.producesBool || dtype != .bool
        case let .reduce(op): return op == .sumOfSquares ? dtype.isFloatingPoint : dtype != .bool || (op != .sum && op != .prod)
        case let .convert(from): return from != .float64 || hasFloat64
        case .gemm: return dtype == .float32 || dtype == .float64
        case .select, .gather, .scatter, .argsort, .topk: return true
        case let .axis(op):
            switch op {
            case .softmax, .logSoftmax: return dtype.isFloatingPoint
            case .cumsum, .cumprod: return dtype != .bool
            }
        }
    }
}
