#if canImport(Glibc)
import Glibc
#endif
import COpenCL
import Dispatch
import Synchronization

/// An in-order OpenCL command queue with profiling (`CL_QUEUE_PROFILING_ENABLE`).
///
/// Every enqueue validates its arguments, then enqueues one or more commands at once
/// (copies are non-blocking: host memory stays valid until they complete). The queue keeps
/// the event of its last command, so `isIdle` is one status query. Host callbacks and waits
/// on other backends' markers open a *gate*: until it opens, later commands are held on the
/// host, in order, and then enqueued (`OpenCLQueue+Ordering`). Once work fails (a negative
/// event status, or a foreign marker that failed), held and later work is dropped and
/// `synchronize` throws the error. (A gate is not a user event with a negative status: the
/// OpenCL spec leaves what then happens to the commands behind it to the driver, and PoCL 3.1
/// aborts.)
public final class OpenCLQueue: DeviceQueue, @unchecked Sendable {
    // Sendable: the queue handle never changes; `state` is behind a lock.
    let owner: OpenCLDevice
    let queue: OpaquePointer
    let failure = OpenCLQueueFailure()
    /// The last command's event, gates and held commands; its lock keeps enqueues in order.
    let state = Mutex(OpenCLQueueState())
    /// Entered for each gate, left when it opens: `synchronize` waits for them first.
    let openGates = DispatchGroup()
    /// Runs host callbacks, one at a time, in order.
    let callbackWorker = DispatchQueue(label: "deviceshim.opencl.callbacks")
    /// The thread running a host callback, so `synchronize` from one throws, not hangs.
    let callbackThread = Atomic<UInt>(0)

    init(device: OpenCLDevice) throws(DeviceError) {
        owner = device
        let context = try device.context.handle(for: device.id)
        var status: cl_int = CL_SUCCESS
        var made: OpaquePointer?
        if let withProperties = device.api.cl.clCreateCommandQueueWithProperties {
            var properties: [cl_queue_properties] = [cl_queue_properties(CL_QUEUE_PROPERTIES),
                                                     cl_queue_properties(CL_QUEUE_PROFILING_ENABLE), 0]
            made = withProperties(context, device.deviceHandle, &properties, &status)
        }
        if made == nil {
            made = device.api.cl.clCreateCommandQueue!(context, device.deviceHandle,
                                                       cl_command_queue_properties(CL_QUEUE_PROFILING_ENABLE), &status)
        }
        guard let made, status == CL_SUCCESS else {
            throw .driver(device: device.id, call: "clCreateCommandQueue", code: Int(status))
        }
        queue = made
    }

    deinit {
        _ = cl.clFinish!(queue)
        if let last = state.withLock({ $0.lastEvent }) { _ = cl.clReleaseEvent!(last.raw) }
        _ = cl.clReleaseCommandQueue!(queue)
    }

    public var device: any ComputeDevice { owner }
    var cl: ds_opencl_functions { owner.api.cl }

    // MARK: - Copies and fills

    public func copy(from source: UnsafeRawPointer, to destination: BufferRegion) throws(DeviceError) {
        let buffer = try OpenCLValidation.region(destination, role: "destination", on: owner)
        guard destination.byteCount > 0 else { return }
        let host = HostAddress(source)
        try submit { [self] event in
            cl.clEnqueueWriteBuffer!(queue, buffer.memory, cl_bool(CL_FALSE), destination.offset, destination.byteCount,
                                     host.pointer, 0, nil, event)
        }
    }

    public func copy(from source: BufferRegion, to destination: UnsafeMutableRawPointer) throws(DeviceError) {
        let buffer = try OpenCLValidation.region(source, role: "source", on: owner)
        guard source.byteCount > 0 else { return }
        let host = HostAddress(destination)
        try submit { [self] event in
            cl.clEnqueueReadBuffer!(queue, buffer.memory, cl_bool(CL_FALSE), source.offset, source.byteCount, host.pointer,
                                    0, nil, event)
        }
    }

    public func copy(from source: BufferRegion, to destination: BufferRegion) throws(DeviceError) {
        let from = try OpenCLValidation.region(source, role: "source", on: owner)
        let to = try OpenCLValidation.region(destination, role: "destination", on: owner)
        guard source.byteCount == destination.byteCount else {
            throw .invalidArgument("the source has \(source.byteCount) bytes but the destination \(destination.byteCount)")
        }
        if from === to, source.offset < destination.offset + destination.byteCount,
           destination.offset < source.offset + source.byteCount, source.offset != destination.offset {
            throw .invalidArgument("the source and destination overlap in one buffer")
        }
        guard source.byteCount > 0, !(from === to && source.offset == destination.offset) else { return }
        try submit { [self] event in
            cl.clEnqueueCopyBuffer!(queue, from.memory, to.memory, source.offset, destination.offset, source.byteCount,
                                    0, nil, event)
        }
    }

    /// `clEnqueueFillBuffer` needs offset and size in whole patterns: bytes before the first
    /// pattern-aligned offset and after the last whole pattern are filled one byte each, and
    /// the aligned middle with the pattern rotated to start where the region's pattern is.
    public func fill(_ destination: BufferRegion, with pattern: FillPattern) throws(DeviceError) {
        let buffer = try OpenCLValidation.region(destination, role: "destination", on: owner)
        try pattern.check(over: destination)
        let bytes = pattern.bytes, width = bytes.count
        let count = destination.byteCount
        let head = min(count, (width - destination.offset % width) % width)
        let middle = (count - head) / width * width
        var pieces: [(offset: Int, pattern: [UInt8], size: Int)] = []
        for index in 0..<head { pieces.append((destination.offset + index, [bytes[index % width]], 1)) }
        if middle > 0 {
            let rotated = (0..<width).map { bytes[(head + $0) % width] }
            pieces.append((destination.offset + head, rotated, middle))
        }
        for index in (head + middle)..<count { pieces.append((destination.offset + index, [bytes[index % width]], 1)) }
        for piece in pieces {
            try submit { [self] event in
                piece.pattern.withUnsafeBytes {
                    cl.clEnqueueFillBuffer!(queue, buffer.memory, $0.baseAddress, $0.count, piece.offset, piece.size, 0, nil, event)
                }
            }
        }
    }

    // MARK: - Completion

    public var isIdle: Bool {
        let (held, last) = state.withLock { ($0.gateCount > 0 || !$0.held.isEmpty, $0.retainedLastEvent(cl)) }
        guard !held else { return false }
        guard let last else { return true }
        defer { _ = cl.clReleaseEvent!(last.raw) }
        return OpenCLMarker.status(of: last.raw, api: owner.api) <= CL_COMPLETE
    }

    public func synchronize() throws(DeviceError) {
        guard callbackThread.load(ordering: .relaxed) != UInt(pthread_self()) else {
            throw .invalidArgument("synchronize was called from a host callback of the same queue, which would wait forever")
        }
        openGates.wait()
        let finished = cl.clFinish!(queue)
        if let last = state.withLock({ $0.retainedLastEvent(cl) }) {
            defer { _ = cl.clReleaseEvent!(last.raw) }
            let status = OpenCLMarker.status(of: last.raw, api: owner.api)
            if status < 0 { failure.record(.deviceLost(device: owner.id, reason: "queued work failed: \(OpenCLStatus.name(status))")) }
        }
        if finished != CL_SUCCESS {
            failure.record(.deviceLost(device: owner.id, reason: "clFinish failed: \(OpenCLStatus.name(finished))"))
        }
        // Status callbacks enqueued after the queue failed never reach the driver: they are
        // handed to `callbackWorker` directly. Waiting for it runs them before this returns,
        // as for callbacks of a queue that did not fail.
        callbackWorker.sync {}
        if let error = failure.current { throw error }
    }

    // MARK: - Internals

    /// Enqueues one driver command with `body` (given where its event goes); its event becomes
    /// the queue's last. Held while a gate is closed; dropped once the queue has failed.
    func submit(_ body: @escaping (UnsafeMutablePointer<cl_event?>) throws(DeviceError) -> cl_int) throws(DeviceError) {
        try submitCommand { [self] state throws(DeviceError) in _ = try enqueue(body, in: &state) }
    }

    /// Runs `command` under the queue's lock now, or holds it until every gate is open;
    /// `dropped` runs instead if the queue fails first. A driver error of a command run now
    /// is thrown; of a held one, it fails the queue.
    func submitCommand(dropped: (@Sendable () -> Void)? = nil, _ command: @escaping OpenCLQueueState.Command) throws(DeviceError) {
        let failed: Bool = try state.withLock { state throws(DeviceError) in
            guard failure.current == nil else { return true }
            if state.gateCount > 0 || !state.held.isEmpty {
                state.held.append(OpenCLQueueState.HeldCommand(run: command, dropped: dropped))
                return false
            }
            try command(&state)
            return false
        }
        if failed { dropped?() }
    }

    /// Enqueues a driver command and makes its event the last; returns the event.
    @discardableResult
    func enqueue(_ body: (UnsafeMutablePointer<cl_event?>) throws(DeviceError) -> cl_int, in state: inout OpenCLQueueState)
        throws(DeviceError) -> OpaquePointer {
        var event: cl_event?
        let status = try body(&event)
        guard status == CL_SUCCESS, let event else {
            if OpenCLStatus.isOutOfMemory(status) {
                throw .outOfMemory(device: owner.id, requestedBytes: 0, availableBytes: nil)
            }
            throw .driver(device: owner.id, call: "enqueue", code: Int(status))
        }
        if let previous = state.lastEvent { _ = cl.clReleaseEvent!(previous.raw) }
        state.lastEvent = OpenCLHandle(raw: event)
        _ = cl.clFlush!(queue)
        return event
    }
}

/// What an `OpenCLQueue` keeps under its lock.
struct OpenCLQueueState: @unchecked Sendable {
    // Sendable: only read and written under the queue's lock; held commands capture host
    // addresses the caller keeps valid until the work completes, as the contract says.
    /// Work run under the queue's lock: enqueues driver commands or opens a gate.
    typealias Command = (inout OpenCLQueueState) throws(DeviceError) -> Void

    struct HeldCommand: @unchecked Sendable {
        let run: Command
        let dropped: (@Sendable () -> Void)?
    }

    var lastEvent: OpenCLHandle?
    /// Gates not yet open: while there are any, commands are held.
    var gateCount = 0
    var held: [HeldCommand] = []

    /// The last event with a reference of the caller's own (to release), for use after the
    /// lock is dropped: the next enqueue on another thread releases the queue's reference.
    func retainedLastEvent(_ cl: ds_opencl_functions) -> OpenCLHandle? {
        guard let lastEvent else { return nil }
        _ = cl.clRetainEvent!(lastEvent.raw)
        return lastEvent
    }
}
