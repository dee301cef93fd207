/// One real device of one backend: what every backend implements (DESIGN.md, Backends).
///
/// A device allocates buffers and makes queues; all work (copies, fills, kernels) goes
/// through a queue. The tensor engine composes everything else from these primitives, and
/// the redirector uses `supports` to fall back op by op.
public protocol ComputeDevice: AnyObject, Sendable {
    var id: DeviceID { get }
    var properties: DeviceProperties { get }

    /// Whether this device has a kernel for `op` on `dtype` (for `convert`, the destination).
    func supports(_ op: KernelOp, _ dtype: DType) -> Bool

    /// A buffer of `byteCount` bytes (contents undefined). Released when the last reference
    /// goes. Throws `outOfMemory` when the device cannot hold it.
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer

    /// A new in-order queue.
    func makeQueue() throws(DeviceError) -> any DeviceQueue

    /// Bytes of device memory currently free, as the driver reports it (nil if it cannot say).
    var freeMemoryBytes: UInt64? { get }
}

/// Device memory. The memory is freed when the last reference to the buffer goes.
public protocol DeviceBuffer: AnyObject, Sendable {
    var device: any ComputeDevice { get }
    var byteCount: Int { get }
    /// The buffer's first byte as the host addresses it, for backends whose device memory is
    /// host memory (the CPU backend); nil for memory the host cannot address directly.
    var hostAddress: UnsafeMutableRawPointer? { get }
}

extension DeviceBuffer {
    /// Device memory the host cannot address directly.
    public var hostAddress: UnsafeMutableRawPointer? { nil }
}

/// An in-order queue of work on one device (a CUDA stream maps onto one).
///
/// Enqueue calls validate their arguments and return at once (throwing `invalidArgument` or
/// `unsupported` for bad input); the work runs later, in order. Host memory named by a copy
/// must stay valid until the copy completes (a marker, `synchronize`). An error while work
/// runs (device lost) is kept and thrown by `synchronize`, and later work is not run.
public protocol DeviceQueue: AnyObject, Sendable {
    var device: any ComputeDevice { get }

    func copy(from source: UnsafeRawPointer, to destination: BufferRegion) throws(DeviceError)
    func copy(from source: BufferRegion, to destination: UnsafeMutableRawPointer) throws(DeviceError)
    /// Device to device; the buffers may be on different devices of the same backend or, for
    /// backends that say so, any backend (the queue's device does the work).
    func copy(from source: BufferRegion, to destination: BufferRegion) throws(DeviceError)
    func fill(_ destination: BufferRegion, with pattern: FillPattern) throws(DeviceError)

    /// `output = op(input)` element-wise; `output.shape == input.shape`.
    func unary(_ op: UnaryOp, input: StridedOperand, output: StridedOperand) throws(DeviceError)
    /// `output = op(lhs, rhs)` element-wise; all three have one shape (broadcast with stride 0).
    func binary(_ op: BinaryOp, lhs: StridedOperand, rhs: StridedOperand, output: StridedOperand) throws(DeviceError)
    /// Reduces `input` along `axis` into `output`, whose shape is the input's with that axis 1.
    func reduce(_ op: ReductionOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError)
    /// `output = op(input)` along `axis`, lane by lane; `output` has the input's shape and
    /// dtype. A device without the kernel throws `unsupported` (the default) and says so in
    /// `supports`; the tensor engine then composes the op from element-wise kernels and
    /// reductions on the same device.
    func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError)
    /// Converts each element of `input` to `output.dtype` (floats to integers truncate toward
    /// zero, saturating; to bool: nonzero is true).
    func convert(input: StridedOperand, output: StridedOperand) throws(DeviceError)
    func gemm(_ operation: GemmOperation) throws(DeviceError)
    /// `output = condition ? whenTrue : whenFalse` element-wise (`torch.where`). All four
    /// have one shape (broadcast with stride 0); `condition` is bool, the others one dtype.
    /// A device without the kernel throws `unsupported` (the default).
    func select(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                output: StridedOperand) throws(DeviceError)
    /// `output[c] = input[c with c[axis] replaced by index[c]]` for every coordinate `c` of
    /// `output` (`torch.gather`). `index` is int64 with the output's shape; `input` has the
    /// output's rank and dtype and is no smaller outside `axis`. An index outside
    /// `0..<input.shape[axis]` gives zero, so a kernel never reads outside the input; when
    /// `outOfRange` is given (4 bytes at a multiple of 4, zeroed by the caller), the kernel
    /// also writes a nonzero 32-bit value there, and never zero. That is how the tensor engine
    /// finds such an index without a pass of its own (PyTorch's kernels check as they go).
    /// A device without the kernel throws `unsupported` (the default).
    func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                outOfRange: BufferRegion?) throws(DeviceError)
    /// `output[c with c[axis] replaced by index[c]]` becomes `source[c]` (`.assign`,
    /// `torch.scatter`) or has `source[c]` added (`.add`, `torch.scatter_add`) for every
    /// coordinate `c` of `index`, in place. `index` is int64; `source` has its shape and the
    /// output's dtype; `output` has its rank and is no smaller outside `axis`.
    ///
    /// The index elements that differ only along `axis` (a fiber) write into one fiber of the
    /// output, and each fiber is done in order of increasing position along `axis`: where a
    /// fiber names one position twice, the later element is assigned last (or added last),
    /// on every backend. Kernels give each fiber to one worker, so no atomics are needed. An
    /// index outside `0..<output.shape[axis]` writes nothing and sets `outOfRange` as a gather
    /// does. `output` must not overlap `source` or `index`. A device without the kernel throws
    /// `unsupported` (the default).
    func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                 outOfRange: BufferRegion?) throws(DeviceError)
    /// `output` (int64, of the input's shape) receives for each lane of `axis` the positions
    /// along it that sort the input's lane, ascending or `descending`
    /// (`torch.argsort(stable=True)`). Equal elements keep their order; NaN sorts above every
    /// number, and -0.0 equals 0.0, as PyTorch compares. A device without the kernel throws
    /// `unsupported` (the default).
    func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError)
    /// `output` (int64, of the input's shape but `k` long along `axis`) receives for each lane
    /// of `axis` the first `k` positions that `argsort` would give it: the positions of the
    /// lane's `k` greatest (`largest`) or least elements, in that order, equal elements by
    /// position (`torch.topk`'s indices, in a stable order). A device without the kernel
    /// throws `unsupported` (the default); the tensor engine then narrows a whole `argsort`.
    func topk(input: StridedOperand, axis: Int, k: Int, largest: Bool, output: StridedOperand) throws(DeviceError)

    /// Runs `body` on a host thread once all earlier work is done; later work waits for it.
    func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError)
    /// Runs `body` on a host thread once all earlier work is done, with the error that work
    /// raised (nil if none). Unlike `enqueueHostCallback` it runs after the queue has failed
    /// too, as CUDA's `cudaStreamAddCallback` callbacks do; later work waits for it.
    func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError)
    /// A marker that completes when all work enqueued before it has; it carries the device
    /// time at which it completed (events are timed with these).
    func enqueueMarker() throws(DeviceError) -> any QueueMarker
    /// Work enqueued after this call waits until `marker` (of any queue) completes.
    func wait(for marker: any QueueMarker) throws(DeviceError)

    /// True when every enqueued piece of work has completed.
    var isIdle: Bool { get }
    /// Waits for all enqueued work; throws the first error any of it raised.
    func synchronize() throws(DeviceError)

    /// Copies `count` bytes between two host addresses (the host's view of buffers with a
    /// `hostAddress`, or host memory) at once, on the calling thread, if the queue is idle
    /// and has not failed and the copy is small enough not to be worth overlapping; says
    /// whether it did. When it did not, nothing happened and the caller enqueues the copy.
    func copyNow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) -> Bool
}

extension DeviceQueue {
    /// A queue whose device memory the host does not address: every copy is enqueued.
    public func copyNow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) -> Bool {
        false
    }
}

extension DeviceQueue {
    /// A queue without along-axis kernels: every `AxisOp` is `unsupported`.
    public func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .axis(op), dtype: input.dtype)
    }
}

extension DeviceQueue {
    /// A queue without a select kernel.
    public func select(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                       output: StridedOperand) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .select, dtype: output.dtype)
    }

    /// A queue without a gather kernel.
    public func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                       outOfRange: BufferRegion?) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .gather, dtype: output.dtype)
    }

    /// A queue without a scatter kernel.
    public func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int,
                        output: StridedOperand, outOfRange: BufferRegion?) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .scatter(mode), dtype: output.dtype)
    }

    /// A queue without an argsort kernel.
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .argsort, dtype: input.dtype)
    }

    /// A queue without a topk kernel.
    public func topk(input: StridedOperand, axis: Int, k: Int, largest: Bool, output: StridedOperand) throws(DeviceError) {
        throw .unsupported(device: device.id, op: .topk, dtype: input.dtype)
    }

    /// A gather that does not report out-of-range indices (they still give zero).
    public func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try gather(input: input, index: index, axis: axis, output: output, outOfRange: nil)
    }
}

/// A point in a queue's work, for events and cross-queue waits.
public protocol QueueMarker: AnyObject, Sendable {
    var isComplete: Bool { get }
    /// Blocks until complete; throws if the queue failed before reaching it.
    func wait() throws(DeviceError)
    /// The device's clock when the marker completed, in nanoseconds (comparable between
    /// markers of one device only); nil until complete.
    var completionTimeNanoseconds: UInt64? { get }
}
