/// Streams, events and synchronisation on the `Cuda` face (`torch.cuda.Stream`, `Event`,
/// `synchronize`, `stream(...)` scopes).
extension Cuda {
    /// A CUDA stream on the device `cuda:N` goes to (`torch.cuda.Stream`).
    public typealias Stream = CudaStream
    /// A CUDA event, timed by the device's clock (`torch.cuda.Event`).
    public typealias Event = CudaEvent

    /// The stream made current by the innermost `withStream` scope of this task, if any.
    @TaskLocal static var scopedStream: CudaStream?

    /// A new stream on `cuda:index` (the current device when nil).
    public static func makeStream(_ index: Int? = nil, flags: CudaStreamFlags = .blocking, priority: Int32 = 0,
                                  fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Stream {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let resolution = try runtime.resolve(index, api: "Cuda.makeStream", from: site)
        return try CudaStream(on: resolution.device, flags: flags, priority: priority, api: "Cuda.makeStream", from: site)
    }

    /// The current stream (`torch.cuda.current_stream`): the one a `withStream` scope made
    /// current, else the legacy default stream of the device.
    public static func currentStream(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line,
                                     function: String = #function) throws(CudaError) -> Stream {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let stream: CudaStream
        if let scoped = scopedStream {
            stream = scoped
        } else {
            stream = try runtime.legacyDefaultStream(index, api: "Cuda.currentStream", from: site)
        }
        runtime.log.recordCall("Cuda.currentStream", device: stream.device.id, stream: stream.id, status: .success, from: site)
        return stream
    }

    /// Runs `body` with `stream` as the current stream (`with torch.cuda.stream(s):`).
    public static func withStream<Result>(_ stream: Stream, _ body: () throws -> Result) rethrows -> Result {
        try $scopedStream.withValue(stream, operation: body)
    }

    /// Waits for all work on the device, every stream's (`torch.cuda.synchronize`,
    /// `cudaDeviceSynchronize`).
    public static func synchronize(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line,
                                   function: String = #function) throws(CudaError) {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let resolution = try runtime.resolve(index, api: "Cuda.synchronize", from: site)
        let start = MonotonicClock.now()
        try StreamErrors.mapped { () throws(DeviceError) in try StreamGroup.shared(for: resolution.device).synchronizeAll() }
        runtime.log.record(.debug, RedirectionRecord(api: "Cuda.synchronize", requested: resolution.request.description,
                                                     resolved: resolution.device.id.description,
                                                     durationNanoseconds: MonotonicClock.now() - start), from: site)
    }
}

extension Mps {
    /// Waits for all work on the device `mps` goes to (`torch.mps.synchronize`).
    public static func synchronize(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        let resolution = try resolve("Mps.synchronize", fileID, line, function)
        try StreamErrors.mapped { () throws(DeviceError) in try StreamGroup.shared(for: resolution.device).synchronizeAll() }
    }
}
