/// `torch.as_strided`: any view of a tensor's storage.
extension Tensor {
    /// A view of this tensor's storage with `shape`, `strides` and `offset`, all counted in
    /// storage elements (`torch.as_strided`); `offset` defaults to this tensor's own. Elements
    /// may overlap (`Tensor.arange(0, 6).asStrided([4, 3], strides: [1, 1])` is the sliding
    /// windows of 3), but each must lie inside the storage, strides and offset must not be
    /// negative, and `shape` and `strides` must have one entry per dimension, as PyTorch checks.
    /// Writing through a view whose elements overlap leaves which write wins unspecified.
    public func asStrided(_ shape: [Int], strides: [Int], offset: Int? = nil) throws(TensorError) -> Tensor {
        let offset = offset ?? self.offset
        guard shape.count == strides.count else {
            throw refusal(.shapeMismatch("as_strided: shape \(shape) and strides \(strides) differ in length"))
        }
        guard strides.allSatisfy({ $0 >= 0 }) else {
            throw refusal(.invalidArgument("as_strided: negative strides are not supported, got strides \(strides)"))
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw refusal(.invalidArgument("as_strided: negative dimension in shape \(shape)")) }
        guard offset >= 0 else { throw refusal(.invalidArgument("as_strided: invalid storage offset \(offset)")) }
        let available = storage.buffer.byteCount / dtype.byteSize
        if !shape.contains(0) {
            guard let needed = Self.elementsReached(shape: shape, strides: strides, offset: offset), needed <= available else {
                throw refusal(.indexOutOfRange("as_strided: shape \(shape), strides \(strides) and offset \(offset) reach past the storage's \(available) elements"))
            }
        }
        return viewing(shape: shape, strides: strides, offset: offset)
    }

    /// `offset` + the last element's position + 1, or nil when that overflows `Int`.
    private static func elementsReached(shape: [Int], strides: [Int], offset: Int) -> Int? {
        var last = offset
        for (size, stride) in zip(shape, strides) {
            let (span, spanOverflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, sumOverflow) = last.addingReportingOverflow(span)
            guard !spanOverflow, !sumOverflow else { return nil }
            last = sum
        }
        let (reached, overflow) = last.addingReportingOverflow(1)
        return overflow ? nil : reached
    }
}
