@_exported import DeviceShimDevices

/// An n-dimensional array of one dtype on one device, in the manner of `torch.Tensor`.
///
/// **Mutation model.** A `Tensor` is a small value naming elements in shared storage, as a
/// PyTorch tensor is: copies of a `Tensor`, and views made from it (`reshaped`,
/// `transposed`, `sliced`, …), share those elements without copying. Operations return new
/// tensors; the few in-place ones (`+=` and the other compound assignments, `fill(with:)`,
/// `copy(from:)`) write the shared elements, so every view sees the change.
///
/// Work runs asynchronously, in order, on one queue per device; reading values (`toArray`,
/// `item`, `description`) waits for it. A failure while work runs (a lost device) is thrown
/// by the next read.
public struct Tensor: Sendable {
    let storage: TensorStorage
    /// The element type.
    public let dtype: DType
    /// The size of each dimension.
    public let shape: [Int]
    /// Elements to step over per index of each dimension (0 for a broadcast dimension).
    public let strides: [Int]
    /// Index of the first element in the storage, in elements.
    public let offset: Int

    init(storage: TensorStorage, dtype: DType, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// The real device holding the elements, e.g. `cpu:0` for a tensor asked for on `cuda`.
    public var device: DeviceID { storage.placement.device.id }
    /// The device the program asked for, e.g. `cuda:0`.
    public var requestedDevice: DeviceRequest { storage.placement.request }
    /// Whether the elements are dense in row-major order.
    public var isContiguous: Bool { operand.isContiguous }

    var placement: TensorPlacement { storage.placement }
    var operand: StridedOperand {
        StridedOperand(storage.buffer, dtype: dtype, offset: offset, shape: shape, strides: strides)
    }

    /// A tensor of `shape` on `placement` with uninitialised, contiguous elements.
    static func uninitialized(_ shape: [Int], dtype: DType, on placement: TensorPlacement) throws(TensorError) -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw placement.refused(.invalidArgument("negative dimension in shape \(shape)"), api: "Tensor.empty")
        }
        var byteCount = dtype.byteSize
        for size in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw placement.refused(.invalidArgument("shape \(shape) of \(dtype) needs more bytes than a tensor can hold"), api: "Tensor.empty")
            }
            byteCount = product
        }
        let buffer = try placement.allocate(byteCount: byteCount)
        return Tensor(storage: TensorStorage(buffer: buffer, placement: placement), dtype: dtype, shape: shape,
                      strides: StridedOperand.contiguousStrides(for: shape), offset: 0)
    }

    /// A view of the same storage with other geometry.
    func viewing(shape: [Int], strides: [Int], offset: Int? = nil) -> Tensor {
        Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset ?? self.offset)
    }

    /// Throws `deviceMismatch` unless every tensor is on this tensor's device.
    func checkSameDevice(_ others: [Tensor], function: String = #function) throws(TensorError) {
        for other in others { try checkSameDevice(other, function: function) }
    }

    /// Throws `deviceMismatch` unless `other` is on this tensor's device.
    func checkSameDevice(_ other: Tensor, function: String = #function) throws(TensorError) {
        guard other.placement.device !== placement.device, other.device != device else { return }
        throw refusal(.deviceMismatch(device.description, other.device.description), function: function)
    }

    /// Runs enqueue calls on this tensor's queue, turning device errors into tensor errors.
    func enqueue(function: String = #function, _ body: (any DeviceQueue) throws(DeviceError) -> Void) throws(TensorError) {
        let queue = placement.queue
        try placement.running(Tensor.apiName(function)) { () throws(DeviceError) in try body(queue) }
    }
}

/// Dimension arithmetic shared by the operations.
extension Tensor {
    /// `dim` made non-negative (PyTorch's negative dims count from the end) and checked.
    static func normalized(_ dim: Int, rank: Int) throws(TensorError) -> Int {
        let range = rank == 0 ? -1...0 : -rank...(rank - 1)
        guard range.contains(dim) else {
            throw .indexOutOfRange("dimension \(dim) is out of range for a tensor of rank \(rank) (expected \(range))")
        }
        return dim < 0 ? dim + Swift.max(rank, 1) : dim
    }

    /// `dim` checked against this tensor's rank (or `rank`, for a dimension to insert).
    func normalized(_ dim: Int, rank: Int? = nil, function: String = #function) throws(TensorError) -> Int {
        try recording(function: function) { () throws(TensorError) in try Tensor.normalized(dim, rank: rank ?? self.rank) }
    }
}
