#if canImport(Glibc)
import Glibc
#endif
import DeviceShim

/// Ops beyond the `tensor` group's target list, measured against PyTorch the same way but
/// without a target: a map of where the engine stands elsewhere. `DEVICESHIM_TENSOR_SURVEY=1`
/// runs them after the target cases (`DEVICESHIM_TENSOR_CASES` also picks them by kind). Each
/// mirrors a case of `Benchmarks/peers/tensor_peers.py`; `rows` is (size / 1024) × 1024 and
/// `a`, `b` are `size` elements, all float32 from `randn`.
enum TensorSurvey {
    /// The survey's cases by kind, with what each measures.
    static let cases: [(kind: String, title: String)] = [
        ("exp", "exp"), ("gelu", "gelu"), ("logsoftmax", "log_softmax(1)"), ("cumsum", "cumsum(1)"),
        ("cumsum0", "cumsum(0)"), ("softmax0", "softmax(0)"), ("argmax", "argmax(1)"), ("var", "var(1)"), ("mean0", "mean(0)"),
        ("maxdim", "max(1)"), ("norm", "norm()"),
        ("addT", "rows + t()"), ("addrow", "rows + row"), ("addcol", "rows + column"), ("cat", "cat(1)"),
        ("indexselect", "index_select(0)"), ("topk", "topk(8)"), ("transposecopy", "t().contiguous()"),
        ("bmm", "bmm 64x128x128"), ("bmm64", "bmm 64x128x128 f64"), ("bmm16", "bmm 64x128x128 f16"),
        ("bmmbf16", "bmm 64x128x128 bf16"), ("mmbf16", "matmul 1024 bf16"), ("add64", "add f64"), ("addint", "add i64"),
    ]

    static var enabled: Bool { getenv("DEVICESHIM_TENSOR_SURVEY") != nil }

    static func includes(_ kind: String) -> Bool { cases.contains { $0.kind == kind } }

    /// The case's name in the table: its title and size (matrix products' sizes are in their titles).
    static func name(of kind: String, size: Int) -> String? {
        guard let title = cases.first(where: { $0.kind == kind })?.title else { return nil }
        return kind.hasPrefix("bmm") || kind.hasPrefix("mm") ? title : "\(title) \(size >> 20)M"
    }

    /// The timed body of survey case `kind`, or nil for a kind outside the survey.
    static func body(_ kind: String, size: Int, rows: Tensor, a: Tensor, b: Tensor, generator: RandomGenerator,
                     device: String) throws -> (() throws -> Tensor)? {
        let height = size / 1024
        switch kind {
        case "exp": return { try a.exp() }
        case "gelu": return { try a.gelu() }
        case "logsoftmax": return { try rows.logSoftmax(dim: 1) }
        case "cumsum": return { try rows.cumsum(dim: 1) }
        case "cumsum0": return { try rows.cumsum(dim: 0) }
        case "softmax0": return { try rows.softmax(dim: 0) }
        case "argmax": return { try rows.argmax(dim: 1) }
        case "var": return { try rows.variance(dims: [1]) }
        case "mean0": return { try rows.mean(dims: [0]) }
        case "maxdim": return { try rows.max(dim: 1).values }
        case "norm": return { try a.norm() }
        case "addT":
            let other = try Tensor.randn([1024, height], generator: generator, device: device)
            return { try rows + other.transposed() }
        case "addrow":
            let row = try Tensor.randn([1024], generator: generator, device: device)
            return { try rows + row }
        case "addcol":
            let column = try Tensor.randn([height, 1], generator: generator, device: device)
            return { try rows + column }
        case "cat": return { try Tensor.cat([rows, rows], dim: 1) }
        case "indexselect":
            let index = try Tensor.randint(0, height, shape: [height], generator: generator, device: device)
            return { try rows.indexSelect(dim: 0, index: index) }
        case "topk": return { try rows.topk(8, dim: 1).values }
        case "transposecopy": return { try rows.transposed().contiguous() }
        case "bmm", "bmm64", "bmm16", "bmmbf16":
            var x = try Tensor.randn([64, 128, 128], generator: generator, device: device)
            var y = try Tensor.randn([64, 128, 128], generator: generator, device: device)
            let dtype: DType = ["bmm64": .float64, "bmm16": .float16, "bmmbf16": .bfloat16][kind] ?? .float32
            (x, y) = (try x.converted(to: dtype), try y.converted(to: dtype))
            return { [x, y] in try x.matmul(y) }
        case "mmbf16":
            let x = try Tensor.randn([1024, 1024], generator: generator, device: device).converted(to: .bfloat16)
            let y = try Tensor.randn([1024, 1024], generator: generator, device: device).converted(to: .bfloat16)
            return { try x.matmul(y) }
        case "add64":
            let (x, y) = (try a.converted(to: .float64), try b.converted(to: .float64))
            return { try x + y }
        case "addint":
            let (x, y) = (try (a * 100).converted(to: .int64), try (b * 100).converted(to: .int64))
            return { try x + y }
        default: return nil
        }
    }
}
