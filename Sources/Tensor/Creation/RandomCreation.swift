/// Random tensors: `torch.rand`, `randn`, `randint`, from a `RandomGenerator`.
extension Tensor {
    /// Values uniform in [0, 1) (`torch.rand`); `dtype` must be floating point.
    public static func rand(
        _ shape: [Int], dtype: DType = .float32, generator: RandomGenerator = .default, device: String = "cpu",
        engine: TensorEngine = .shared, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.rand", engine, fileID, line, function)
        try requireFloating(dtype, "rand", on: placement)
        let values = generator.uniform(try elementCount(shape, on: placement, api: "Tensor.rand"), wide: dtype == .float64)
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    /// Values from the standard normal distribution (`torch.randn`); `dtype` must be floating point.
    public static func randn(
        _ shape: [Int], dtype: DType = .float32, generator: RandomGenerator = .default, device: String = "cpu",
        engine: TensorEngine = .shared, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.randn", engine, fileID, line, function)
        try requireFloating(dtype, "randn", on: placement)
        let values = generator.normal(try elementCount(shape, on: placement, api: "Tensor.randn"))
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    /// Integers uniform in `low..<high` (`torch.randint`), int64 unless `dtype` is given.
    public static func randint(
        _ low: Int = 0, _ high: Int, shape: [Int], dtype: DType = .int64, generator: RandomGenerator = .default,
        device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.randint", engine, fileID, line, function)
        guard low < high else { throw placement.refused(.invalidArgument("randint expects low < high, got \(low) and \(high)"), api: "Tensor.randint") }
        let values = generator.integers(try elementCount(shape, on: placement, api: "Tensor.randint"), low: Int64(low), high: Int64(high))
        return try hostValues(values, shape: shape, dtype: dtype, on: placement)
    }

    /// Seeds the default generator (`torch.manual_seed`).
    public static func manualSeed(_ seed: UInt64) { RandomGenerator.default.seed(seed) }

    private static func requireFloating(_ dtype: DType, _ api: String, on placement: TensorPlacement) throws(TensorError) {
        guard dtype.isFloatingPoint else { throw placement.refused(.invalidArgument("\(api) needs a floating-point dtype, got \(dtype)"), api: "Tensor.\(api)") }
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
