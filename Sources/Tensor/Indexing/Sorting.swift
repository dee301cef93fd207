/// `sort`, `argsort` and `topk`: the order is found on the host (see HostSelection), the
/// values are then gathered by it.
extension Tensor {
    /// The elements sorted along `dim`, with the index each came from (`torch.sort` with
    /// `stable=True`): equal elements keep their order, and NaN sorts above everything.
    public func sort(dim: Int = -1, descending: Bool = false) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        let indices = try argsort(dim: dim, descending: descending)
        return (try gather(dim: rank == 0 ? 0 : dim, index: indices), indices)
    }

    /// The indices that sort this tensor along `dim`, stably (`torch.argsort(stable=True)`).
    public func argsort(dim: Int = -1, descending: Bool = false) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        guard rank > 0 else { return try Tensor.full([], 0, dtype: .int64, on: placement) }
        let keys = try sortKeys()
        let size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        var order = [Int64](repeating: 0, count: keys.count)
        for block in 0..<outer {
            for column in 0..<inner {
                let base = block * size * inner + column
                let sorted = (0..<size).sorted { lhs, rhs in
                    let (a, b) = (keys[base + lhs * inner], keys[base + rhs * inner])
                    return (descending ? a.isAbove(b) : b.isAbove(a)) || (a == b && lhs < rhs)
                }
                for (slot, position) in sorted.enumerated() { order[base + slot * inner] = Int64(position) }
            }
        }
        recordHostComputation("Tensor.argsort")
        return try Tensor.fromHost(order, shape: shape, dtype: .int64, on: placement)
    }

    /// The `k` largest (or smallest) elements along `dim`, sorted, with their indices (`torch.topk`).
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        let axis = try normalized(dim)
        let size = rank == 0 ? 1 : shape[axis]
        guard (0...size).contains(k) else { throw refusal(.indexOutOfRange("selected index k \(k) is out of range for size \(size)")) }
        let (values, indices) = try sort(dim: axis, descending: largest)
        guard rank > 0 else { return (values, indices) }
        return (try values.narrowed(dim: axis, start: 0, length: k), try indices.narrowed(dim: axis, start: 0, length: k))
    }

    /// One comparable key per element: exact for integers, float64 for floats.
    private func sortKeys() throws(TensorError) -> [SortKey] {
        dtype.isFloatingPoint ? try toArray(Double.self).map(SortKey.float) : try toArray(Int64.self).map(SortKey.integer)
    }
}

/// An element as sort compares it: NaN above every number, as PyTorch orders it.
private enum SortKey: Equatable {
    case integer(Int64)
    case float(Double)

    static func == (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): a == b
        case let (.float(a), .float(b)): a == b || (a.isNaN && b.isNaN)
        default: false
        }
    }

    func isAbove(_ other: SortKey) -> Bool {
        switch (self, other) {
        case let (.integer(a), .integer(b)): return a > b
        case let (.float(a), .float(b)): return a.isNaN ? !b.isNaN : a > b
        default: return false
        }
    }
}

extension Tensor {
    /// A `debug` record that `api` ran on the host for lack of a device kernel.
    func recordHostComputation(_ api: String) {
        placement.engine.log.record(.debug, RedirectionRecord(
            api: api, requested: requestedDevice.description, resolved: device.description,
            reason: "computed on the host: the backend contract has no kernel for it yet"), from: placement.origin)
    }
}
