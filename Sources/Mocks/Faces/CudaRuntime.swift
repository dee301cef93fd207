import Synchronization

/// The state behind the `Cuda` face and, later, the C ABI: which real device each `cuda:N`
/// is (through a `Redirector`), its properties, its memory, and each thread's current device.
/// `CudaRuntime.shared` serves the process; tests make their own over stand-in devices.
public final class CudaRuntime: Sendable {
    public static let shared = CudaRuntime(catalog: .shared, memory: .shared, log: .shared)

    public let catalog: CudaDeviceCatalog
    public let memory: DeviceMemory
    let log: RedirectionLog
    /// Each thread's current device index (CUDA's `cudaSetDevice` is per host thread).
    private let currentDevices = PerThreadInteger()
    /// The legacy default stream of each `cuda:N` found so far, by N, and the redirector's
    /// fault generation they were found in (a retired device drops them).
    private let legacyStreams = Mutex<(generation: Int, streams: [CudaStream?])>((0, []))

    public init(catalog: CudaDeviceCatalog, memory: DeviceMemory, log: RedirectionLog) {
        self.catalog = catalog
        self.memory = memory
        self.log = log
    }

    public var redirector: Redirector { catalog.redirector }

    /// How many `cuda:N` there are, after the policy and `CUDA_VISIBLE_DEVICES`.
    public var deviceCount: Int { redirector.deviceCount(.cuda) }

    /// The calling thread's current device (0 until it sets another).
    public var currentDevice: Int { currentDevices.value }

    /// Makes `index` the calling thread's current device (recorded as `api`); `invalidDevice` if
    /// there is no such device.
    public func setDevice(_ index: Int, api: String = "Cuda.setDevice", from site: CallSite) throws(CudaError) {
        let resolution = try resolve(index, api: api, from: site)
        currentDevices.store(index)
        log.record(.info, RedirectionRecord(api: api, requested: "cuda:\(index)",
                                            resolved: resolution.entry.id.description, reason: resolution.reason), from: site)
    }

    /// The real device `cuda:index` (the current device when nil) is redirected to.
    public func resolve(_ index: Int?, api: String, from site: CallSite) throws(CudaError) -> Resolution {
        let request = DeviceRequest(.cuda, index: index ?? currentDevice)
        return try CudaError.recordingFailures { () throws(DeviceError) in try redirector.resolve(request, api: api, from: site) }
    }

    /// The legacy default stream of `cuda:index` (the current device when nil). The redirector
    /// decides each index once (until a fault retires its device), so the stream is looked up
    /// once per index and then kept: synchronous copies, which all run on it, pay no resolution.
    public func legacyDefaultStream(_ index: Int?, api: String, from site: CallSite) throws(CudaError) -> CudaStream {
        let index = index ?? currentDevice
        let generation = redirector.generation
        let known = legacyStreams.withLock { cache in
            index >= 0 && cache.generation == generation && index < cache.streams.count ? cache.streams[index] : nil
        }
        if let known { return known }
        let stream = try StreamGroup.shared(for: resolve(index, api: api, from: site).device).legacyDefaultStream()
        legacyStreams.withLock { cache in
            if cache.generation != generation { cache = (generation, []) }
            if cache.streams.count <= index { cache.streams += [CudaStream?](repeating: nil, count: index + 1 - cache.streams.count) }
            cache.streams[index] = stream
        }
        return stream
    }

    /// The memory counters of the real device behind `cuda:index`, logged at `debug`.
    func statistics(_ index: Int?, api: String, from site: CallSite) throws(CudaError) -> (MemoryStatistics, Resolution) {
        let resolution = try resolve(index, api: api, from: site)
        let statistics = memory.statistics(resolution.device.id)
        log.record(.debug, RedirectionRecord(api: api, requested: resolution.request.description,
                                             resolved: resolution.entry.id.description,
                                             bytes: statistics.allocatedBytes.current), from: site)
        return (statistics, resolution)
    }
}
