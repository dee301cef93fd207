/// Elements as raw bytes, for callers that hold them in memory of their own (the C API):
/// row-major order, each element in its dtype's layout (bool one byte, 0 or 1; float16 and
/// bfloat16 their bit patterns).
extension Tensor {
    /// The number of bytes the elements take in row-major order.
    public var byteCount: Int { count * dtype.byteSize }

    /// A contiguous tensor of `shape` and `dtype` on `device` holding `bytes`, which must be
    /// exactly `shape`'s elements of `dtype`. The bytes are copied before this returns.
    public static func fromBytes(
        _ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType, device: String = "cpu", engine: TensorEngine = .shared,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        let placement = try placement(device, api: "Tensor.fromBytes", engine, fileID, line, function)
        return try fromHost(bytes, shape: shape, dtype: dtype, on: placement)
    }

    /// Copies the elements into `destination`, which must be exactly `byteCount` bytes, once
    /// all work on them is done.
    public func copyBytes(to destination: UnsafeMutableRawBufferPointer) throws(TensorError) {
        guard destination.count == byteCount else {
            throw refusal(.invalidArgument("the tensor holds \(byteCount) bytes (shape \(shape), \(dtype)), the destination has \(destination.count)"))
        }
        let dense = try contiguous()
        let region = BufferRegion(dense.storage.buffer, offset: dense.offset * dtype.byteSize, byteCount: byteCount)
        try dense.enqueue { queue throws(DeviceError) in
            if let address = destination.baseAddress, region.byteCount > 0 { try queue.copy(from: region, to: address) }
            try queue.synchronize()
        }
    }

    /// Overwrites the elements with `source`, which must be exactly `byteCount` bytes; every
    /// view of them sees the change. The bytes are copied before this returns.
    public func copyBytes(from source: UnsafeRawBufferPointer) throws(TensorError) {
        guard source.count == byteCount else {
            throw refusal(.invalidArgument("the tensor holds \(byteCount) bytes (shape \(shape), \(dtype)), the source has \(source.count)"))
        }
        try write(Tensor.fromHost(source, shape: shape, dtype: dtype, on: placement))
    }
}
