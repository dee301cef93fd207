/// `gather` and `index_select` on the tensors' device (the backend contract's `gather`
/// kernel, or the redirector's fallback device). The kernel reports an index out of range
/// in a 4-byte flag, read back after it; only then is the index itself read back.
extension Tensor {
    /// `out[…, i, …] = self[…, index[…, i, …], …]` along `dim` (`torch.gather`); `index` is
    /// int64 (or int32) with this tensor's rank, no larger than it in the other dimensions.
    public func gather(dim: Int, index: Tensor) throws(TensorError) -> Tensor {
        if rank == 0 && index.rank == 0 { return try reshaped([1]).gather(dim: 0, index: index.reshaped([1])).reshaped([]) }
        let axis = try checkedIndex(index, dim: dim, api: "gather", allowInt32: true)
        return try gathered(axis: axis, index: index.converted(to: .int64), api: "gather")
    }

    /// The slices at `index` (1-D, integer) along `dim`, in that order (`torch.index_select`).
    public func indexSelect(dim: Int, index: Tensor) throws(TensorError) -> Tensor {
        let axis = try normalized(dim)
        try checkSameDevice(index)
        guard index.rank <= 1, !index.dtype.isFloatingPoint, index.dtype != .bool else {
            throw refusal(.invalidArgument("index_select expects a 1-D integer index, got \(index.dtype) of shape \(index.shape)"))
        }
        guard rank > 0 else {
            try checkIndices(index.converted(to: .int64), below: 1, dim: 0, api: "index_select")
            return try converted(to: dtype, forcingCopy: true)
        }
        // The index as a gather's: along `axis` the positions, broadcast over every other dimension.
        var resultShape = shape, indexShape = [Int](repeating: 1, count: rank)
        (resultShape[axis], indexShape[axis]) = (index.count, index.count)
        let spread = try index.converted(to: .int64).reshaped(indexShape).broadcast(to: resultShape)
        return try gathered(axis: axis, index: spread, api: "index_select")
    }

    /// Runs the gather kernel on `index` (int64, of the result's shape).
    private func gathered(axis: Int, index: Tensor, api: String) throws(TensorError) -> Tensor {
        try computeIndexed(.gather, api: api, inputs: [self, index], shape: index.shape, index: index,
                           axis: axis) { queue, operands, output, flag throws(DeviceError) in
            try queue.gather(input: operands[0], index: operands[1], axis: axis, output: output, outOfRange: flag)
        }
    }

    /// A new tensor of this tensor's dtype and `shape`, computed by `kernel` (`op`) from
    /// `inputs` as `compute` runs it, given a zeroed out-of-range flag on the executing
    /// device. When the kernel sets the flag, `index` is read back and the first of its values
    /// outside this tensor's `axis` thrown, as PyTorch's kernels check as they go.
    func computeIndexed(
        _ op: KernelOp, api: String, inputs: [Tensor], shape: [Int], index: Tensor, axis: Int,
        _ kernel: (any DeviceQueue, [StridedOperand], StridedOperand, BufferRegion) throws(DeviceError) -> Void
    ) throws(TensorError) -> Tensor {
        var report: OutOfRangeReport?
        let result = try Tensor.compute(op, dtype, api: "Tensor.\(api)", inputs: inputs, shape: shape,
                                        outputDType: dtype) { queue, operands, output throws(DeviceError) in
            let flag = try OutOfRangeReport(on: queue)
            try kernel(queue, operands, output, flag.region)
            report = flag
        }
        if let report, try placement.running("Tensor.\(api)", { () throws(DeviceError) in try report.found() }) {
            try checkIndices(index, below: self.shape[axis], dim: axis, api: api)
        }
        return result
    }

    /// Throws `indexOutOfRange` naming the first of `index`'s values outside `0..<size`, as
    /// PyTorch does. Gathers and scatters learn from their kernel whether there is one; this
    /// reads the index back whole.
    private func checkIndices(_ index: Tensor, below size: Int, dim axis: Int, api: String) throws(TensorError) {
        guard index.count > 0 else { return }
        guard let first = try index.toArray(Int64.self).first(where: { $0 < 0 || $0 >= Int64(size) }) else { return }
        throw placement.refused(.indexOutOfRange("\(api)(): index \(first) is out of bounds for dimension \(axis) with size \(size)"), api: "Tensor.\(api)")
    }

    /// Checks a gather/scatter index and returns the normalised dimension.
    func checkedIndex(_ index: Tensor, dim: Int, api: String, allowInt32: Bool = false) throws(TensorError) -> Int {
        try checkSameDevice(index, function: "Tensor.\(api)")
        let axis = try normalized(dim, function: "Tensor.\(api)")
        guard index.dtype == .int64 || (allowInt32 && index.dtype == .int32) else { throw placement.refused(.invalidArgument("\(api)(): expected dtype int64 for index, got \(index.dtype)"), api: "Tensor.\(api)") }
        guard index.rank == rank, index.shape.indices.allSatisfy({ $0 == axis || index.shape[$0] <= shape[$0] }) else {
            throw placement.refused(.shapeMismatch("\(api)(): index \(index.shape) must have the input's rank and be no larger outside dimension \(axis) (input \(shape))"), api: "Tensor.\(api)")
        }
        return axis
    }
}

/// A gather's or scatter's out-of-range flag: 4 zeroed bytes on the device that runs it, set by the kernel
/// when an index lies outside the axis, and read back on the same queue.
private struct OutOfRangeReport {
    let region: BufferRegion
    let queue: any DeviceQueue

    init(on queue: any DeviceQueue) throws(DeviceError) {
        region = BufferRegion(try queue.device.allocate(byteCount: 4))
        self.queue = queue
        try queue.fill(region, with: FillPattern(byte: 0))
    }

    /// Whether the kernel met an index out of range (waits for it).
    func found() throws(DeviceError) -> Bool {
        var flag: UInt32 = 0
        // The pointer is valid only inside the closure, so the copy must finish there.
        try withUnsafeMutableBytes(of: &flag) { bytes throws(DeviceError) in
            try queue.copy(from: region, to: bytes.baseAddress!)
            try queue.synchronize()
        }
        return flag != 0
    }
}
