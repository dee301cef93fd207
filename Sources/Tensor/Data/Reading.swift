/// Reading elements back to Swift: `toArray`, `item` (`torch.Tensor.tolist`, `.item()`).
extension Tensor {
    /// The elements in row-major order as `Element` (converted on the device when the dtype
    /// differs), once all work on them is done.
    public func toArray<Element: TensorElement>(_ type: Element.Type = Element.self) throws(TensorError) -> [Element] {
        let bytes = try converted(to: Element.dtype).hostBytes()
        return bytes.withUnsafeBytes { raw in Array(raw.bindMemory(to: Element.self)) }
    }

    /// The value of a one-element tensor as a Swift number of its dtype's kind (`.item()`).
    public func item() throws(TensorError) -> TensorScalar {
        guard count == 1 else {
            throw refusal(.invalidArgument("a tensor with \(count) elements cannot be converted to a scalar"))
        }
        switch dtype {
        case .bool: return .bool(try toArray(Bool.self)[0])
        case .int32, .int64, .uint8: return .int(try toArray(Int64.self)[0])
        default: return .float(try toArray(Double.self)[0])
        }
    }

    /// The value of a one-element tensor as `Element`.
    public func item<Element: TensorElement>(_ type: Element.Type) throws(TensorError) -> Element {
        guard count == 1 else {
            throw refusal(.invalidArgument("a tensor with \(count) elements cannot be converted to a scalar"))
        }
        return try toArray(Element.self)[0]
    }

    /// The elements as numbers of the dtype's kind (int64 for integers, float64 for floats).
    func scalars() throws(TensorError) -> [TensorScalar] {
        switch dtype {
        case .bool: try toArray(Bool.self).map { .bool($0) }
        case .int32, .int64, .uint8: try toArray(Int64.self).map { .int($0) }
        default: try toArray(Double.self).map { .float($0) }
        }
    }
}

extension Tensor {
    /// Waits until all work queued on this tensor's device is done (`torch.cuda.synchronize`),
    /// throwing the first failure of that work.
    public func synchronize() throws(TensorError) {
        try enqueue { queue throws(DeviceError) in try queue.synchronize() }
    }
}
