/// Random tensors: `torch.rand`, `randn`, `randint` and their `…_like` forms, from a
/// `RandomGenerator`. A `like:` form's tensor has `other`'s memory layout where that is a
/// permuted dense one (`LikeLayout.swift`); its values are drawn in memory order.
extension Tensor {
    /// Values uniform in [0, 1) (`torch.rand`); `dtype` must be floating point.
    public static func rand(
        _ shape: [Int], dtype: DType = .float32, generator: RandomGenerator = .default, device: String = "cpu",
        engine: TensorEngine = .shared, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try rand(shape, dtype: dtype, generator: generator, on: placement(device, api: "Tensor.rand", engine, fileID, line, function))
    }

    /// Values from the standard normal distribution (`torch.randn`); `dtype` must be floating point.
    public static func randn(
        _ shape: [Int], dtype: DType = .float32, generator: RandomGenerator = .default, device: String = "cpu",
        engine: TensorEngine = .shared, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try randn(shape, dtype: dtype, generator: generator, on: placement(device, api: "Tensor.randn", engine, fileID, line, function))
    }

    /// Integers uniform in `low..<high` (`torch.randint`), int64 unless `dtype` is given.
    /// `low` and `high - 1` must be values `dtype` holds exactly, as PyTorch checks.
    public static func randint(
        _ low: Int, _ high: Int, shape: [Int], dtype: DType = .int64, generator: RandomGenerator = .default,
        device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try randint(low, high, shape: shape, dtype: dtype, generator: generator,
                    on: placement(device, api: "Tensor.randint", engine, fileID, line, function))
    }

    /// Integers uniform in `0..<high` (`torch.randint(high, size)`), int64 unless `dtype` is given.
    public static func randint(
        _ high: Int, shape: [Int], dtype: DType = .int64, generator: RandomGenerator = .default,
        device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try randint(0, high, shape: shape, dtype: dtype, generator: generator,
                    on: placement(device, api: "Tensor.randint", engine, fileID, line, function))
    }

    /// Values uniform in [0, 1) with `other`'s shape, dtype (unless given) and device (`torch.rand_like`).
    public static func rand(like other: Tensor, dtype: DType? = nil, generator: RandomGenerator = .default) throws(TensorError) -> Tensor {
        try rand([other.count], dtype: dtype ?? other.dtype, generator: generator, on: other.placement).laidOut(like: other)
    }

    /// Standard normal values with `other`'s shape, dtype (unless given) and device (`torch.randn_like`).
    public static func randn(like other: Tensor, dtype: DType? = nil, generator: RandomGenerator = .default) throws(TensorError) -> Tensor {
        try randn([other.count], dtype: dtype ?? other.dtype, generator: generator, on: other.placement).laidOut(like: other)
    }

    /// Integers uniform in `low..<high` with `other`'s shape, dtype (unless given) and device
    /// (`torch.randint_like`).
    public static func randint(
        like other: Tensor, _ low: Int, _ high: Int, dtype: DType? = nil, generator: RandomGenerator = .default
    ) throws(TensorError) -> Tensor {
        try randint(low, high, shape: [other.count], dtype: dtype ?? other.dtype, generator: generator, on: other.placement)
            .laidOut(like: other)
    }

    /// Integers uniform in `0..<high` with `other`'s shape, dtype (unless given) and device.
    public static func randint(like other: Tensor, _ high: Int, dtype: DType? = nil, generator: RandomGenerator = .default) throws(TensorError) -> Tensor {
        try randint(like: other, 0, high, dtype: dtype, generator: generator)
    }

    /// Seeds the default generator (`torch.manual_seed`).
    public static func manualSeed(_ seed: UInt64) { RandomGenerator.default.seed(seed) }

    private static func rand(_ shape: [Int], dtype: DType, generator: RandomGenerator,
                             on placement: TensorPlacement) throws(TensorError) -> Tensor {
        let bits = try floatingDigits(dtype, "rand", on: placement)
        let values = generator.uniform(try elementCount(shape, on: placement, api: "Tensor.rand"), bits: bits)
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    private static func randn(_ shape: [Int], dtype: DType, generator: RandomGenerator,
                              on placement: TensorPlacement) throws(TensorError) -> Tensor {
        _ = try floatingDigits(dtype, "randn", on: placement)
        let values = generator.normal(try elementCount(shape, on: placement, api: "Tensor.randn"))
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    private static func randint(_ low: Int, _ high: Int, shape: [Int], dtype: DType, generator: RandomGenerator,
                                on placement: TensorPlacement) throws(TensorError) -> Tensor {
        guard low < high else { throw placement.refused(.invalidArgument("randint expects low < high, got \(low) and \(high)"), api: "Tensor.randint") }
        let held = exactIntegers(of: dtype)
        for (name, value) in [("low", low), ("high - 1", high - 1)] where !held.contains(Int64(value)) {
            throw placement.refused(.invalidArgument("randint: \(name) = \(value) is out of bounds for \(dtype) (\(held))"), api: "Tensor.randint")
        }
        let values = generator.integers(try elementCount(shape, on: placement, api: "Tensor.randint"), low: Int64(low), high: Int64(high))
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    /// The significand bits of a floating-point `dtype`; other dtypes are refused.
    private static func floatingDigits(_ dtype: DType, _ api: String, on placement: TensorPlacement) throws(TensorError) -> Int {
        guard let digits = significandBits(of: dtype) else {
            throw placement.refused(.invalidArgument("\(api) needs a floating-point dtype, got \(dtype)"), api: "Tensor.\(api)")
        }
        return digits
    }

    /// The significand bits of a floating-point `dtype` (its implicit bit included); nil for others.
    private static func significandBits(of dtype: DType) -> Int? {
        switch dtype {
        case .float64: 53
        case .float32: 24
        case .float16: 11
        case .bfloat16: 8
        case .int32, .int64, .uint8, .bool: nil
        }
    }

    /// The integers `dtype` holds exactly, all of them consecutive: for a float, up to
    /// 2^significand bits (PyTorch's bounds for `randint`).
    private static func exactIntegers(of dtype: DType) -> ClosedRange<Int64> {
        if let digits = significandBits(of: dtype) { return -(1 << digits)...(1 << digits) }
        switch dtype {
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        case .uint8: return 0...255
        case .bool: return 0...1
        default: return Int64.min...Int64.max  // int64 (the floats returned above)
        }
    }

    private static func elementCount(_ shape: [Int], on placement: TensorPlacement, api: String) throws(TensorError) -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw placement.refused(.invalidArgument("negative dimension in shape \(shape)"), api: api) }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= 1 << 40 else { throw placement.refused(.invalidArgument("shape \(shape) has too many elements"), api: api) }
            count = product
        }
        return count
    }
}
