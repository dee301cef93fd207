#if canImport(Glibc)
import Glibc
#endif
import COpenCL
import Dispatch

/// Markers, waits and host callbacks: the points where an OpenCL queue meets other queues
/// and the host.
///
/// A wait on a marker of the same context is a barrier on its event. Anything else (another
/// platform, another backend, a host callback) is a user event: a barrier makes the queue's
/// later commands wait on it, and a host thread of ours completes it — with CL_COMPLETE, or
/// with a negative status when the awaited work failed, which fails the commands behind it.
/// Driver callbacks only hand work to our threads, never run it themselves.
extension OpenCLQueue {
    public func enqueueMarker() throws(DeviceError) -> any QueueMarker {
        var marker: OpenCLMarker?
        try submit { event in
            let status = cl.clEnqueueMarkerWithWaitList!(queue, 0, nil, event)
            if status == CL_SUCCESS, let made = event.pointee {
                _ = cl.clRetainEvent!(made)
                marker = OpenCLMarker(event: made, context: owner.context, failure: failure, deviceID: owner.id)
            }
            return status
        }
        return marker ?? OpenCLMarker(event: nil, context: owner.context, failure: failure, deviceID: owner.id)
    }

    public func wait(for marker: any QueueMarker) throws(DeviceError) {
        if let native = marker as? OpenCLMarker, native.context === owner.context, let event = native.event {
            try submit { result in
                var waitList: cl_event? = event
                return cl.clEnqueueBarrierWithWaitList!(queue, 1, &waitList, result)
            }
            return
        }
        if marker.isComplete {
            do throws(DeviceError) { try marker.wait() } catch { failure.record(error) }
            return
        }
        let gate = try gateLaterWork()
        guard let gate else { return }
        let failure = failure
        DispatchQueue.global().async {
            do throws(DeviceError) {
                try marker.wait()
                gate.open()
            } catch {
                failure.record(error)
                gate.fail()
            }
        }
    }

    public func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
        try afterEarlierWork { [failure] status in
            guard status >= 0, failure.current == nil else { return false }
            body()
            return true
        }
    }

    public func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError) {
        if let error = failure.current {
            callbackWorker.async { body(error) }
            return
        }
        let (failure, id) = (failure, owner.id)
        try afterEarlierWork { status in
            if status < 0 { failure.record(.deviceLost(device: id, reason: "queued work failed: \(OpenCLStatus.name(status))")) }
            body(failure.current)
            return failure.current == nil
        }
    }

    /// Runs `body` on `callbackWorker` once the work enqueued so far has completed (with that
    /// work's status); work enqueued later waits until `body` returns, and fails if it
    /// returns false.
    private func afterEarlierWork(_ body: @escaping @Sendable (cl_int) -> Bool) throws(DeviceError) {
        guard failure.current == nil else { return }
        var earlier: cl_event?
        try submit { event in
            let status = cl.clEnqueueMarkerWithWaitList!(queue, 0, nil, event)
            if status == CL_SUCCESS, let made = event.pointee {
                _ = cl.clRetainEvent!(made)
                earlier = made
            }
            return status
        }
        guard let earlier, let gate = try gateLaterWork() else { return }
        let notify = OpenCLEventNotification { [self] status in
            callbackWorker.async { [self] in
                callbackThread.store(UInt(pthread_self()), ordering: .relaxed)
                let succeeded = body(status)
                callbackThread.store(0, ordering: .relaxed)
                if succeeded { gate.open() } else { gate.fail() }
            }
        }
        try notify.register(on: earlier, api: owner.api, device: owner.id)
        _ = cl.clReleaseEvent!(earlier)
    }

    /// A user event that commands enqueued from now on wait for (through a barrier).
    private func gateLaterWork() throws(DeviceError) -> OpenCLGate? {
        let context = try owner.context.handle(for: owner.id)
        var status: cl_int = CL_SUCCESS
        guard let user = cl.clCreateUserEvent!(context, &status), status == CL_SUCCESS else {
            throw .driver(device: owner.id, call: "clCreateUserEvent", code: Int(status))
        }
        let gate = OpenCLGate(event: user, api: owner.api)
        var enqueued = false
        try submit { result in
            var waitList: cl_event? = user
            let status = cl.clEnqueueBarrierWithWaitList!(queue, 1, &waitList, result)
            enqueued = status == CL_SUCCESS
            return status
        }
        guard enqueued else {
            gate.open()
            return nil
        }
        return gate
    }
}

/// A user event that later commands of a queue wait for; opened or failed exactly once.
final class OpenCLGate: @unchecked Sendable {
    // Sendable: the handle never changes; clSetUserEventStatus is thread-safe.
    private let event: OpaquePointer
    private let api: OpenCLAPI

    init(event: OpaquePointer, api: OpenCLAPI) {
        self.event = event
        self.api = api
    }

    func open() { finish(CL_COMPLETE) }
    /// Fails the commands waiting for the gate.
    func fail() { finish(-1) }

    private func finish(_ status: cl_int) {
        _ = api.cl.clSetUserEventStatus!(event, status)
        _ = api.cl.clReleaseEvent!(event)
    }
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
