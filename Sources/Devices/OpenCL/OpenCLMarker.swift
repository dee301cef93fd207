import COpenCL
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
/// clock, nanoseconds). A marker made after the queue failed is resolved with that error.
final class OpenCLMarker: QueueMarker, @unchecked Sendable {
    // Sendable: the event handle never changes and cl_event objects are thread-safe.
    let event: OpaquePointer?
    /// The context the event belongs to: queues of it wait on the event directly.
    let context: OpenCLContext
    private let failure: OpenCLQueueFailure
    private let deviceID: DeviceID

    /// A marker over `event` (retained by the caller for it), or already failed when nil.
    init(event: OpaquePointer?, context: OpenCLContext, failure: OpenCLQueueFailure, deviceID: DeviceID) {
        self.event = event
        self.context = context
        self.failure = failure
        self.deviceID = deviceID
    }

    private var cl: ds_opencl_functions { context.api.cl }

    /// The event's execution status (CL_COMPLETE, a negative error, or still pending).
    var status: cl_int {
        guard let event else { return -1 }
        return OpenCLMarker.status(of: event, api: context.api)
    }

    static func status(of event: OpaquePointer, api: OpenCLAPI) -> cl_int {
        var value: cl_int = CL_QUEUED
        let result = api.cl.clGetEventInfo!(event, cl_event_info(CL_EVENT_COMMAND_EXECUTION_STATUS), 4, &value, nil)
        return result == CL_SUCCESS ? value : result
    }

    var isComplete: Bool { status <= CL_COMPLETE }

    func wait() throws(DeviceError) {
        if let event {
            var waitList: cl_event? = event
            _ = cl.clWaitForEvents!(1, &waitList)
        }
        let status = status
        guard status == CL_COMPLETE else {
            throw failure.current ?? .deviceLost(device: deviceID, reason: "work before a marker failed: \(OpenCLStatus.name(status))")
        }
    }

    var completionTimeNanoseconds: UInt64? {
        guard let event, status == CL_COMPLETE else { return nil }
        var end: cl_ulong = 0
        let result = cl.clGetEventProfilingInfo!(event, cl_profiling_info(CL_PROFILING_COMMAND_END), 8, &end, nil)
        return result == CL_SUCCESS ? end : nil
    }

    deinit {
        if let event { _ = cl.clReleaseEvent!(event) }
    }
}
