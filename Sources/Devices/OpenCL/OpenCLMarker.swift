import COpenCL
import Dispatch
import Synchronization

/// The first error of an OpenCL queue's work, shared with its markers; sticky.
final class OpenCLQueueFailure: Sendable {
    private let error = Mutex<DeviceError?>(nil)

    var current: DeviceError? { error.withLock { $0 } }

    /// Keeps `failure` unless an earlier error is kept already.
    func record(_ failure: DeviceError) {
        error.withLock { if $0 == nil { $0 = failure } }
    }
}

/// A point in an `OpenCLQueue`'s work: a marker command's event. It completes when the work
/// before it has; its completion time is the event's `CL_PROFILING_COMMAND_END` (the device's
/// clock, nanoseconds). While the queue holds work back (behind a host callback or a foreign
/// wait) the marker has no event yet; if the queue fails first, it resolves with the error.
final class OpenCLMarker: QueueMarker, @unchecked Sendable {
    // Sendable: the state is behind a lock; cl_event objects are thread-safe.
    private enum State {
        case pending
        case enqueued(OpenCLHandle)
        case failed(DeviceError)
    }

    /// The context the event belongs to: queues of it wait on the event directly.
    let context: OpenCLContext
    private let deviceID: DeviceID
    private let state = Mutex(State.pending)
    /// Entered on creation, left once the marker has an event or failed.
    private let resolution = DispatchGroup()

    init(context: OpenCLContext, deviceID: DeviceID) {
        self.context = context
        self.deviceID = deviceID
        resolution.enter()
    }

    private var cl: ds_opencl_functions { context.api.cl }

    /// Called once, with the marker command's event (retained for the marker).
    func attach(_ event: OpaquePointer) {
        state.withLock { $0 = .enqueued(OpenCLHandle(raw: event)) }
        resolution.leave()
    }

    /// Called once, when the queue failed before the marker was enqueued.
    func fail(_ error: DeviceError) {
        state.withLock { $0 = .failed(error) }
        resolution.leave()
    }

    /// The marker command's event, once enqueued.
    var event: OpaquePointer? {
        state.withLock { if case let .enqueued(event) = $0 { event.raw } else { nil } }
    }

    static func status(of event: OpaquePointer, api: OpenCLAPI) -> cl_int {
        var value: cl_int = CL_QUEUED
        let result = api.cl.clGetEventInfo!(event, cl_event_info(CL_EVENT_COMMAND_EXECUTION_STATUS), 4, &value, nil)
        return result == CL_SUCCESS ? value : result
    }

    var isComplete: Bool {
        switch state.withLock({ $0 }) {
        case .pending: false
        case .failed: true
        case let .enqueued(event): Self.status(of: event.raw, api: context.api) <= CL_COMPLETE
        }
    }

    func wait() throws(DeviceError) {
        resolution.wait()
        switch state.withLock({ $0 }) {
        case .pending: return
        case let .failed(error): throw error
        case let .enqueued(event):
            var waitList: cl_event? = event.raw
            _ = cl.clWaitForEvents!(1, &waitList)
            let status = Self.status(of: event.raw, api: context.api)
            guard status == CL_COMPLETE else {
                throw .deviceLost(device: deviceID, reason: "work before a marker failed: \(OpenCLStatus.name(status))")
            }
        }
    }

    var completionTimeNanoseconds: UInt64? {
        guard let event, Self.status(of: event, api: context.api) == CL_COMPLETE else { return nil }
        var end: cl_ulong = 0
        let result = cl.clGetEventProfilingInfo!(event, cl_profiling_info(CL_PROFILING_COMMAND_END), 8, &end, nil)
        return result == CL_SUCCESS ? end : nil
    }

    deinit {
        if let event { _ = cl.clReleaseEvent!(event) }
    }
}
