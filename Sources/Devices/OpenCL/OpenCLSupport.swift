/// What the OpenCL kernels compute — the same ops as the CPU backend, on every dtype the
/// device can hold: float64 only with `cl_khr_fp64`; GEMM on float32 (and float64).
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
        case let .reduce(op): return dtype != .bool || (op != .sum && op != .prod)
        case let .convert(from): return from != .float64 || hasFloat64
        case .gemm: return dtype == .float32 || dtype == .float64
        case .axis: return false  // composed by the tensor engine on this device
        }
    }
}
