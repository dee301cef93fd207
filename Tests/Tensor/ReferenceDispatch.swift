import DeviceShimTensor

/// Calls the engine as a reference case calls PyTorch (`torch.<op>(*inputs, **kwargs)`).
struct ReferenceCall {
    let testCase: ReferenceCase
    /// The backend under test: tensors are asked for on `cuda`, which its engine's policy
    /// sends to that backend with the CPU as the fallback for ops it lacks.
    let backend: String
    var device: String { "cuda" }
    let engine: TensorEngine

    init(testCase: ReferenceCase, backend: String, engine: TensorEngine? = nil) {
        self.testCase = testCase
        self.backend = backend
        self.engine = engine ?? TensorDevices.engine(backend)
    }

    var kwargs: [String: JSONValue] { testCase.kwargs }

    /// The op's results; throws `TensorError` when the engine refuses the call.
    func run() throws -> [Tensor] { try runKeepingInputs().results }

    /// The op's results with the operands it was given (to check which results alias them).
    func runKeepingInputs() throws -> (inputs: [any TensorOperand], results: [Tensor]) {
        if let created = try creation(testCase.op) { return ([], [created]) }
        let inputs = try testCase.inputs.map(operand)
        return (inputs, try results(of: inputs))
    }

    private func results(of inputs: [any TensorOperand]) throws -> [Tensor] {
        let op = testCase.op
        if op == "cat" || op == "stack" {
            let tensors = inputs.compactMap { $0 as? Tensor }
            let dim = kwargs["dim"]?.int ?? 0
            return [op == "cat" ? try Tensor.cat(tensors, dim: dim) : try Tensor.stack(tensors, dim: dim)]
        }
        guard let first = inputs.first else { throw ReferenceFailure("\(op) has no inputs") }
        if op == "remainder", inputs.count == 2 { return [try Tensor.remainder(inputs[0], inputs[1])] }
        if let tensor = first as? Tensor {
            if let result = try unary(op, tensor) { return [result] }
            if let results = try structural(op, tensor) { return results }
        }
        guard inputs.count >= 2 || op == "pow" || op == "where" else { throw ReferenceFailure("unmapped op \(op)") }
        return [try binary(op, inputs)]
    }

    private func operand(_ value: JSONValue) throws -> any TensorOperand {
        if let scalar = value.scalar { return scalar }
        return try ReferenceTensors.make(value, device: device, engine: engine)
    }

    private func tensorArgument(_ name: String) throws -> Tensor {
        guard let value = kwargs[name] else { throw ReferenceFailure("missing \(name)") }
        return try ReferenceTensors.make(value, device: device, engine: engine)
    }

    private var dtype: DType? { get throws { try kwargs["dtype"]?.string.map(ReferenceTensors.dtype) } }
    private func scalar(_ name: String) -> TensorScalar? { kwargs[name]?.scalar }
    /// `dim` as a list: nil for absent or null (all dims).
    private var dims: [Int]? {
        guard let value = kwargs["dim"], !value.isNull else { return nil }
        return value.int.map { [$0] } ?? value.ints
    }
    private var keepDim: Bool { kwargs["keepdim"]?.bool ?? false }
    /// `correction` of var and std: an integer (older files) or a scalar; 1 when absent.
    private var correction: Double { kwargs["correction"]?.int.map(Double.init) ?? scalar("correction")?.doubleValue ?? 1 }

    private func creation(_ op: String) throws -> Tensor? {
        let size = kwargs["size"]?.ints ?? []
        switch op {
        case "zeros": return try Tensor.zeros(size, dtype: dtype ?? .float32, device: device, engine: engine)
        case "ones": return try Tensor.ones(size, dtype: dtype ?? .float32, device: device, engine: engine)
        case "full": return try Tensor.full(size, scalar("fill_value") ?? 0, dtype: dtype, device: device, engine: engine)
        case "arange":
            return try Tensor.arange(scalar("start") ?? 0, scalar("end") ?? 0, step: scalar("step") ?? 1, dtype: dtype, device: device, engine: engine)
        case "linspace":
            return try Tensor.linspace(scalar("start")?.doubleValue ?? 0, scalar("end")?.doubleValue ?? 0,
                                       steps: kwargs["steps"]?.int ?? 0, dtype: dtype ?? .float32, device: device, engine: engine)
        case "eye": return try Tensor.eye(kwargs["n"]?.int ?? 0, kwargs["m"]?.int, dtype: dtype ?? .float32, device: device, engine: engine)
        default: return nil
        }
    }

    private func unary(_ op: String, _ x: Tensor) throws -> Tensor? {
        switch op {
        case "exp": try x.exp()
        case "log": try x.log()
        case "sqrt": try x.sqrt()
        case "rsqrt": try x.rsqrt()
        case "reciprocal": try x.reciprocal()
        case "sin": try x.sin()
        case "cos": try x.cos()
        case "tanh": try x.tanh()
        case "sigmoid": try x.sigmoid()
        case "relu": try x.relu()
        case "nn.functional.gelu": try x.gelu()
        case "erf": try x.erf()
        case "floor": try x.floor()
        case "ceil": try x.ceil()
        case "round": try x.round()
        case "abs": try x.abs()
        case "neg": try x.neg()
        case "sign": try x.sign()
        case "square": try x.square()
        case "logical_not": try x.logicalNot()
        case "clamp" where kwargs.values.contains { $0.object?["dtype"] != nil }:
            try x.clamp(min: kwargs["min"].map { try ReferenceTensors.make($0, device: device, engine: engine) },
                        max: kwargs["max"].map { try ReferenceTensors.make($0, device: device, engine: engine) })
        case "clamp": try x.clamp(min: scalar("min"), max: scalar("max"))
        case "pow" where kwargs["exponent"] != nil: try x.pow(scalar("exponent")!)
        case "contiguous": try x.contiguous()
        case "t": try x.transposed()
        case "flatten": try x.flattened(startDim: kwargs["start_dim"]?.int ?? 0, endDim: kwargs["end_dim"]?.int ?? -1)
        default: nil
        }
    }

    /// Views, reductions, scans, selection: ops of one tensor with integer arguments.
    private func structural(_ op: String, _ x: Tensor) throws -> [Tensor]? {
        let dim = kwargs["dim"]?.int
        switch op {
        case "reshape": return [try x.reshaped(kwargs["shape"]?.ints ?? [])]
        case "view": return [try x.viewed(as: kwargs["size"]?.ints ?? [])]
        case "permute": return [try x.permuted(kwargs["dims"]?.ints ?? [])]
        case "transpose": return [try x.transposed(kwargs["dim0"]?.int ?? 0, kwargs["dim1"]?.int ?? 1)]
        case "slice":
            return [try x.sliced(dim: dim ?? 0, start: kwargs["start"]?.int, end: kwargs["end"]?.int, step: kwargs["step"]?.int ?? 1)]
        case "narrow": return [try x.narrowed(dim: dim ?? 0, start: kwargs["start"]?.int ?? 0, length: kwargs["length"]?.int ?? 0)]
        case "select": return [try x.selected(dim: dim ?? 0, index: kwargs["index"]?.int ?? 0)]
        case "expand": return [try x.expanded(to: kwargs["size"]?.ints ?? [])]
        case "squeeze": return [try kwargs["dim"]?.ints.map { try x.squeezed(dims: $0) } ?? x.squeezed(dims?.first)]
        case "unsqueeze": return [try x.unsqueezed(dim ?? 0)]
        case "as_strided":
            return [try x.asStrided(kwargs["size"]?.ints ?? [], strides: kwargs["stride"]?.ints ?? [], offset: kwargs["storage_offset"]?.int)]
        case "sum": return [try x.sum(dims: dims, keepDim: keepDim, dtype: dtype)]
        case "mean": return [try x.mean(dims: dims, keepDim: keepDim, dtype: dtype)]
        case "prod": return [try x.prod(dims: dims, keepDim: keepDim, dtype: dtype)]
        case "amax": return [try x.max(dims: dims, keepDim: keepDim)]
        case "amin": return [try x.min(dims: dims, keepDim: keepDim)]
        case "argmax": return [try x.argmax(dim: dim, keepDim: keepDim)]
        case "argmin": return [try x.argmin(dim: dim, keepDim: keepDim)]
        case "var" where kwargs["unbiased"] != nil:
            return [try x.variance(dims: dims, unbiased: kwargs["unbiased"]?.bool ?? true, keepDim: keepDim)]
        case "std" where kwargs["unbiased"] != nil:
            return [try x.standardDeviation(dims: dims, unbiased: kwargs["unbiased"]?.bool ?? true, keepDim: keepDim)]
        case "var": return [try x.variance(dims: dims, correction: correction, keepDim: keepDim)]
        case "std": return [try x.standardDeviation(dims: dims, correction: correction, keepDim: keepDim)]
        case "linalg.vector_norm": return [try x.norm(p: scalar("ord")?.doubleValue ?? 2, dims: dims, keepDim: keepDim, dtype: dtype)]
        case "all": return [try x.all(dims: dims, keepDim: keepDim)]
        case "any": return [try x.any(dims: dims, keepDim: keepDim)]
        case "softmax": return [try x.softmax(dim: dim ?? 0, dtype: dtype)]
        case "log_softmax": return [try x.logSoftmax(dim: dim ?? 0, dtype: dtype)]
        case "cumsum": return [try x.cumsum(dim: dim ?? 0, dtype: dtype)]
        case "cumprod": return [try x.cumprod(dim: dim ?? 0, dtype: dtype)]
        case "sort":
            let (values, indices) = try x.sort(dim: dim ?? -1, descending: kwargs["descending"]?.bool ?? false)
            return [values, indices]
        case "argsort": return [try x.argsort(dim: dim ?? -1, descending: kwargs["descending"]?.bool ?? false)]
        case "topk":
            let (values, indices) = try x.topk(kwargs["k"]?.int ?? 1, dim: dim ?? -1, largest: kwargs["largest"]?.bool ?? true,
                                               sorted: kwargs["sorted"]?.bool ?? true)
            return [values, indices]
        case "split":
            if let size = kwargs["split_size_or_sections"]?.int { return try x.split(size: size, dim: dim ?? 0) }
            return try x.split(sizes: kwargs["split_size_or_sections"]?.ints ?? [], dim: dim ?? 0)
        case "chunk": return try x.chunked(kwargs["chunks"]?.int ?? 1, dim: dim ?? 0)
        case "gather": return [try x.gather(dim: dim ?? 0, index: tensorArgument("index"))]
        case "index_select": return [try x.indexSelect(dim: dim ?? 0, index: tensorArgument("index"))]
        case "scatter":
            if let value = scalar("value") { return [try x.scatter(dim: dim ?? 0, index: tensorArgument("index"), value: value)] }
            return [try x.scatter(dim: dim ?? 0, index: tensorArgument("index"), source: tensorArgument("src"))]
        case "scatter_add": return [try x.scatter(dim: dim ?? 0, index: tensorArgument("index"), source: tensorArgument("src"), add: true)]
        default: return nil
        }
    }

    private func binary(_ op: String, _ inputs: [any TensorOperand]) throws -> Tensor {
        if op == "where" {
            guard let condition = inputs[0] as? Tensor else { throw ReferenceFailure("where needs a condition tensor") }
            return try Tensor.where(condition, inputs[1], inputs[2])
        }
        if op == "pow", inputs.count == 2, !(inputs[0] is Tensor), let exponent = inputs[1] as? Tensor, let base = inputs[0] as? TensorScalar {
            return try Tensor.pow(base, exponent)
        }
        guard let lhs = inputs[0] as? Tensor else { throw ReferenceFailure("\(op): first operand is not a tensor") }
        let rhs = inputs[1]
        switch op {
        case "add": return try lhs.add(rhs, alpha: scalar("alpha") ?? 1)
        case "sub": return try lhs.sub(rhs, alpha: scalar("alpha") ?? 1)
        case "mul": return try lhs.mul(rhs)
        case "div":
            switch kwargs["rounding_mode"]?.string {
            case "trunc": return try lhs.div(rhs, roundingMode: .trunc)
            case "floor": return try lhs.div(rhs, roundingMode: .floor)
            default: return try lhs.div(rhs)
            }
        case "remainder": return try lhs.remainder(rhs)
        case "pow": return try lhs.pow(rhs)
        case "maximum": return try lhs.maximum(rhs as! Tensor)
        case "minimum": return try lhs.minimum(rhs as! Tensor)
        case "eq": return try lhs.equal(rhs)
        case "ne": return try lhs.notEqual(rhs)
        case "lt": return try lhs.less(rhs)
        case "le": return try lhs.lessEqual(rhs)
        case "gt": return try lhs.greater(rhs)
        case "ge": return try lhs.greaterEqual(rhs)
        case "logical_and": return try lhs.logicalAnd(rhs)
        case "logical_or": return try lhs.logicalOr(rhs)
        case "logical_xor": return try lhs.logicalXor(rhs)
        case "matmul": return try lhs.matmul(rhs as! Tensor)
        case "mm": return try lhs.mm(rhs as! Tensor)
        case "bmm": return try lhs.bmm(rhs as! Tensor)
        case "masked_fill":
            guard let mask = rhs as? Tensor, let value = inputs[2] as? TensorScalar else { throw ReferenceFailure("masked_fill arguments") }
            return try lhs.maskedFill(mask, value)
        default: throw ReferenceFailure("unmapped op \(op)")
        }
    }
}
