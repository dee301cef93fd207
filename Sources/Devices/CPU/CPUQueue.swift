#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// An in-order queue of CPU work, run by a serial worker (a `DispatchQueue`).
///
/// Enqueue calls validate everything at once and throw; the work then runs on the worker
/// in order (large kernels fan out across cores and join before the next item). Work that
/// fails — waiting for another queue's marker whose queue failed — makes the queue fail:
/// later work is skipped, later markers resolve with the error, and `synchronize` throws it
/// from then on. Operands that are outputs may be exactly an input (in place) but must not
/// otherwise overlap one.
public final class CPUQueue: DeviceQueue {
    private let cpu: CPUDevice
    private let worker: DispatchQueue
    /// Items enqueued and not yet finished.
    private let pendingCount = Atomic<Int>(0)
    /// The first error work raised; sticky.
    private let failure = Mutex<DeviceError?>(nil)
    /// Set (after `failure`) once work has failed, so that the hot path (every item's turn,
    /// every `synchronize`) reads one atomic instead of taking the lock.
    private let failed = Atomic<Bool>(false)
    /// The thread running an item, so `synchronize` from a host callback throws, not hangs.
    private let workerThread = Atomic<UInt>(0)
    /// Held while an item runs, by the worker or by a caller running small work inline.
    private let running = Mutex(())

    init(device: CPUDevice) {
        cpu = device
        worker = DispatchQueue(label: "deviceshim.cpu.queue")
    }

    public var device: any ComputeDevice { cpu }

    // MARK: - Copies and fills

    public func copy(from source: UnsafeRawPointer, to destination: BufferRegion) throws(DeviceError) {
        let (from, to) = (HostAddress(source), HostAddress(try CPUValidation.address(of: destination, role: "destination")))
        if !copyNow(from: from.pointer, to: to.pointer, count: destination.byteCount) {
            submitCopy(from: from, to: to, count: destination.byteCount, keeping: destination.buffer)
        }
    }

    public func copy(from source: BufferRegion, to destination: UnsafeMutableRawPointer) throws(DeviceError) {
        let (from, to) = (HostAddress(try CPUValidation.address(of: source, role: "source")), HostAddress(destination))
        if !copyNow(from: from.pointer, to: to.pointer, count: source.byteCount) {
            submitCopy(from: from, to: to, count: source.byteCount, keeping: source.buffer)
        }
    }

    public func copy(from source: BufferRegion, to destination: BufferRegion) throws(DeviceError) {
        let from = HostAddress(try CPUValidation.address(of: source, role: "source"))
        let to = HostAddress(try CPUValidation.address(of: destination, role: "destination"))
        guard source.byteCount == destination.byteCount else {
            throw .invalidArgument("the source has \(source.byteCount) bytes but the destination \(destination.byteCount)")
        }
        if !copyNow(from: from.pointer, to: to.pointer, count: source.byteCount) {
            submitCopy(from: from, to: to, count: source.byteCount, keeping: (source.buffer, destination.buffer))
        }
    }

    public func fill(_ destination: BufferRegion, with pattern: FillPattern) throws(DeviceError) {
        let target = try CPUValidation.address(of: destination, role: "destination")
        try pattern.check(over: destination)
        let (address, bytes, count, buffer) = (HostAddress(target), pattern.bytes, destination.byteCount, destination.buffer)
        if Self.isSmall(bytes: count), ranInline({ perform { MemoryKernels.fill(address.pointer, count: count, with: bytes) } }) {
            return
        }
        submit { withExtendedLifetime(buffer) { MemoryKernels.fill(address.pointer, count: count, with: bytes) } }
    }

    /// The CPU backend's buffers are host memory, so any copy between them and host memory
    /// is a host copy: run at once when small and the queue is idle and has not failed (see
    /// `ranInline`). The buffers need no reference meanwhile: the caller holds them for the
    /// call. The queue's own copies take this path first too.
    public func copyNow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) -> Bool {
        guard Self.isSmall(bytes: count) else { return false }
        return inline { () -> Bool in
            guard !failed.load(ordering: .acquiring) else { return false }
            MemoryKernels.copy(from: source, to: destination, count: count)
            return true
        } ?? false
    }

    /// Queues a copy of `count` bytes; `owners` (the buffers) stay alive until it has run.
    private func submitCopy(from source: HostAddress, to destination: HostAddress, count: Int, keeping owners: some Sendable) {
        submit { withExtendedLifetime(owners) { MemoryKernels.copy(from: source.pointer, to: destination.pointer, count: count) } }
    }

    // MARK: - Kernels

    public func unary(_ op: UnaryOp, input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.unary(op), input.dtype)
        let inputBuffer = try CPUValidation.operand(input, role: "input", dtype: input.dtype)
        let outputBuffer = try CPUValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                     isOutput: true)
        try input.checkSameShape("input", as: output, "output")
        let operands = elementwise(output: output, outputBuffer, input, inputBuffer)
        let dtype = input.dtype
        submitKernel((op, dtype, operands), keeping: (inputBuffer, outputBuffer)) { UnaryFunctions.run($0.0, $0.1, $0.2) }
    }

    public func binary(_ op: BinaryOp, lhs: StridedOperand, rhs: StridedOperand, output: StridedOperand) throws(DeviceError) {
        let outputType = try op.outputType(lhs: lhs, rhs: rhs)
        try requireSupport(.binary(op), lhs.dtype)
        let lhsBuffer = try CPUValidation.operand(lhs, role: "left operand", dtype: lhs.dtype)
        let rhsBuffer = try CPUValidation.operand(rhs, role: "right operand", dtype: lhs.dtype)
        let outputBuffer = try CPUValidation.operand(output, role: "output", dtype: outputType,
                                                     isOutput: true)
        try lhs.checkSameShape("left operand", as: rhs, "right operand")
        try lhs.checkSameShape("left operand", as: output, "output")
        let operands = elementwise(output: output, outputBuffer, lhs, lhsBuffer, rhs, rhsBuffer)
        let dtype = lhs.dtype
        submitKernel((op, dtype, operands), keeping: (lhsBuffer, rhsBuffer, outputBuffer)) { BinaryFunctions.run($0.0, $0.1, $0.2) }
    }

    public func reduce(_ op: ReductionOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.reduce(op), input.dtype)
        let inputBuffer = try CPUValidation.operand(input, role: "input", dtype: input.dtype)
        let outputBuffer = try CPUValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                     isOutput: true)
        let reducedShape = try op.checkShapes(input: input, axis: axis, output: output)
        // The walk over outputs: the reduced axis has length 1 there, so it drops out.
        let operands = ReductionOperands(
            output: outputBuffer.baseAddress, input: inputBuffer.baseAddress,
            outer: IterationSpace(shape: reducedShape, origin: SIMD4(output.offset, input.offset, 0, 0)) {
                SIMD4(output.strides[$0], input.strides[$0], 0, 0)
            },
            axisLength: input.shape[axis], axisStride: input.strides[axis])
        let dtype = input.dtype
        submitKernel((op, dtype, operands), keeping: (inputBuffer, outputBuffer)) { ReductionFunctions.run($0.0, $0.1, $0.2) }
    }

    public func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.axis(op), input.dtype)
        let inputBuffer = try CPUValidation.operand(input, role: "input", dtype: input.dtype)
        let outputBuffer = try CPUValidation.operand(output, role: "output", dtype: input.dtype, isOutput: true)
        try op.checkShapes(input: input, axis: axis, output: output)
        let operands = AxisOperands(input: input, inputBuffer, axis: axis, output: output, outputBuffer)
        let dtype = input.dtype
        submitKernel((op, dtype, operands), keeping: (inputBuffer, outputBuffer)) { AxisFunctions.run($0.0, $0.1, $0.2) }
    }

    public func convert(input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.convert(from: input.dtype), output.dtype)
        let inputBuffer = try CPUValidation.operand(input, role: "input", dtype: input.dtype)
        let outputBuffer = try CPUValidation.operand(output, role: "output", dtype: output.dtype, isOutput: true)
        try input.checkSameShape("input", as: output, "output")
        let operands = elementwise(output: output, outputBuffer, input, inputBuffer)
        let (source, destination) = (input.dtype, output.dtype)
        submitKernel((source, destination, operands), keeping: (inputBuffer, outputBuffer)) {
            ConvertKernels.run(from: $0.0, to: $0.1, $0.2)
        }
    }

    public func gemm(_ operation: GemmOperation) throws(DeviceError) {
        try requireSupport(.gemm, operation.dtype)
        let plan = try CPUGemm.validated(operation)
        if operation.multiplies <= CPUGemm.inlineMultiplyLimit,
           ranInline({ perform { CPUGemm.run(plan, onHostThread: true) } }) { return }
        submit { CPUGemm.run(plan, onHostThread: false) }
    }

    // MARK: - Ordering

    public func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
        submit(body)
    }

    public func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError) {
        submitResolving { [self] in body(currentFailure) }
    }

    public func enqueueMarker() throws(DeviceError) -> any QueueMarker {
        // On an idle queue the marker is reached as it is made: no closures, nothing to wait on.
        if let reached = inline({ CPUMarker(reachedWith: currentFailure) }) { return reached }
        let marker = CPUMarker(), outcome = MarkerOutcome()
        // The queue's state is read in the marker's turn; the marker resolves once the turn is
        // counted done, so whoever it wakes finds the queue idle (`isIdle`, `cudaStreamQuery`).
        let check: @Sendable () -> Void = { [self] in outcome.error = currentFailure }
        let resolve: @Sendable () -> Void = { if let error = outcome.error { marker.fail(error) } else { marker.complete() } }
        if !ranInline(check, then: resolve) { submitResolving(check, then: resolve) }
        return marker
    }

    public func wait(for marker: any QueueMarker) throws(DeviceError) {
        // A marker already reached leaves nothing to wait for: queuing the wait would only
        // cost a hand-off to the worker (cudaStreamWaitEvent on a recorded event: 1.7 µs).
        // One that failed is queued, so that its error fails this queue in order.
        if marker.completionTimeNanoseconds != nil { return }
        submit { () throws(DeviceError) in try marker.wait() }
    }

    public var isIdle: Bool { pendingCount.load(ordering: .acquiring) == 0 }

    public func synchronize() throws(DeviceError) {
        guard workerThread.load(ordering: .relaxed) != UInt(pthread_self()) else {
            throw .invalidArgument("synchronize was called from work of the same queue (a host callback), which would wait forever")
        }
        if pendingCount.load(ordering: .acquiring) != 0 { worker.sync {} }
        if failed.load(ordering: .acquiring), let error = currentFailure { throw error }
    }

    // MARK: - Internals

    private func requireSupport(_ op: KernelOp, _ dtype: DType) throws(DeviceError) {
        guard cpu.supports(op, dtype) else { throw .unsupported(device: cpu.id, op: op, dtype: dtype) }
    }

    /// The output (lane 0) and inputs (lanes 1, 2) of an element-wise kernel, all validated;
    /// a one-input kernel passes its input as both.
    private func elementwise(
        output: StridedOperand, _ outputBuffer: CPUBuffer, _ first: StridedOperand, _ firstBuffer: CPUBuffer,
        _ second: StridedOperand? = nil, _ secondBuffer: CPUBuffer? = nil
    ) -> ElementwiseOperands {
        let second = second ?? first
        let space = IterationSpace(shape: output.shape, origin: SIMD4(output.offset, first.offset, second.offset, 0)) {
            SIMD4(output.strides[$0], first.strides[$0], second.strides[$0], 0)
        }
        return ElementwiseOperands(output: outputBuffer.baseAddress, first: firstBuffer.baseAddress,
                                   second: (secondBuffer ?? firstBuffer).baseAddress, space: space)
    }

    /// Copies and fills of at most this many bytes are small: on an idle queue they run on the
    /// caller's thread (GEMMs: `CPUGemm.inlineMultiplyLimit`).
    static let inlineByteLimit = 4 << 20

    static func isSmall(bytes: Int) -> Bool { bytes <= inlineByteLimit }

    /// Queues `work`, which is skipped once the queue has failed; an error it throws fails
    /// the queue.
    private func submit(_ work: @escaping @Sendable () throws(DeviceError) -> Void) {
        submitResolving { [self] in perform(work) }
    }

    /// Runs `kernel(operands)` at once on the caller's thread when the queue is idle (see
    /// `ranInline`), else queues it with `owners` (the buffers) kept alive until it has run.
    /// Queued, it would run on these same cores, so the caller gives up no overlap; inline, it
    /// skips the hand-off to the worker and the wake-up back (see `ranInline`), which small
    /// tensor ops pay on every op. Copies stay queued above `inlineByteLimit`: a CUDA program
    /// may overlap its own host work with a large copy.
    ///
    /// `kernel` captures nothing, so an op that runs inline allocates no closure and retains
    /// nothing for one: a closure capturing the operands and buffers was 1 allocation and 17
    /// of the 105 reference-count operations of a 4096-element add (callgrind).
    func submitKernel<Operands: Sendable>(_ operands: Operands, keeping owners: some Sendable,
                                          _ kernel: @escaping @Sendable (Operands) -> Void) {
        if ranInline({ perform { kernel(operands) } }) { return }
        submit { withExtendedLifetime(owners) { kernel(operands) } }
    }

    /// The queue's first failure, or nil: one atomic load while it has not failed.
    private var currentFailure: DeviceError? {
        failed.load(ordering: .acquiring) ? failure.withLock { $0 } : nil
    }

    /// Runs `work` unless the queue has failed; an error it throws fails the queue.
    private func perform(_ work: () throws(DeviceError) -> Void) {
        guard !failed.load(ordering: .acquiring) else { return }
        do throws(DeviceError) {
            try work()
        } catch {
            failure.withLock { if $0 == nil { $0 = error } }
            failed.store(true, ordering: .releasing)
        }
    }

    /// Queues `body` for the worker; it runs even after the queue failed (markers resolve
    /// either way). Work running on the worker counts as pending, so work enqueued from a host
    /// callback is never run inline inside it.
    private func submitResolving(_ body: @escaping @Sendable () -> Void, then completion: (@Sendable () -> Void)? = nil) {
        pendingCount.add(1, ordering: .relaxed)
        worker.async { [self] in running.withLock { _ in run(body, then: completion) } }
    }

    /// Runs work at once on the caller's thread when the queue is idle, and says whether it
    /// did. Handing it to the worker thread and waking the caller back costs about 20 µs on
    /// this project's machine, more than small work itself. Holding `running` keeps
    /// the worker from starting later work meanwhile, so order holds across threads. Callers
    /// pass only work that cannot block: never host callbacks or waits.
    ///
    /// The work is not counted in `pendingCount`: it is done before the enqueue call returns,
    /// so only a thread whose call overlaps that one could see the queue idle meanwhile, and
    /// for such a thread either order is CUDA's. That saves two atomic read-modify-writes per
    /// small copy. (Its thread is not `workerThread` either: inline work never waits.)
    private func ranInline(_ body: () -> Void, then completion: (() -> Void)? = nil) -> Bool {
        inline { () -> Bool in
            body()
            completion?()
            return true
        } ?? false
    }

    /// `ranInline` for work with a result: the result, or nil when the queue was not idle.
    private func inline<Result>(_ body: () -> Result) -> Result? {
        guard pendingCount.load(ordering: .acquiring) == 0 else { return nil }
        return running.withLockIfAvailable { _ -> Result? in
            // Work queued since the check above goes first: it waits for `running` meanwhile.
            guard pendingCount.load(ordering: .acquiring) == 0 else { return nil }
            return body()
        } ?? nil
    }

    /// Runs one item on the worker, counts it done, then calls `completion` (a marker's
    /// resolution).
    private func run(_ body: () -> Void, then completion: (() -> Void)? = nil) {
        workerThread.store(UInt(pthread_self()), ordering: .relaxed)
        body()
        workerThread.store(0, ordering: .relaxed)
        pendingCount.subtract(1, ordering: .releasing)
        completion?()
    }
}

/// The queue's failure (or none) as a marker's turn found it, kept for the marker's
/// resolution right after: written and read by the one thread running that item.
private final class MarkerOutcome: @unchecked Sendable {
    var error: DeviceError?
}

