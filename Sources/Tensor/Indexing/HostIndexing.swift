/// `gather`, `scatter` and `index_select`: indices are read on the host; gather and
/// scatter move elements there too (see HostSelection), index_select copies slices on the device.
extension Tensor {
    /// `out[…, i, …] = self[…, index[…, i, …], …]` along `dim` (`torch.gather`); `index` is
    /// int64 with this tensor's rank, no larger than it in the other dimensions.
    public func gather(dim: Int, index: Tensor) throws(TensorError) -> Tensor {
        if rank == 0 && index.rank == 0 { return try reshaped([1]).gather(dim: 0, index: index.reshaped([1])).reshaped([]) }
        let axis = try checkedIndex(index, dim: dim, api: "gather", allowInt32: true)
        let source = try hostBytes()
        let positions = try index.toArray(Int64.self)
        let width = dtype.byteSize
        var result = [UInt8](repeating: 0, count: positions.count * width)
        let sourceStrides = StridedOperand.contiguousStrides(for: shape)
        for (flat, coordinates) in Tensor.coordinates(of: index.shape).enumerated() {
            let element = try elementOffset(coordinates, replacing: axis, with: positions[flat], strides: sourceStrides, api: "gather")
            for byte in 0..<width { result[flat * width + byte] = source[element * width + byte] }
        }
        recordHostComputation("Tensor.gather")
        return try Tensor.fromHost(result, shape: index.shape, dtype: dtype, on: placement)
    }

    /// A copy of this tensor with `source[…, i, …]` written to position `index[…, i, …]`
    /// along `dim` (`torch.scatter`); with `add`, values add up instead (`scatter_add`).
    public func scatter(dim: Int, index: Tensor, source: Tensor, add: Bool = false) throws(TensorError) -> Tensor {
        if rank == 0 && index.rank == 0 && source.rank <= 1 {
            return try reshaped([1]).scatter(dim: 0, index: index.reshaped([1]), source: source.reshaped([-1]), add: add).reshaped([])
        }
        let axis = try checkedIndex(index, dim: dim, api: "scatter")
        try checkSameDevice([source])
        guard source.dtype == dtype else { throw .invalidArgument("scatter(): expected self.dtype (\(dtype)) to be equal to src.dtype (\(source.dtype))") }
        guard source.rank == rank, zip(index.shape, source.shape).allSatisfy({ $0 <= $1 }) else {
            throw .shapeMismatch("scatter expects index \(index.shape) no larger than source \(source.shape)")
        }
        let positions = try index.toArray(Int64.self)
        let sourceStrides = StridedOperand.contiguousStrides(for: source.shape)
        let ownStrides = StridedOperand.contiguousStrides(for: shape)
        var targets: [(target: Int, from: Int)] = []
        for (flat, coordinates) in Tensor.coordinates(of: index.shape).enumerated() {
            let target = try elementOffset(coordinates, replacing: axis, with: positions[flat], strides: ownStrides, api: "scatter")
            targets.append((target, zip(coordinates, sourceStrides).map(*).reduce(0, +)))
        }
        recordHostComputation(add ? "Tensor.scatter_add" : "Tensor.scatter")
        if add {
            // Sums run in float64 (int64 for integers) and are converted back.
            let wide: DType = dtype.isFloatingPoint ? .float64 : .int64
            var values = try converted(to: wide).hostBytes(), additions = try source.converted(to: wide).hostBytes()
            values.withUnsafeMutableBytes { own in
                additions.withUnsafeMutableBytes { other in
                    for (target, from) in targets {
                        if wide == .float64 {
                            own.storeBytes(of: own.load(fromByteOffset: target * 8, as: Double.self) + other.load(fromByteOffset: from * 8, as: Double.self), toByteOffset: target * 8, as: Double.self)
                        } else {
                            own.storeBytes(of: own.load(fromByteOffset: target * 8, as: Int64.self) &+ other.load(fromByteOffset: from * 8, as: Int64.self), toByteOffset: target * 8, as: Int64.self)
                        }
                    }
                }
            }
            return try Tensor.fromHost(values, shape: shape, dtype: wide, on: placement).converted(to: dtype)
        }
        var values = try hostBytes()
        let written = try source.converted(to: dtype).hostBytes()
        let width = dtype.byteSize
        for (target, from) in targets {
            for byte in 0..<width { values[target * width + byte] = written[from * width + byte] }
        }
        return try Tensor.fromHost(values, shape: shape, dtype: dtype, on: placement)
    }

    /// A copy of this tensor with `value` written at the positions `index` names along `dim`
    /// (`torch.scatter(…, value=)`).
    public func scatter(dim: Int, index: Tensor, value: TensorScalar) throws(TensorError) -> Tensor {
        try scatter(dim: dim, index: index, source: Tensor.full(index.shape.isEmpty ? [] : index.shape, value, dtype: dtype, on: placement))
    }

    /// The slices at `index` (1-D, integer) along `dim`, in that order (`torch.index_select`).
    public func indexSelect(dim: Int, index: Tensor) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        try checkSameDevice([index])
        guard index.rank <= 1, !index.dtype.isFloatingPoint, index.dtype != .bool else {
            throw .invalidArgument("index_select expects a 1-D integer index, got \(index.dtype) of shape \(index.shape)")
        }
        let positions = try index.toArray(Int64.self)
        var resultShape = shape
        if rank > 0 { resultShape[axis] = positions.count }
        let result = try Tensor.uninitialized(resultShape, dtype: dtype, on: placement)
        for (slot, position) in positions.enumerated() {
            guard rank > 0 else { try result.write(self); break }
            guard (0..<Int64(shape[axis])).contains(position) else {
                throw .indexOutOfRange("index \(position) is out of bounds for dimension \(axis) with size \(shape[axis])")
            }
            try result.narrowed(dim: axis, start: slot, length: 1).write(narrowed(dim: axis, start: Int(position), length: 1))
        }
        return result
    }

    /// Checks a gather/scatter index and returns the normalised dimension.
    private func checkedIndex(_ index: Tensor, dim: Int, api: String, allowInt32: Bool = false) throws(TensorError) -> Int {
        try checkSameDevice([index])
        let axis = try normalized(dim)
        guard index.dtype == .int64 || (allowInt32 && index.dtype == .int32) else { throw .invalidArgument("\(api)(): expected dtype int64 for index, got \(index.dtype)") }
        guard index.rank == rank, index.shape.indices.allSatisfy({ $0 == axis || index.shape[$0] <= shape[$0] }) else {
            throw .shapeMismatch("\(api)(): index \(index.shape) must have the input's rank and be no larger outside dimension \(axis) (input \(shape))")
        }
        return axis
    }

    private func elementOffset(_ coordinates: [Int], replacing axis: Int, with position: Int64, strides: [Int],
                               api: String) throws(TensorError) -> Int {
        guard (0..<Int64(shape[axis])).contains(position) else {
            throw .indexOutOfRange("\(api)(): index \(position) is out of bounds for dimension \(axis) with size \(shape[axis])")
        }
        var offset = 0
        for (dimension, coordinate) in coordinates.enumerated() {
            offset += (dimension == axis ? Int(position) : coordinate) * strides[dimension]
        }
        return offset
    }

    /// Every coordinate of `shape`, in row-major order.
    static func coordinates(of shape: [Int]) -> [[Int]] {
        let total = shape.reduce(1, *)
        guard total > 0 else { return [] }
        var result: [[Int]] = []
        result.reserveCapacity(total)
        var current = [Int](repeating: 0, count: shape.count)
        for _ in 0..<total {
            result.append(current)
            var axis = shape.count - 1
            while axis >= 0 {
                current[axis] += 1
                if current[axis] < shape[axis] { break }
                current[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
