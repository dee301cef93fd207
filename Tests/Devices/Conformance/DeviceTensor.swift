import Testing
@testable import DeviceShimDevices

/// A `TestTensor` mirrored on any device: its whole host buffer (operand and surrounding
/// bytes) is copied to a device buffer of the same size, so the device operand has the same
/// offset, shape and strides. `download()` copies the device bytes back over the host tensor,
/// whose `values()` and `untouchedOutsideOperand()` then describe what the device wrote.
struct DeviceTensor {
    let host: TestTensor
    let buffer: any DeviceBuffer

    init(_ host: TestTensor, on queue: any DeviceQueue) throws {
        self.host = host
        buffer = try queue.device.allocate(byteCount: host.buffer.byteCount)
        try queue.copy(from: UnsafeRawPointer(host.buffer.baseAddress), to: BufferRegion(buffer))
        try queue.synchronize()
    }

    var operand: StridedOperand {
        StridedOperand(buffer, dtype: host.dtype, offset: host.operand.offset, shape: host.shape, strides: host.operand.strides)
    }

    /// Copies the device buffer back into the host tensor and returns it.
    func download(on queue: any DeviceQueue) throws -> TestTensor {
        try queue.copy(from: BufferRegion(buffer), to: host.buffer.baseAddress)
        try queue.synchronize()
        return host
    }
}

/// A column-major matrix (or a batch of them) with a leading dimension larger than its rows,
/// an offset and a batch stride (0: one matrix shared by every batch), on any device.
struct DeviceMatrix {
    let rows: Int, columns: Int, batchCount: Int
    let leadingDimension: Int, offset: Int, batchStride: Int
    let host: CPUBuffer
    let buffer: any DeviceBuffer

    /// - Parameter nan: fill with NaN instead of random values (a C that must not be read).
    init(rows: Int, columns: Int, batchCount: Int, dtype: DType, shared: Bool = false, nan: Bool = false,
         queue: any DeviceQueue, using random: inout SeededGenerator) throws {
        (self.rows, self.columns, self.batchCount) = (rows, columns, batchCount)
        leadingDimension = max(rows, 1) + Int.random(in: 0...3, using: &random)
        offset = Int.random(in: 0...5, using: &random)
        batchStride = shared ? 0 : leadingDimension * columns + 2
        let elements = offset + max(batchCount - 1, 0) * batchStride + leadingDimension * columns + 1
        host = try #require(try CPUDevice.shared.allocate(byteCount: elements * dtype.byteSize) as? CPUBuffer)
        for index in 0..<elements {
            TestElements.store(nan ? .nan : randomValue(dtype, using: &random), as: dtype, at: index, in: host)
        }
        buffer = try queue.device.allocate(byteCount: host.byteCount)
        try queue.copy(from: UnsafeRawPointer(host.baseAddress), to: BufferRegion(buffer))
        try queue.synchronize()
    }

    var operand: MatrixOperand {
        MatrixOperand(buffer, offset: offset, leadingDimension: leadingDimension, batchStride: batchStride)
    }

    /// The element index of (row, column) of `batch` in the buffer.
    func index(_ row: Int, _ column: Int, batch: Int) -> Int {
        offset + batch * batchStride + row + column * leadingDimension
    }

    /// Every matrix's values, batch by batch, column-major and dense, read from `buffer`.
    func values(_ dtype: DType, in buffer: CPUBuffer) -> [Double] {
        (0..<batchCount).flatMap { batch in
            (0..<columns).flatMap { column in
                (0..<rows).map { row in TestElements.load(dtype, at: index(row, column, batch: batch), in: buffer) }
            }
        }
    }

    /// The device buffer's current bytes, in a new host buffer.
    func downloaded(on queue: any DeviceQueue) throws -> CPUBuffer {
        let copy = try #require(try CPUDevice.shared.allocate(byteCount: host.byteCount) as? CPUBuffer)
        try queue.copy(from: BufferRegion(buffer), to: copy.baseAddress)
        try queue.synchronize()
        return copy
    }
}
