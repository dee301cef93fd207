/// Streams and events for Swift callers (`torch.cuda.Stream`, `torch.cuda.Event`): each call
/// is a `debug` record naming the Swift file and line that made it, under the API name
/// `Cuda.Stream.*` or `Cuda.Event.*`. The C ABI calls the same operations with its own names
/// and a native caller.
extension CudaStream {
    /// A new stream on `device` (`cudaStreamCreateWithPriority`), in the device's shared group.
    public convenience init(on device: any ComputeDevice, flags: CudaStreamFlags = .blocking, priority: Int32 = 0,
                            fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try self.init(on: device, flags: flags, priority: priority, api: "Cuda.Stream",
                      from: .swift(fileID: fileID, line: line, function: function))
    }

    /// A new stream in `group` (tests use a group of their own).
    public convenience init(in group: StreamGroup, flags: CudaStreamFlags = .blocking, priority: Int32 = 0,
                            fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try self.init(in: group, flags: flags, priority: priority, api: "Cuda.Stream",
                      from: .swift(fileID: fileID, line: line, function: function))
    }

    /// `.success` once all queued work has completed, `.notReady` before (`Stream.query()`).
    public func query(fileID: String = #fileID, line: Int = #line, function: String = #function) -> CudaError {
        query(api: "Cuda.Stream.query", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Waits for all queued work (`Stream.synchronize()`).
    public func synchronize(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try synchronize(api: "Cuda.Stream.synchronize", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Makes later work wait for the work `event` captured (`Stream.wait_event`).
    public func wait(for event: CudaEvent, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try wait(for: event, api: "Cuda.Stream.wait", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Runs `function` on a host thread in stream order (`cudaLaunchHostFunc`).
    public func launchHostFunction(_ function: @escaping @Sendable () -> Void, fileID: String = #fileID, line: Int = #line,
                                   callerFunction: String = #function) throws(CudaError) {
        try launchHostFunction(function, api: "Cuda.Stream.launchHostFunction",
                               from: .swift(fileID: fileID, line: line, function: callerFunction))
    }

    /// Runs `callback` in stream order with the status of the work before it, also after a
    /// failure (`cudaStreamAddCallback`).
    public func addCallback(_ callback: @escaping @Sendable (CudaStream, CudaError) -> Void, fileID: String = #fileID,
                            line: Int = #line, function: String = #function) throws(CudaError) {
        try addCallback(callback, api: "Cuda.Stream.addCallback", from: .swift(fileID: fileID, line: line, function: function))
    }
}

extension CudaEvent {
    /// A new event (`torch.cuda.Event`, `cudaEventCreateWithFlags`).
    public convenience init(flags: CudaEventFlags = .default, log: RedirectionLog = .shared,
                            fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try self.init(flags: flags, log: log, api: "Cuda.Event", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Captures all work queued on `stream` so far (`Event.record(stream)`).
    public func record(on stream: CudaStream, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try record(on: stream, api: "Cuda.Event.record", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// `.success` once the captured work has completed, `.notReady` before (`Event.query()`).
    public func query(fileID: String = #fileID, line: Int = #line, function: String = #function) -> CudaError {
        query(api: "Cuda.Event.query", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Waits until the captured work has completed (`Event.synchronize()`).
    public func synchronize(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try synchronize(api: "Cuda.Event.synchronize", from: .swift(fileID: fileID, line: line, function: function))
    }

    /// Milliseconds of device time from `start` to `end` (`start.elapsed_time(end)`).
    public static func elapsedMilliseconds(from start: CudaEvent, to end: CudaEvent, fileID: String = #fileID,
                                           line: Int = #line, function: String = #function) throws(CudaError) -> Float {
        try elapsedMilliseconds(from: start, to: end, api: "Cuda.Event.elapsedMilliseconds",
                                site: .swift(fileID: fileID, line: line, function: function))
    }
}
