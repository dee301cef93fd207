// C entry points of `include/deviceshim.h` that compute: element-wise arithmetic, unary
// functions, matmul, reductions and softmax. Each returns a new tensor in `*out`, under the
// policy its inputs were made under.

/// `body` on the tensors behind `a` and `b`, for the binary element-wise exports.
private func binary(_ api: String, _ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?,
                    _ body: (Tensor, Tensor) throws(TensorError) -> Tensor) -> Int32 {
    TensorCall.combine(api, [(a, "a"), (b, "b")], out, arguments: "a=\(a) b=\(b)") { tensors throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try body(tensors[0], tensors[1]) }
    }
}

@_cdecl("deviceshim_tensor_add")
public func deviceshim_tensor_add(_ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    binary("deviceshim_tensor_add", a, b, out) { lhs, rhs throws(TensorError) in try lhs.add(rhs) }
}

@_cdecl("deviceshim_tensor_sub")
public func deviceshim_tensor_sub(_ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    binary("deviceshim_tensor_sub", a, b, out) { lhs, rhs throws(TensorError) in try lhs.sub(rhs) }
}

@_cdecl("deviceshim_tensor_mul")
public func deviceshim_tensor_mul(_ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    binary("deviceshim_tensor_mul", a, b, out) { lhs, rhs throws(TensorError) in try lhs.mul(rhs) }
}

@_cdecl("deviceshim_tensor_div")
public func deviceshim_tensor_div(_ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    binary("deviceshim_tensor_div", a, b, out) { lhs, rhs throws(TensorError) in try lhs.div(rhs) }
}

@_cdecl("deviceshim_tensor_matmul")
public func deviceshim_tensor_matmul(_ a: UInt64, _ b: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    binary("deviceshim_tensor_matmul", a, b, out) { lhs, rhs throws(TensorError) in try lhs.matmul(rhs) }
}

@_cdecl("deviceshim_tensor_add_scalar")
public func deviceshim_tensor_add_scalar(_ handle: UInt64, _ value: Double, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_add_scalar", handle, out, arguments: "t=\(handle) value=\(value)") { tensor throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensor.add(TensorCall.scalar(value)) }
    }
}

@_cdecl("deviceshim_tensor_mul_scalar")
public func deviceshim_tensor_mul_scalar(_ handle: UInt64, _ value: Double, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_mul_scalar", handle, out, arguments: "t=\(handle) value=\(value)") { tensor throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensor.mul(TensorCall.scalar(value)) }
    }
}

/// The functions of `deviceshim_unary_op`, in the order of its values.
private enum UnaryFunction: Int32, CaseIterable {
    case neg, abs, sign, square, relu, exp, log, sqrt, rsqrt, reciprocal, sin, cos, tanh, sigmoid, gelu, erf
    case floor, ceil, round, trunc, logicalNot

    func apply(_ t: Tensor) throws(TensorError) -> Tensor {
        switch self {
        case .neg: try t.neg()
        case .abs: try t.abs()
        case .sign: try t.sign()
        case .square: try t.square()
        case .relu: try t.relu()
        case .exp: try t.exp()
        case .log: try t.log()
        case .sqrt: try t.sqrt()
        case .rsqrt: try t.rsqrt()
        case .reciprocal: try t.reciprocal()
        case .sin: try t.sin()
        case .cos: try t.cos()
        case .tanh: try t.tanh()
        case .sigmoid: try t.sigmoid()
        case .gelu: try t.gelu()
        case .erf: try t.erf()
        case .floor: try t.floor()
        case .ceil: try t.ceil()
        case .round: try t.round()
        case .trunc: try t.trunc()
        case .logicalNot: try t.logicalNot()
        }
    }
}

@_cdecl("deviceshim_tensor_unary")
public func deviceshim_tensor_unary(_ handle: UInt64, _ op: Int32, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_unary", handle, out, arguments: "t=\(handle) op=\(op)") { tensor throws(TensorCallError) in
        guard let function = UnaryFunction(rawValue: op) else {
            throw .invalidArgument("\(op) is not a deviceshim_unary_op (0...\(UnaryFunction.allCases.count - 1))")
        }
        return try TensorCall.engine { () throws(TensorError) in try function.apply(tensor) }
    }
}

/// The reductions of `deviceshim_reduction`, in the order of its values.
private enum Reduction: Int32 {
    case sum, mean, max, min, prod, argmax, argmin

    func apply(_ tensor: Tensor, dims: [Int], keepDim: Bool) throws(TensorCallError) -> Tensor {
        let all = dims.isEmpty ? nil : dims
        switch self {
        case .argmax, .argmin:
            guard dims.count <= 1 else { throw .invalidArgument("\(self) takes one dim or none (all), got \(dims)") }
        default: break
        }
        return try TensorCall.engine { () throws(TensorError) in
            switch self {
            case .sum: try tensor.sum(dims: all, keepDim: keepDim)
            case .mean: try tensor.mean(dims: all, keepDim: keepDim)
            case .max: try tensor.max(dims: all, keepDim: keepDim)
            case .min: try tensor.min(dims: all, keepDim: keepDim)
            case .prod: try tensor.prod(dims: all, keepDim: keepDim)
            case .argmax: try tensor.argmax(dim: dims.first, keepDim: keepDim)
            case .argmin: try tensor.argmin(dim: dims.first, keepDim: keepDim)
            }
        }
    }
}

@_cdecl("deviceshim_tensor_reduce")
public func deviceshim_tensor_reduce(_ handle: UInt64, _ op: Int32, _ dims: UnsafePointer<Int64>?, _ dimCount: Int32,
                                     _ keepDim: Int32, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_reduce", handle, out, arguments: "t=\(handle) op=\(op) ndims=\(dimCount) keepdim=\(keepDim)") {
        tensor throws(TensorCallError) in
        guard let reduction = Reduction(rawValue: op) else { throw .invalidArgument("\(op) is not a deviceshim_reduction (0...6)") }
        let axes = try TensorCall.integers(dims, count: dimCount, name: "dims")
        return try reduction.apply(tensor, dims: axes, keepDim: keepDim != 0)
    }
}

@_cdecl("deviceshim_tensor_softmax")
public func deviceshim_tensor_softmax(_ handle: UInt64, _ dim: Int64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_softmax", handle, out, arguments: "t=\(handle) dim=\(dim)") { tensor throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensor.softmax(dim: Int(dim)) }
    }
}
