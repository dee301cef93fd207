/// `torch.mps` for Swift: Apple's Metal device queries, answered by the real device `mps` is
/// redirected to (one device, as MPS has). Each call is a redirection record naming the
/// Swift caller. Memory counters belong to the real device (shared with `cuda:N` when both
/// go to it).
public enum Mps {
    public static var runtime: CudaRuntime { .shared }

    /// Whether `mps` resolves to a device (`torch.backends.mps.is_available()`).
    public static func isAvailable(fileID: String = #fileID, line: Int = #line, function: String = #function) -> Bool {
        (try? resolve("Mps.isAvailable", fileID, line, function)) != nil
    }

    /// 1 when `mps` resolves to a device, else 0 (`torch.mps.device_count()`).
    public static func deviceCount(fileID: String = #fileID, line: Int = #line, function: String = #function) -> Int {
        isAvailable(fileID: fileID, line: line, function: function) ? 1 : 0
    }

    /// Bytes the program holds on the device (`torch.mps.current_allocated_memory`).
    public static func currentAllocatedMemory(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        try statistics("Mps.currentAllocatedMemory", fileID, line, function).allocatedBytes.current
    }

    /// Bytes DeviceShim holds from the device, cached blocks included (`torch.mps.driver_allocated_memory`).
    public static func driverAllocatedMemory(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        try statistics("Mps.driverAllocatedMemory", fileID, line, function).reservedBytes.current
    }

    /// The device's memory as its driver reports it (`torch.mps.recommended_max_memory`).
    public static func recommendedMaxMemory(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) -> Int {
        Int(clamping: try resolve("Mps.recommendedMaxMemory", fileID, line, function).entry.properties.memoryBytes)
    }

    /// Returns cached, unused blocks to the device (`torch.mps.empty_cache`).
    public static func emptyCache(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(CudaError) {
        runtime.memory.emptyCache(try resolve("Mps.emptyCache", fileID, line, function).device.id)
    }

    static func resolve(_ api: String, _ fileID: String, _ line: Int, _ function: String) throws(CudaError) -> Resolution {
        let site = CallSite.swift(fileID: fileID, line: line, function: function)
        let resolution = try CudaError.recordingFailures { () throws(DeviceError) in
            try runtime.redirector.resolve(DeviceRequest(.mps), api: api, from: site)
        }
        runtime.log.record(.debug, RedirectionRecord(api: api, requested: "mps", resolved: resolution.entry.id.description), from: site)
        return resolution
    }

    private static func statistics(_ api: String, _ fileID: String, _ line: Int, _ function: String) throws(CudaError) -> MemoryStatistics {
        runtime.memory.statistics(try resolve(api, fileID, line, function).device.id)
    }
}
