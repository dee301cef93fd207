/// `torch.cuda` for Swift: CUDA's device and memory queries, answered by the real devices
/// `cuda:N` is redirected to (`CudaRuntime.shared`). Each call is a redirection record naming
/// the Swift file and line that made it. Errors are `CudaError`s, and are also recorded as
/// the thread's last error, as the CUDA runtime does.
///
/// Memory counters belong to the real device: when `cuda:0` and `mps` both go to `cpu:0`,
/// they share its counters.
public enum Cuda {
    public static var runtime: CudaRuntime { .shared }

    /// Whether any `cuda:N` exists (`torch.cuda.is_available()`).
    public static func isAvailable(fileID: String = #fileID, line: Int = #line, function: String = #function) -> Bool {
        deviceCount(fileID: fileID, line: line, function: function) > 0
    }

    /// How many `cuda:N` there are (`torch.cuda.device_count()`).
    public static func deviceCount(fileID: String = #fileID, line: Int = #line, function: String = #function) -> Int {
        let count = runtime.deviceCount
        runtime.log.record(.debug, RedirectionRecord(api: "Cuda.deviceCount", requested: "cuda", status: "\(count)"),
                           from: .swift(fileID: fileID, line: line, function: function))
        return count
    }

    /// The calling thread's current device index (`torch.cuda.current_device()`).
    public static func currentDevice(fileID: String = #fileID, line: Int = #line, function: String = #function) -> Int {
        let index = runtime.currentDevice
        runtime.log.record(.debug, RedirectionRecord(api: "Cuda.currentDevice", requested: "cuda:\(index)"),
                           from: .swift(fileID: fileID, line: line, function: function))
        return index
    }

    /// Makes `index` the calling thread's current device (`torch.cuda.set_device`).
    public static func setDevice(_ index: Int, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        try runtime.setDevice(index, from: .swift(fileID: fileID, line: line, function: function))
    }

    /// The device's name: the name its driver reports (`torch.cuda.get_device_name`).
    public static func deviceName(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> String {
        try deviceProperties(index, fileID: fileID, line: line, function: function).name
    }

    /// Everything `cudaGetDeviceProperties` reports (`torch.cuda.get_device_properties`).
    public static func deviceProperties(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line,
                                        function: String = #function) throws(CudaError) -> CudaDeviceProperties {
        let device = index ?? runtime.currentDevice
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        return try CudaError.recordingFailures { () throws(DeviceError) in
            try runtime.catalog.properties(ofDevice: device, api: "Cuda.deviceProperties", from: site)
        }
    }

    /// Bytes the program holds on the device (`torch.cuda.memory_allocated`).
    public static func memoryAllocated(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        try statistics(index, "Cuda.memoryAllocated", fileID, line, function).allocatedBytes.current
    }

    /// The most the program held since the start or the last reset (`torch.cuda.max_memory_allocated`).
    public static func maxMemoryAllocated(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        try statistics(index, "Cuda.maxMemoryAllocated", fileID, line, function).allocatedBytes.peak
    }

    /// Bytes DeviceShim holds from the device, cached blocks included (`torch.cuda.memory_reserved`).
    public static func memoryReserved(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        try statistics(index, "Cuda.memoryReserved", fileID, line, function).reservedBytes.current
    }

    /// Every counter under PyTorch's names (`torch.cuda.memory_stats`).
    public static func memoryStats(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> [String: Int] {
        try statistics(index, "Cuda.memoryStats", fileID, line, function).dictionary
    }

    /// A readable table of the counters (`torch.cuda.memory_summary`).
    public static func memorySummary(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> String {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let (statistics, resolution) = try runtime.statistics(index, api: "Cuda.memorySummary", from: site)
        return statistics.summary(title: "DeviceShim memory summary, \(resolution.request) -> \(resolution.entry.id) (\(resolution.entry.properties.name))")
    }

    /// Starts the peaks again from the current values (`torch.cuda.reset_peak_memory_stats`).
    public static func resetPeakMemoryStats(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let resolution = try runtime.resolve(index, api: "Cuda.resetPeakMemoryStats", from: site)
        runtime.memory.resetPeakStatistics(resolution.device.id)
        runtime.log.record(.debug, RedirectionRecord(api: "Cuda.resetPeakMemoryStats", requested: resolution.request.description,
                                                     resolved: resolution.entry.id.description), from: site)
    }

    /// Returns cached, unused blocks to the device (`torch.cuda.empty_cache`).
    public static func emptyCache(_ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let resolution = try runtime.resolve(index, api: "Cuda.emptyCache", from: site)
        let before = runtime.memory.statistics(resolution.device.id).reservedBytes.current
        runtime.memory.emptyCache(resolution.device.id)
        let released = before - runtime.memory.statistics(resolution.device.id).reservedBytes.current
        runtime.log.record(.info, RedirectionRecord(api: "Cuda.emptyCache", requested: resolution.request.description,
                                                    resolved: resolution.entry.id.description, bytes: released), from: site)
    }

    private static func statistics(_ index: Int?, _ api: String, _ fileID: String, _ line: Int, _ function: String) throws(CudaError) -> MemoryStatistics {
        try runtime.statistics(index, api: api, from: .swift(fileID: fileID, line: line, function: function)).0
    }
}
