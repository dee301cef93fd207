extension CudaDeviceProperties {
    /// The properties of a resolved `cuda:N` device.
    public init(resolution: Resolution, settings: EmulationSettings = .shared) {
        self.init(entry: resolution.entry, settings: settings)
    }

    /// The properties CUDA would report for `entry`'s device, presented as compute capability
    /// `settings.computeCapability`: what the device reports, what DeviceShim provides, and
    /// emulated values for the rest. Every field gets a source (`source(of:)`).
    ///
    /// From the device: name, memory, compute units, clock, largest work group (capped at
    /// 1024), a single subgroup size as the warp size, integrated (an integrated GPU, or the
    /// CPU, whose memory is the host's); for a device on the host's CPU also the online cores
    /// (when it reports no count) and the last-level cache.
    public init(entry: DeviceEntry, settings: EmulationSettings = .shared) {
        let runsOnHost = entry.properties.type == .cpu
        takeDeviceValues(of: entry.properties, runsOnHost: runsOnHost, settings: settings)
        takeEmulatedValues(for: entry, capability: settings.computeCapability, runsOnHost: runsOnHost)
        takeDeviceShimAnswers(runsOnHost: runsOnHost)
    }

    /// The UUID as CUDA tools print it: `GPU-` and 8-4-4-4-12 hex digits.
    public var uuidString: String { DeviceUUID.formatted(uuid) }

    mutating func mark(_ source: PropertySource, _ fields: Field...) {
        for field in fields { sources[field] = source }
    }

    /// Values read from the device's driver or, for a device on the host's CPU, the host's OS;
    /// where one is missing, the documented emulated value.
    ///
    /// Multiprocessors of a GPU that reports no count: 1. Clock where the driver reports none:
    /// 1 GHz (never 0, which programs divide by). Warp size: `DEVICESHIM_WARP_SIZE` if set,
    /// else the device's subgroup size where it has exactly one, else 32. L2 size: the host's
    /// last-level cache for a device on its CPU, else 0 (unknown).
    private mutating func takeDeviceValues(of device: DeviceProperties, runsOnHost: Bool, settings: EmulationSettings) {
        name = device.name
        totalGlobalMemory = Int(clamping: device.memoryBytes)
        isIntegrated = device.type == .integratedGPU || device.type == .cpu
        hostNativeAtomicSupported = runsOnHost
        mark(.device, .name, .totalGlobalMemory, .isIntegrated)
        if device.type == .cpu {
            // A CPU runs a block's threads as iterations, not hardware lanes: it has no block
            // limit of its own (its work-group size is its core count), so CUDA's 1024 applies.
            maxThreadsPerBlock = ComputeCapabilityLimits.maxThreadsPerBlock
            mark(.emulated, .maxThreadsPerBlock)
        } else {
            maxThreadsPerBlock = Int32(clamping: min(Int(ComputeCapabilityLimits.maxThreadsPerBlock), max(1, device.maxWorkGroupSize)))
            mark(.device, .maxThreadsPerBlock)
        }
        mark(runsOnHost ? .device : .emulated, .hostNativeAtomicSupported)

        if let units = device.computeUnits, units > 0 {
            multiProcessorCount = Int32(clamping: units)
            mark(.device, .multiProcessorCount)
        } else if runsOnHost {
            multiProcessorCount = Int32(clamping: HostMachine.onlineCores)
            mark(.device, .multiProcessorCount)
        } else {
            multiProcessorCount = 1
            mark(.emulated, .multiProcessorCount)
        }
        if let clock = device.clockMHz, clock > 0 {
            clockRate = Int32(clamping: clock * 1000)
            mark(.device, .clockRate)
        } else {
            clockRate = 1_000_000
            mark(.emulated, .clockRate)
        }
        if let forced = settings.warpSize {
            warpSize = Int32(clamping: forced)
            mark(.emulated, .warpSize)
        } else if device.subgroupSizes.count == 1, let only = device.subgroupSizes.first, only > 0 {
            warpSize = Int32(clamping: only)
            mark(.device, .warpSize)
        } else {
            warpSize = ComputeCapabilityLimits.warpSize
            mark(.emulated, .warpSize)
        }
        if runsOnHost, let cache = HostCache.lastLevelBytes {
            l2CacheSize = Int32(clamping: cache)
            mark(.device, .l2CacheSize)
        } else {
            l2CacheSize = 0
            mark(.emulated, .l2CacheSize)
        }
    }
}
