/// Sequences and identity matrices: `torch.arange`, `linspace`, `eye`. Values are computed
/// in float64 (or int64) on the host, as PyTorch's CPU kernels compute them, and converted
/// to the dtype on the device.
extension Tensor {
    /// `start, start + step, …` up to but excluding `end` (`torch.arange`). The dtype defaults
    /// to int64 when all three are integers, else float32.
    public static func arange(
        _ start: TensorScalar = 0, _ end: TensorScalar, step: TensorScalar = 1, dtype: DType? = nil,
        device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.arange", engine, fileID, line, function)
        let (first, last, increment) = (start.doubleValue, end.doubleValue, step.doubleValue)
        guard increment != 0, increment.isFinite, first.isFinite, last.isFinite else {
            throw placement.refused(.invalidArgument("arange needs a finite, nonzero step and finite bounds (got \(start), \(end), \(step))"), api: "Tensor.arange")
        }
        guard (last - first) / increment >= 0 || first == last else {
            throw placement.refused(.invalidArgument("upper bound and larger bound inconsistent with step sign (\(start), \(end), \(step))"), api: "Tensor.arange")
        }
        guard let count = Int(exactly: ((last - first) / increment).rounded(.up)), count <= 1 << 40 else {
            throw placement.refused(.invalidArgument("arange(\(start), \(end), \(step)) has too many elements"), api: "Tensor.arange")
        }
        let integral = [start, end, step].allSatisfy { if case .float = $0 { false } else { true } }
        let outputType = dtype ?? (integral ? .int64 : .float32)
        if integral && !outputType.isFloatingPoint {
            let values = (0..<count).map { Int64(first) + Int64($0) * Int64(increment) }
            return try hostValues(values, shape: [count], dtype: outputType, on: placement)
        }
        let values = (0..<count).map { first + Double($0) * increment }
        return try hostValues(values, shape: [count], dtype: outputType, on: placement)
    }

    /// `steps` values evenly spaced from `start` to `end` inclusive (`torch.linspace`).
    public static func linspace(
        _ start: Double, _ end: Double, steps: Int, dtype: DType = .float32, device: String = "cpu",
        engine: TensorEngine = .shared, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.linspace", engine, fileID, line, function)
        guard steps >= 0 else { throw placement.refused(.invalidArgument("number of steps must be non-negative, got \(steps)"), api: "Tensor.linspace") }
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        // PyTorch fills the first half from `start` and the second from `end`, so both ends are exact.
        let values = (0..<steps).map { index in
            steps == 1 || index < steps / 2 ? start + step * Double(index) : end - step * Double(steps - 1 - index)
        }
        return try hostValues(values, shape: [steps], dtype: dtype, on: placement)
    }

    /// An `rows`×`columns` matrix with ones on the diagonal (`torch.eye`).
    public static func eye(
        _ rows: Int, _ columns: Int? = nil, dtype: DType = .float32, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.eye", engine, fileID, line, function)
        let columns = columns ?? rows
        guard rows >= 0, columns >= 0 else { throw placement.refused(.invalidArgument("eye needs non-negative sizes, got \(rows)×\(columns)"), api: "Tensor.eye") }
        let matrix = try full([rows, columns], 0, dtype: dtype, on: placement)
        let diagonal = Swift.min(rows, columns)
        if diagonal > 0 {
            try matrix.viewing(shape: [diagonal], strides: [columns + 1]).fill(with: 1)
        }
        return matrix
    }

    /// A tensor of `dtype` holding host `values` (converted on the device when the types differ).
    static func hostValues<Element: TensorElement>(_ values: [Element], shape: [Int], dtype: DType,
                                                   on placement: TensorPlacement) throws(TensorError) -> Tensor {
        try fromHost(values, shape: shape, dtype: Element.dtype, on: placement).converted(to: dtype)
    }
}
