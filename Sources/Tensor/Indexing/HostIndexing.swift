/// `scatter` and `scatter_add`, computed on the host for lack of a device kernel: indices and
/// elements are read there, and the result placed back on the tensors' device. Each call is
/// a `debug` record saying so (as for `sort`). Elements move as bytes, whatever the dtype.
extension Tensor {
    /// A copy of this tensor with `source[…, i, …]` written to position `index[…, i, …]`
    /// along `dim` (`torch.scatter`); with `add`, values add up instead (`scatter_add`).
    public func scatter(dim: Int, index: Tensor, source: Tensor, add: Bool = false) throws(TensorError) -> Tensor {
        if rank == 0 && index.rank == 0 && source.rank <= 1 {
            return try reshaped([1]).scatter(dim: 0, index: index.reshaped([1]), source: source.reshaped([-1]), add: add).reshaped([])
        }
        let axis = try checkedIndex(index, dim: dim, api: "scatter")
        try checkSameDevice([source])
        guard source.dtype == dtype else { throw refusal(.invalidArgument("scatter(): expected self.dtype (\(dtype)) to be equal to src.dtype (\(source.dtype))")) }
        guard source.rank == rank, zip(index.shape, source.shape).allSatisfy({ $0 <= $1 }) else {
            throw refusal(.shapeMismatch("scatter expects index \(index.shape) no larger than source \(source.shape)"))
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

    private func elementOffset(_ coordinates: [Int], replacing axis: Int, with position: Int64, strides: [Int],
                               api: String) throws(TensorError) -> Int {
        guard (0..<Int64(shape[axis])).contains(position) else {
            throw placement.refused(.indexOutOfRange("\(api)(): index \(position) is out of bounds for dimension \(axis) with size \(shape[axis])"), api: "Tensor.\(api)")
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

    /// A `debug` record that `api` ran on the host for lack of a device kernel.
    func recordHostComputation(_ api: String) {
        placement.engine.log.record(.debug, RedirectionRecord(
            api: api, requested: requestedDevice.description, resolved: device.description,
            reason: "computed on the host: the backend contract has no kernel for it yet"), from: placement.origin)
    }
}
