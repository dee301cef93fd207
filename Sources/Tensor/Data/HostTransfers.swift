/// Moving elements between the host and devices, and between devices.
extension Tensor {
    /// A contiguous tensor on `placement` holding `bytes` (its elements in row-major order).
    /// The bytes are copied first, so the caller's memory is free as soon as this returns.
    static func fromHost(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType,
                         on placement: TensorPlacement) throws(TensorError) -> Tensor {
        let tensor = try uninitialized(shape, dtype: dtype, on: placement)
        guard bytes.count == tensor.count * dtype.byteSize else {
            throw placement.refused(.shapeMismatch("\(bytes.count / dtype.byteSize) values do not fill shape \(shape)"), api: "Tensor.init")
        }
        guard bytes.count > 0, let base = bytes.baseAddress else { return tensor }
        let staging = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
        staging.copyMemory(from: base, byteCount: bytes.count)
        let address = HostAddress(staging)
        do {
            try tensor.enqueue { queue throws(DeviceError) in
                try queue.copy(from: UnsafeRawPointer(staging), to: BufferRegion(tensor.storage.buffer, byteCount: bytes.count))
                try queue.enqueueStatusCallback { _ in address.pointer.deallocate() }
            }
        } catch {
            staging.deallocate()
            throw error
        }
        return tensor
    }

    /// The elements' bytes in row-major order, once all work on them is done.
    func hostBytes() throws(TensorError) -> [UInt8] {
        let dense = try contiguous()
        let byteCount = dense.count * dtype.byteSize
        var bytes = [UInt8](repeating: 0, count: byteCount)
        guard byteCount > 0 else {
            try dense.enqueue { queue throws(DeviceError) in try queue.synchronize() }
            return bytes
        }
        let region = BufferRegion(dense.storage.buffer, offset: dense.offset * dtype.byteSize, byteCount: byteCount)
        let copied = bytes.withUnsafeMutableBytes { destination in
            Result { () throws(TensorError) in
                try dense.enqueue { queue throws(DeviceError) in
                    try queue.copy(from: region, to: destination.baseAddress!)
                    try queue.synchronize()
                }
            }
        }
        try copied.get()
        return bytes
    }

    /// This tensor on `target`: `self` when it is already there, else a contiguous copy (as
    /// `torch.Tensor.to` copies when the device changes, even when two requests resolve to one
    /// real device). Different devices exchange elements through the host.
    func moved(to target: TensorPlacement) throws(TensorError) -> Tensor {
        if target.device.id == device {
            return target.request == requestedDevice ? self : try copied(to: target)
        }
        return try Tensor.fromHost(hostBytes(), shape: shape, dtype: dtype, on: target)
    }

    /// A contiguous tensor of `dtype` on `placement` holding `values`, whose memory layout
    /// must be `dtype`'s (bytes of any dtype, or Swift numbers of that dtype).
    static func fromHost<Element: BitwiseCopyable>(_ values: [Element], shape: [Int], dtype: DType,
                                                   on placement: TensorPlacement) throws(TensorError) -> Tensor {
        let made = values.withUnsafeBytes { bytes in
            Result { () throws(TensorError) in try fromHost(bytes, shape: shape, dtype: dtype, on: placement) }
        }
        return try made.get()
    }
}
