/// Copies and dtype conversions, all through the device's `convert` kernel.
extension Tensor {
    /// This tensor if its elements are dense in row-major order, else a dense copy.
    public func contiguous() throws(TensorError) -> Tensor {
        isContiguous ? self : try converted(to: dtype, forcingCopy: true)
    }

    /// A dense copy that shares nothing with this tensor (`torch.clone`).
    public func cloned() throws(TensorError) -> Tensor { try converted(to: dtype, forcingCopy: true) }

    /// The elements as `dtype` (`torch.Tensor.to(dtype)`): `self` when the dtype is already
    /// that. Floats become integers by truncation toward zero; anything nonzero becomes true.
    public func converted(to dtype: DType) throws(TensorError) -> Tensor {
        try converted(to: dtype, forcingCopy: false)
    }

    /// `body` of this tensor, in float32 for float16 and bfloat16 with the result rounded
    /// back once, as PyTorch computes sums, statistics and composed functions of 16-bit floats.
    func inFloat32IfHalf(_ body: (Tensor) throws(TensorError) -> Tensor) throws(TensorError) -> Tensor {
        guard dtype == .float16 || dtype == .bfloat16 else { return try body(self) }
        return try body(converted(to: .float32)).converted(to: dtype)
    }

    func converted(to dtype: DType, forcingCopy: Bool) throws(TensorError) -> Tensor {
        if dtype == self.dtype && !forcingCopy { return self }
        return try Tensor.compute(.convert(from: self.dtype), dtype, api: "Tensor.to", inputs: [self], shape: shape,
                                  outputDType: dtype) { queue, inputs, output throws(DeviceError) in
            try queue.convert(input: inputs[0], output: output)
        }
    }

    /// A dense copy on `target` (the same device, another request).
    func copied(to target: TensorPlacement) throws(TensorError) -> Tensor {
        let copy = try Tensor.uninitialized(shape, dtype: dtype, on: target)
        try copy.write(self)
        return copy
    }

    /// Writes `source`'s elements (converted to this dtype, broadcast to this shape) into
    /// this tensor's elements, on this tensor's queue.
    func write(_ source: Tensor) throws(TensorError) {
        let input = try source.expanded(to: shape).operand
        let output = operand
        if source.storage.buffer === storage.buffer, mayOverlap(input, output) {
            return try write(source.cloned())
        }
        try enqueue { queue throws(DeviceError) in try queue.convert(input: input, output: output) }
    }

    /// Copies `source` (same device; broadcast to this shape, converted to this dtype) into
    /// this tensor's elements, which every view of them sees (`torch.Tensor.copy_`).
    public func copy(from source: Tensor) throws(TensorError) {
        try checkSameDevice([source])
        try write(source)
    }

    /// Sets every element to `value` (`torch.Tensor.fill_`); every view sees the change.
    public func fill(with value: TensorScalar) throws(TensorError) {
        if isContiguous {
            let region = BufferRegion(storage.buffer, offset: offset * dtype.byteSize, byteCount: count * dtype.byteSize)
            try enqueue { queue throws(DeviceError) in try queue.fill(region, with: value.fillPattern(as: dtype)) }
        } else {
            try write(Tensor.full([], value, dtype: dtype, on: placement))
        }
    }

    private func mayOverlap(_ lhs: StridedOperand, _ rhs: StridedOperand) -> Bool {
        func span(_ operand: StridedOperand) -> ClosedRange<Int> {
            var low = operand.offset, high = operand.offset
            for (size, stride) in zip(operand.shape, operand.strides) where size > 0 {
                if stride > 0 { high += (size - 1) * stride } else { low += (size - 1) * stride }
            }
            let width = operand.dtype.byteSize
            return (low * width)...(high * width + width - 1)
        }
        return lhs.elementCount > 0 && rhs.elementCount > 0 && span(lhs).overlaps(span(rhs))
    }
}
