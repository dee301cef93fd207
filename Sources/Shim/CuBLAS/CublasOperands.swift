/// The device memory and scalars behind cuBLAS pointer arguments.
///
/// Vectors and matrices must lie in DeviceShim device memory, inside one allocation, at an
/// address aligned to their element (`CUBLAS_STATUS_MAPPING_ERROR` otherwise, and nothing is
/// touched). Scalars follow the handle's pointer mode: host memory read at the call, or
/// device memory.
enum CublasOperands {
    /// The buffer holding `count` elements of `dtype` from `pointer`, and the element offset of
    /// `pointer` in it.
    static func elements(_ pointer: UnsafeRawPointer?, _ dtype: DType, count: Int) throws(CublasStatus) -> (any DeviceBuffer, Int) {
        let place = try CublasCall.runtime { () throws(CudaError) in try MemoryPlace.of(pointer) }
        guard let region = try CublasCall.runtime({ () throws(CudaError) in try place.deviceRegion(max(count, 0) * dtype.byteSize) }),
              region.offset % dtype.byteSize == 0 else { throw .mappingError }
        return (region.buffer, region.offset / dtype.byteSize)
    }

    /// A column-major `rows`×`columns` matrix with leading dimension `ld` (checked by the caller).
    static func matrix(_ pointer: UnsafeRawPointer?, _ dtype: DType, rows: Int, columns: Int, ld: Int,
                       batchStride: Int = 0, batchCount: Int = 1) throws(CublasStatus) -> MatrixOperand {
        let one = rows > 0 && columns > 0 ? (columns - 1) * ld + rows : 0
        let span = one == 0 ? 0 : one + (max(batchCount, 1) - 1) * batchStride
        let (buffer, offset) = try elements(pointer, dtype, count: span)
        return MatrixOperand(buffer, offset: offset, leadingDimension: ld, batchStride: batchStride)
    }

    /// `n` elements `increment` apart (a negative increment walks from the end, as in BLAS).
    static func vector(_ pointer: UnsafeRawPointer?, _ dtype: DType, count n: Int, increment: Int) throws(CublasStatus) -> StridedOperand {
        let span = n > 0 ? (n - 1) * abs(increment) + 1 : 0
        let (buffer, offset) = try elements(pointer, dtype, count: span)
        let start = increment < 0 ? offset + (n - 1) * -increment : offset
        return StridedOperand(buffer, dtype: dtype, offset: start, shape: [n], strides: [increment])
    }

    /// A scalar as an operand broadcast over `n` elements: the device scalar itself in device
    /// pointer mode, else a one-element buffer holding the host value.
    static func broadcastScalar(_ pointer: UnsafeRawPointer?, _ dtype: DType, count n: Int, handle: CublasHandle,
                                stream: CudaStream) throws(CublasStatus) -> StridedOperand {
        guard let pointer else { throw .invalidValue }
        if handle.scalarsOnDevice {
            let (buffer, offset) = try elements(pointer, dtype, count: 1)
            return StridedOperand(buffer, dtype: dtype, offset: offset, shape: [n], strides: [0])
        }
        let buffer = try scratch(dtype, count: 1, handle: handle)
        let pattern = dtype == .float32 ? FillPattern(element: pointer.load(as: Float.self)) : FillPattern(element: pointer.load(as: Double.self))
        try CublasCall.runtime { () throws(CudaError) in
            try stream.enqueue { queue throws(DeviceError) in try queue.fill(BufferRegion(buffer), with: pattern) }
        }
        return StridedOperand(buffer, dtype: dtype, shape: [n], strides: [0])
    }

    /// A scalar's value (GEMM and GEMV take alpha and beta by value): read from the host, or in
    /// device pointer mode copied from the device once the stream's earlier work is done.
    static func scalarValue(_ pointer: UnsafeRawPointer?, _ dtype: DType, handle: CublasHandle, stream: CudaStream) throws(CublasStatus) -> Double {
        guard let pointer else { throw .invalidValue }
        guard handle.scalarsOnDevice else {
            return dtype == .float32 ? Double(pointer.load(as: Float.self)) : pointer.load(as: Double.self)
        }
        let host = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
        defer { host.deallocate() }
        _ = try CublasCall.runtime { () throws(CudaError) in
            try MemoryTransfers.copy(to: host, from: pointer, count: dtype.byteSize, kind: CopyKind.deviceToHost.rawValue,
                                     on: stream, waits: true)
        }
        return dtype == .float32 ? Double(host.load(as: Float.self)) : host.load(as: Double.self)
    }

    /// A device buffer for intermediate values, released when the work using it is done.
    static func scratch(_ dtype: DType, count: Int, handle: CublasHandle) throws(CublasStatus) -> any DeviceBuffer {
        do {
            return try handle.resolution.device.allocate(byteCount: max(count, 1) * dtype.byteSize)
        } catch {
            throw .allocFailed
        }
    }

    /// Delivers a one-element result computed into `result` to the program's `pointer`: a
    /// device copy in device pointer mode; else a copy to the host, waited for (cuBLAS's host
    /// results are ready when the call returns).
    static func deliver(_ result: any DeviceBuffer, _ dtype: DType, to pointer: UnsafeMutableRawPointer?, handle: CublasHandle,
                        stream: CudaStream) throws(CublasStatus) {
        guard let pointer else { throw .invalidValue }
        let source = BufferRegion(result, byteCount: dtype.byteSize)
        if handle.scalarsOnDevice {
            let (buffer, offset) = try elements(pointer, dtype, count: 1)
            let target = BufferRegion(buffer, offset: offset * dtype.byteSize, byteCount: dtype.byteSize)
            try CublasCall.runtime { () throws(CudaError) in
                try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: source, to: target) }
            }
            return
        }
        let host = HostAddress(pointer)
        try CublasCall.runtime { () throws(CudaError) in
            try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: source, to: host.pointer) }
            try stream.finishQueuedWork()
        }
    }
}
