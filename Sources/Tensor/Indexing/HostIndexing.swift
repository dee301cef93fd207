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
        let targets = try scatterTargets(axis: axis, index: index, sourceShape: source.shape)
        recordHostComputation(add ? "Tensor.scatter_add" : "Tensor.scatter")
        if add {
            // Sums run in float64 (int64 for integers) and are converted back.
            let wide: DType = dtype.isFloatingPoint ? .float64 : .int64
            var values = try converted(to: wide).hostBytes()
            let additions = try source.converted(to: wide).hostBytes()
            values.withUnsafeMutableBytes { own in
                additions.withUnsafeBytes { other in
                    if wide == .float64 {
                        Self.accumulate(Double.self, targets, into: own, from: other, +)
                    } else {
                        Self.accumulate(Int64.self, targets, into: own, from: other, &+)
                    }
                }
            }
            return try Tensor.fromHost(values, shape: shape, dtype: wide, on: placement).converted(to: dtype)
        }
        var values = try hostBytes()
        let written = try source.converted(to: dtype).hostBytes()
        let width = dtype.byteSize
        values.withUnsafeMutableBytes { own in
            written.withUnsafeBytes { other in
                for (target, from) in targets {
                    (own.baseAddress! + target * width).copyMemory(from: other.baseAddress! + from * width, byteCount: width)
                }
            }
        }
        return try Tensor.fromHost(values, shape: shape, dtype: dtype, on: placement)
    }

    /// For each element of `index` in row-major order, the element offsets it writes to (in
    /// this tensor, contiguous) and reads from (in a contiguous source of `sourceShape`); all
    /// checked before anything is written. Offsets step with an odometer over the index's
    /// coordinates, so no element costs an allocation.
    private func scatterTargets(axis: Int, index: Tensor, sourceShape: [Int]) throws(TensorError) -> [(target: Int, from: Int)] {
        let positions = try index.toArray(Int64.self)
        let (ownStrides, sourceStrides) = (StridedOperand.contiguousStrides(for: shape), StridedOperand.contiguousStrides(for: sourceShape))
        var targets: [(target: Int, from: Int)] = []
        targets.reserveCapacity(positions.count)
        var coordinates = [Int](repeating: 0, count: index.rank)
        var (own, from) = (0, 0)  // `own` leaves out the axis, which the index supplies
        for position in positions {
            guard (0..<Int64(shape[axis])).contains(position) else {
                throw placement.refused(.indexOutOfRange("scatter(): index \(position) is out of bounds for dimension \(axis) with size \(shape[axis])"), api: "Tensor.scatter")
            }
            targets.append((own + Int(position) * ownStrides[axis], from))
            for dimension in coordinates.indices.reversed() {
                let ownStep = dimension == axis ? 0 : ownStrides[dimension]
                coordinates[dimension] += 1
                (own, from) = (own + ownStep, from + sourceStrides[dimension])
                if coordinates[dimension] < index.shape[dimension] { break }
                (own, from) = (own - ownStep * index.shape[dimension], from - sourceStrides[dimension] * index.shape[dimension])
                coordinates[dimension] = 0
            }
        }
        return targets
    }

    /// `own[target] = own[target] + other[from]` for each pair, on elements of `Element`.
    private static func accumulate<Element: BitwiseCopyable>(_: Element.Type, _ targets: [(target: Int, from: Int)],
                                                           into own: UnsafeMutableRawBufferPointer, from other: UnsafeRawBufferPointer,
                                                           _ add: (Element, Element) -> Element) {
        own.withMemoryRebound(to: Element.self) { sums in
            other.withMemoryRebound(to: Element.self) { additions in
                for (target, from) in targets { sums[target] = add(sums[target], additions[from]) }
            }
        }
    }

    /// A copy of this tensor with `value` written at the positions `index` names along `dim`
    /// (`torch.scatter(…, value=)`).
    public func scatter(dim: Int, index: Tensor, value: TensorScalar) throws(TensorError) -> Tensor {
        try scatter(dim: dim, index: index, source: Tensor.full(index.shape.isEmpty ? [] : index.shape, value, dtype: dtype, on: placement))
    }

    /// A `debug` record that `api` ran on the host for lack of a device kernel.
    func recordHostComputation(_ api: String) {
        placement.engine.log.record(.debug, RedirectionRecord(
            api: api, requested: requestedDevice.description, resolved: device.description,
            reason: "computed on the host: the backend contract has no kernel for it yet"), from: placement.origin)
    }
}
