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
    private let currentDevices: PerThreadInteger
    /// The legacy default stream of each `cuda:N` found so far (see `LegacyStreams`).
    private let legacyStreams = Mutex(LegacyStreams())
    /// Each thread's last answer of `legacyDefaultStream`, so that a thread's copies find their
    /// stream without a lock; the streams it names are kept alive by `legacyStreams`.
    public let legacyStreamMemo: LegacyStreamMemo
    private let memoKeys: PerThreadInteger, memoStreams: PerThreadInteger

    /// The legacy default streams found so far, by `cuda:N`, and the redirector's fault
    /// generation they were found in (a retired device drops them). Streams of earlier
    /// generations are kept too, as some thread's memo may still hold their address.
    private struct LegacyStreams {
        var generation = 0
        var streams: [CudaStream?] = []
        var retired: [CudaStream] = []
    }

    public init(catalog: CudaDeviceCatalog, memory: DeviceMemory, log: RedirectionLog) {
        self.catalog = catalog
        self.memory = memory
        self.log = log
        (currentDevices, memoKeys, memoStreams) = (PerThreadInteger(), PerThreadInteger(), PerThreadInteger())
        legacyStreamMemo = LegacyStreamMemo(devices: currentDevices, keys: memoKeys, streams: memoStreams)
    }

    @inlinable public var redirector: Redirector { catalog.redirector }

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
        let generation = redirector.generation
        if let stream = legacyStreamMemo.stream(for: index, generation: generation) { return stream }
        let index = index ?? currentDevice
        let known = legacyStreams.withLock { cache in
            index >= 0 && cache.generation == generation && index < cache.streams.count ? cache.streams[index] : nil
        }
        let stream: CudaStream
        if let known { stream = known } else {
            stream = try StreamGroup.shared(for: resolve(index, api: api, from: site).device).legacyDefaultStream()
        }
        let kept = legacyStreams.withLock { cache -> Bool in
            if cache.generation < generation {
                cache.retired += cache.streams.compactMap { $0 }
                (cache.generation, cache.streams) = (generation, [])
            }
            guard cache.generation == generation, index >= 0 else { return false }
            if cache.streams.count <= index { cache.streams += [CudaStream?](repeating: nil, count: index + 1 - cache.streams.count) }
            if cache.streams[index] == nil { cache.streams[index] = stream }
            return cache.streams[index] === stream
        }
        if kept { legacyStreamMemo.remember(stream, for: index, generation: generation) }
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
