/// Making tensors: from Swift arrays and numbers, and filled ones (`torch.zeros`, `full`, …).
/// Every function taking `device` resolves it through the redirector; the record names the
/// Swift caller's file and line.
extension Tensor {
    /// A tensor holding `values` with `shape` (default: one dimension of `values.count`), of
    /// the element type's dtype (`[Float]` is float32, `[Int]` int64) unless `dtype` is given.
    public init<Element: TensorElement>(
        _ values: [Element], shape: [Int]? = nil, dtype: DType? = nil, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) {
        let placement = try Tensor.placement(device, api: "Tensor.init", engine, fileID, line, function)
        self = try Tensor.hostValues(values, shape: shape ?? [values.count], dtype: dtype ?? Element.dtype, on: placement)
    }

    /// A tensor of rank 0 holding `value`, with the dtype PyTorch's `torch.tensor(value)` has
    /// unless `dtype` is given.
    public init(
        scalar value: TensorScalar, dtype: DType? = nil, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) {
        let placement = try Tensor.placement(device, api: "Tensor.init", engine, fileID, line, function)
        self = try Tensor.full([], value, dtype: dtype ?? value.dtype, on: placement)
    }

    /// A tensor of `shape` with every element `value` (`torch.full`); the dtype defaults to
    /// the value's (int64, float32 or bool), as in PyTorch.
    public static func full(
        _ shape: [Int], _ value: TensorScalar, dtype: DType? = nil, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try full(shape, value, dtype: dtype ?? value.dtype, on: placement(device, api: "Tensor.full", engine, fileID, line, function))
    }

    /// A tensor of `shape` filled with 0 (`torch.zeros`).
    public static func zeros(
        _ shape: [Int], dtype: DType = .float32, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try full(shape, 0, dtype: dtype, on: placement(device, api: "Tensor.zeros", engine, fileID, line, function))
    }

    /// A tensor of `shape` filled with 1 (`torch.ones`).
    public static func ones(
        _ shape: [Int], dtype: DType = .float32, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try full(shape, 1, dtype: dtype, on: placement(device, api: "Tensor.ones", engine, fileID, line, function))
    }

    /// A tensor of `shape` whose elements are not set (`torch.empty`).
    public static func empty(
        _ shape: [Int], dtype: DType = .float32, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try uninitialized(shape, dtype: dtype, on: placement(device, api: "Tensor.empty", engine, fileID, line, function))
    }

    /// A tensor with `other`'s shape, dtype (unless given) and device, filled with `value`
    /// (`torch.full_like`). Like every `like:` form's tensor, it has `other`'s memory layout
    /// where `other` is a permuted dense one (see `LikeLayout.swift`), as in PyTorch.
    public static func full(like other: Tensor, _ value: TensorScalar, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try full([other.count], value, dtype: dtype ?? other.dtype, on: other.placement).laidOut(like: other)
    }

    /// Zeros shaped like `other` (`torch.zeros_like`).
    public static func zeros(like other: Tensor, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try full(like: other, 0, dtype: dtype)
    }

    /// Ones shaped like `other` (`torch.ones_like`).
    public static func ones(like other: Tensor, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try full(like: other, 1, dtype: dtype)
    }

    /// Unset elements shaped like `other` (`torch.empty_like`).
    public static func empty(like other: Tensor, dtype: DType? = nil) throws(TensorError) -> Tensor {
        try uninitialized([other.count], dtype: dtype ?? other.dtype, on: other.placement).laidOut(like: other)
    }

    /// A filled tensor; `checked` refuses values the dtype cannot hold (as `torch.full` does),
    /// unchecked ones wrap (as Python numbers in arithmetic do).
    static func full(_ shape: [Int], _ value: TensorScalar, dtype: DType, on placement: TensorPlacement,
                     checked: Bool = true) throws(TensorError) -> Tensor {
        if checked {
            do { try value.checkRepresentable(as: dtype) } catch { throw placement.refused(error, api: "Tensor.full") }
        }
        let tensor = try uninitialized(shape, dtype: dtype, on: placement)
        if tensor.count > 0 { try tensor.fill(with: value) }
        return tensor
    }

    /// The placement for `device`, resolved with a record naming the Swift caller.
    static func placement(_ device: String, api: String, _ engine: TensorEngine, _ fileID: String, _ line: Int,
                          _ function: String) throws(TensorError) -> TensorPlacement {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let request: DeviceRequest
        do { request = try TensorEngine.request(device) } catch { throw engine.refused(error, api: api, requested: device, from: site) }
        return try engine.placement(request, api: api, from: site)
    }
}
