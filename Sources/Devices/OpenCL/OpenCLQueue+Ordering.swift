#if canImport(Glibc)
import Glibc
#endif
import COpenCL
import Dispatch

/// Markers, waits and host callbacks: where an OpenCL queue meets other queues and the host.
///
/// A wait on an enqueued marker of the same context is a barrier on its event. A wait on
/// anything else (another platform, another backend) and a host callback open a gate: later
/// commands are held on the host until a thread of ours opens it — after the awaited marker
/// completed, or after the callback's body ran on `callbackWorker` (the driver's callback
/// thread only hands the body over, never runs it). A failed wait fails the queue.
extension OpenCLQueue {
    public func enqueueMarker() throws(DeviceError) -> any QueueMarker {
        let marker = OpenCLMarker(context: owner.context, deviceID: owner.id)
        let (failure, id) = (failure, owner.id)
        do throws(DeviceError) {
            try submitCommand(dropped: { marker.fail(failure.current ?? .deviceLost(device: id, reason: "the queue failed")) }) {
                [self] state throws(DeviceError) in
                let event = try enqueue({ cl.clEnqueueMarkerWithWaitList!(queue, 0, nil, $0) }, in: &state)
                _ = cl.clRetainEvent!(event)
                marker.attach(event)
            }
        } catch {
            marker.fail(error)
            throw error
        }
        return marker
    }

    public func wait(for marker: any QueueMarker) throws(DeviceError) {
        if let native = marker as? OpenCLMarker, native.context === owner.context, native.event != nil {
            // The command holds the marker, not just its event: held behind a gate, it may run
            // after the caller dropped the marker, whose event would be freed by then.
            try submit { [self, native] result in
                var waitList: cl_event? = native.event
                return cl.clEnqueueBarrierWithWaitList!(queue, 1, &waitList, result)
            }
            return
        }
        let box = SendableMarker(marker: marker)
        try submitCommand { [self] state throws(DeviceError) in
            closeGate(&state)
            DispatchQueue.global().async { [self] in
                do throws(DeviceError) {
                    try box.marker.wait()
                    openGate(failing: nil)
                } catch {
                    openGate(failing: error)
                }
            }
        }
    }

    public func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
        try afterEarlierWork { status in
            guard status == nil else { return }
            body()
        }
    }

    public func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError) {
        let failure = failure
        try afterEarlierWork(dropped: { [callbackWorker] in callbackWorker.async { body(failure.current) } }) { status in
            body(status)
        }
    }

    /// Runs `body` on `callbackWorker` once the work enqueued so far has completed, with the
    /// queue's error (nil if none); later work is held until it returns. `dropped` runs
    /// instead if the queue fails before this is enqueued.
    private func afterEarlierWork(
        dropped: (@Sendable () -> Void)? = nil, _ body: @escaping @Sendable (DeviceError?) -> Void
    ) throws(DeviceError) {
        try submitCommand(dropped: dropped) { [self] state throws(DeviceError) in
            let earlier = try enqueue({ cl.clEnqueueMarkerWithWaitList!(queue, 0, nil, $0) }, in: &state)
            closeGate(&state)
            let notification = OpenCLEventNotification { [self] status in
                callbackWorker.async { [self] in
                    if status < 0 {
                        failure.record(.deviceLost(device: owner.id, reason: "queued work failed: \(OpenCLStatus.name(status))"))
                    }
                    callbackThread.store(UInt(pthread_self()), ordering: .relaxed)
                    body(failure.current)
                    callbackThread.store(0, ordering: .relaxed)
                    openGate(failing: nil)
                }
            }
            do throws(DeviceError) {
                try notification.register(on: earlier, api: owner.api, device: owner.id)
            } catch {
                state.gateCount -= 1
                openGates.leave()
                throw error
            }
        }
    }

    /// Holds later commands until `openGate` (called under the queue's lock).
    private func closeGate(_ state: inout OpenCLQueueState) {
        state.gateCount += 1
        openGates.enter()
    }

    /// Opens one gate and enqueues the held commands up to the next closed gate; with an
    /// error (or once the queue has failed), drops them instead.
    func openGate(failing error: DeviceError?) {
        if let error { failure.record(error) }
        let dropped: [@Sendable () -> Void] = state.withLock { state in
            state.gateCount -= 1
            while failure.current == nil, state.gateCount == 0, !state.held.isEmpty {
                let command = state.held.removeFirst()
                do throws(DeviceError) { try command.run(&state) } catch { failure.record(error) }
            }
            guard failure.current != nil else { return [] }
            let drops = state.held.compactMap(\.dropped)
            state.held.removeAll()
            return drops
        }
        for drop in dropped { drop() }
        openGates.leave()
    }
}

/// A marker of any backend handed to the thread that waits for it.
private struct SendableMarker: @unchecked Sendable {
    // Sendable: markers are Sendable; the existential only needs the wrapper to cross.
    let marker: any QueueMarker
}

/// A body called once when an event completes (or fails), with the event's status.
final class OpenCLEventNotification: Sendable {
    let body: @Sendable (cl_int) -> Void

    init(_ body: @escaping @Sendable (cl_int) -> Void) {
        self.body = body
    }

    func register(on event: OpaquePointer, api: OpenCLAPI, device: DeviceID) throws(DeviceError) {
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = api.cl.clSetEventCallback!(event, CL_COMPLETE, { _, status, context in
            guard let context else { return }
            Unmanaged<OpenCLEventNotification>.fromOpaque(context).takeRetainedValue().body(status)
        }, context)
        guard status == CL_SUCCESS else {
            Unmanaged<OpenCLEventNotification>.fromOpaque(context).release()
            throw .driver(device: device, call: "clSetEventCallback", code: Int(status))
        }
    }
}
