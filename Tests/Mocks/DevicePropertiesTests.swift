#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import DeviceShimMocks

@Suite struct DevicePropertiesTests {
    private let records = RecordBuffer()

    // MARK: - This machine

    @Test func cudaZeroOnThisMachineReportsTheHostItRunsOn() throws {
        let log = RedirectionLog(level: .debug, sinks: [records])
        // `cuda=cpu` makes cuda:0 the CPU whatever GPUs a machine has; the default policy
        // gives the same device where there is no hardware GPU (this project's machine).
        let catalog = CudaDeviceCatalog(redirector: Redirector(policy: try RedirectPolicy(parsing: "cuda=cpu"), log: log),
                                        settings: EmulationSettings(), log: log)
        let properties = try catalog.properties(ofDevice: 0)
        let cpuInfo = try Host.firstProcessor()

        #expect(properties.name == cpuInfo["model name"])
        #expect(properties.totalGlobalMemory == (try Host.memTotalBytes()))
        #expect(Int(properties.multiProcessorCount) == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(properties.isIntegrated)
        #expect(properties.canMapHostMemory && properties.concurrentManagedAccess)
        if let lanes = Host.simdLanes(flags: cpuInfo["flags"] ?? "") {
            #expect(properties.warpSize == Int32(lanes))
            #expect(properties.source(of: .warpSize) == .device)
        }
        let cpu = try #require(DeviceRegistry.shared.entry(DeviceID(.cpu, 0)))
        if let clock = cpu.properties.clockMHz {  // `cpu MHz`, which frequency scaling changes
            #expect(properties.clockRate == Int32(clock * 1000) && properties.source(of: .clockRate) == .device)
        }
        // One cache instance's size (the kernel's), not glibc's sum: 32 MB, not 320 MB, on an EPYC VM.
        #expect(properties.l2CacheSize == Int32(HostCache.lastLevelBytes ?? 0))
        // A CPU has no block limit of its own: CUDA's 1024, marked emulated.
        #expect(properties.maxThreadsPerBlock == 1024 && properties.source(of: .maxThreadsPerBlock) == .emulated)
        #expect(properties.singleToDoublePrecisionPerformanceRatio == 2)

        let hasHardwareGPU = DeviceRegistry.shared.entries.contains { $0.properties.type.isGPU && !$0.properties.isSoftware }
        if !hasHardwareGPU {
            let defaultCatalog = CudaDeviceCatalog(redirector: Redirector(log: log), settings: EmulationSettings(), log: log)
            let resolution = try defaultCatalog.redirector.resolve(DeviceRequest(.cuda, index: 0))
            #expect(resolution.entry.id == DeviceID(.cpu, 0))
            #expect(try defaultCatalog.properties(ofDevice: 0) == properties)
        }
    }

    // MARK: - Stand-in devices

    @Test func aDiscreteGPUsReportedValuesMapThrough() throws {
        let catalog = standInCatalog()
        let properties = try catalog.properties(ofDevice: 0)

        #expect(properties.name == "Stand-in dGPU")
        #expect(properties.totalGlobalMemory == 24 << 30)
        #expect(properties.multiProcessorCount == 68)
        #expect(properties.clockRate == 1_695_000)
        #expect(properties.warpSize == 32)
        #expect(properties.maxThreadsPerBlock == 1024)
        #expect(properties.maxThreadsDimensions == [1024, 1024, 64])
        #expect(!properties.isIntegrated)
        #expect(!properties.canMapHostMemory && !properties.concurrentManagedAccess && !properties.hostNativeAtomicSupported)
        #expect(properties.l2CacheSize == 0 && properties.source(of: .l2CacheSize) == .emulated)
        for field: CudaDeviceProperties.Field in [.name, .totalGlobalMemory, .multiProcessorCount, .clockRate, .warpSize,
                                                  .maxThreadsPerBlock, .isIntegrated] {
            #expect(properties.source(of: field) == .device, "\(field)")
        }
        #expect(properties.singleToDoublePrecisionPerformanceRatio == 64)  // 8.6's reference part, RTX 3090

        let integrated = try catalog.properties(ofDevice: 1)
        #expect(integrated.name == "Stand-in iGPU")
        #expect(integrated.isIntegrated)
        #expect(integrated.totalGlobalMemory == 2 << 30)
    }

    @Test func valuesADeviceDoesNotReportAreEmulatedAndSaySo() {
        let vague = entry(StandIn(DeviceID(.vulkan, 0), name: "vague GPU", type: .discreteGPU, computeUnits: nil, clockMHz: nil,
                                  subgroupSizes: [8, 16, 32], maxWorkGroupSize: 256))
        let properties = CudaDeviceProperties(entry: vague, settings: EmulationSettings())
        #expect(properties.multiProcessorCount == 1)
        #expect(properties.clockRate == 1_000_000)
        #expect(properties.warpSize == 32)
        #expect(properties.maxThreadsPerBlock == 256)
        #expect(properties.maxThreadsDimensions == [256, 256, 64])
        for field: CudaDeviceProperties.Field in [.multiProcessorCount, .clockRate, .warpSize, .maxThreadsDimensions] {
            #expect(properties.emulatedFields.contains(field), "\(field)")
        }

        // A software device on the host's CPU without a count (lavapipe): the host's cores.
        let lavapipe = entry(StandIn(DeviceID(.vulkan, 0), name: "llvmpipe", type: .cpu, isSoftware: true, computeUnits: nil,
                                     clockMHz: nil, subgroupSizes: [8], maxWorkGroupSize: 4096))
        let onHost = CudaDeviceProperties(entry: lavapipe, settings: EmulationSettings())
        #expect(Int(onHost.multiProcessorCount) == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(onHost.source(of: .multiProcessorCount) == .device)
        #expect(onHost.maxThreadsPerBlock == 1024)
        #expect(onHost.warpSize == 8)
        #expect(onHost.isIntegrated)
    }

    @Test func everyFieldHasASourceAndTheEmulatedOnesAreListed() throws {
        let properties = try standInCatalog().properties(ofDevice: 0)
        #expect(Set(properties.sources.keys) == Set(CudaDeviceProperties.Field.allCases))
        let emulated = Set(properties.emulatedFields)
        for field: CudaDeviceProperties.Field in [.major, .minor, .eccEnabled, .pciBusID, .pciDeviceID, .pciDomainID, .uuid,
                                                  .maxThreadsPerMultiProcessor, .sharedMemoryPerBlock, .registersPerBlock] {
            #expect(emulated.contains(field), "\(field)")
        }
        for field: CudaDeviceProperties.Field in [.unifiedAddressing, .managedMemory, .maxTexture1D, .cooperativeLaunch] {
            #expect(properties.source(of: field) == .deviceShim, "\(field)")
        }
        #expect(properties.unifiedAddressing && properties.managedMemory && !properties.eccEnabled)
    }

    @Test func theFirstQueryOfADeviceLogsItsResolutionAndEmulatedFieldsOnce() throws {
        let catalog = standInCatalog()
        let site = CallSite.swift(fileID: "Program/main.swift", line: 7, function: "main()")
        let first = try catalog.properties(ofDevice: 0, api: "cudaGetDeviceProperties", from: site)
        _ = try catalog.properties(ofDevice: 0, api: "cudaGetDeviceProperties", from: site)
        _ = try catalog.attribute(.warpSize, ofDevice: 0, from: site)

        let described = records.records.filter { $0.message?.contains("emulated:") == true }
        #expect(described.count == 1)
        let record = try #require(described.first)
        #expect(record.level == .info)
        #expect(record.api == "cudaGetDeviceProperties")
        #expect(record.requested == "cuda:0")
        #expect(record.resolved == "vulkan:1")
        #expect(record.reason?.hasPrefix("rule cuda=gpu,cpu") == true)
        #expect(record.caller == Caller(symbol: "main()", file: "Program/main.swift", line: 7))
        let message = try #require(record.message)
        #expect(message.contains("compute capability 8.6"))
        let listed = message.split(separator: "emulated: ").last.map { $0.split(separator: ", ").map(String.init) }
        #expect(listed == first.emulatedFields.map(\.rawValue))
        #expect(listed?.contains("ECCEnabled") == true && listed?.contains("totalGlobalMem") == false)
    }

    @Test func devicesThatDoNotExistThrowWithoutCrashing() {
        let catalog = standInCatalog()
        #expect(throws: DeviceError.invalidDeviceIndex(request: "cuda:2", available: 2)) {
            try catalog.properties(ofDevice: 2)
        }
        #expect(throws: DeviceError.invalidDeviceIndex(request: "cuda:-1", available: 2)) {
            try catalog.properties(ofDevice: -1)
        }
        #expect(records.records.filter { $0.level == .warn }.count == 2)
    }

    @Test func theUUIDIsStablePerDeviceAndDiffersBetweenDevices() {
        let gpu = StandIn(DeviceID(.vulkan, 1), name: "Stand-in dGPU", type: .discreteGPU)
        let uuid = CudaDeviceProperties(entry: entry(gpu), settings: EmulationSettings()).uuid
        #expect(uuid.count == 16)
        #expect(uuid == CudaDeviceProperties(entry: entry(gpu), settings: EmulationSettings(computeCapability: .default)).uuid)
        #expect(uuid[6] >> 4 == 8 && uuid[8] >> 6 == 2)  // version 8, RFC 9562 variant
        let other = StandIn(DeviceID(.vulkan, 0), name: "Stand-in dGPU", type: .discreteGPU)
        #expect(CudaDeviceProperties(entry: entry(other), settings: EmulationSettings()).uuid != uuid)
        let renamed = StandIn(DeviceID(.vulkan, 1), name: "Stand-in dGPU 2", type: .discreteGPU)
        #expect(CudaDeviceProperties(entry: entry(renamed), settings: EmulationSettings()).uuid != uuid)
        let text = CudaDeviceProperties(entry: entry(gpu), settings: EmulationSettings()).uuidString
        #expect(text.hasPrefix("GPU-") && text.split(separator: "-").map(\.count) == [3, 8, 4, 4, 4, 12])
    }

    // MARK: - Settings

    @Test(arguments: [("8.6", 8, 6), ("7.5", 7, 5), (" 9.0 ", 9, 0), ("12.0", 12, 0), ("5.0", 5, 0)])
    func validComputeCapabilitiesAreTaken(text: String, major: Int, minor: Int) {
        let (settings, problems) = EmulationSettings.reading(environment: { $0 == "DEVICESHIM_CC" ? text : nil })
        #expect(problems.isEmpty)
        #expect(settings.computeCapability.major == major && settings.computeCapability.minor == minor)
    }

    @Test(arguments: ["8.5", "3.5", "8", "86", "8.6.1", "eight.six", "-8.6", "8.-6", "8,6", ".6", "٨.٦"])
    func invalidComputeCapabilitiesWarnAndUseTheDefault(text: String) {
        let (settings, problems) = EmulationSettings.reading(environment: { $0 == "DEVICESHIM_CC" ? text : nil })
        #expect(settings.computeCapability == .default)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("DEVICESHIM_CC=\"\(text)\"") == true)
        #expect(problems.first?.contains("using 8.6") == true)
    }

    @Test func unsetOrEmptySettingsAreTheDefaults() {
        for value in [nil, "", "  "] as [String?] {
            let (settings, problems) = EmulationSettings.reading(environment: { _ in value })
            #expect(settings == EmulationSettings() && problems.isEmpty)
        }
        #expect(EmulationSettings().computeCapability == ComputeCapability(major: 8, minor: 6))
        #expect(EmulationSettings().warpSize == nil)
    }

    @Test func warpSizeSettingIsCheckedAndOverridesTheDevice() {
        let environment = ["DEVICESHIM_WARP_SIZE": "32"]
        let (settings, problems) = EmulationSettings.reading(environment: { environment[$0] })
        #expect(problems.isEmpty && settings.warpSize == 32)
        let cpuLike = entry(StandIn(DeviceID(.cpu, 0), name: "cpu", type: .cpu, subgroupSizes: [16]))
        let properties = CudaDeviceProperties(entry: cpuLike, settings: settings)
        #expect(properties.warpSize == 32 && properties.source(of: .warpSize) == .emulated)
        #expect(CudaDeviceProperties(entry: cpuLike, settings: EmulationSettings()).warpSize == 16)

        for bad in ["0", "48", "2048", "-32", "x"] {
            let (fallback, problems) = EmulationSettings.reading(environment: { $0 == "DEVICESHIM_WARP_SIZE" ? bad : nil })
            #expect(fallback.warpSize == nil && problems.count == 1, "\(bad)")
        }
    }

    @Test func badSettingsBecomeOneWarningRecordEach() {
        let log = RedirectionLog(level: .debug, sinks: [records])
        let environment = ["DEVICESHIM_CC": "8.5", "DEVICESHIM_WARP_SIZE": "33"]
        let settings = EmulationSettings.loading(environment: { environment[$0] }, log: log)
        #expect(settings == EmulationSettings())
        let warnings = records.records.filter { $0.level == .warn && $0.api == "deviceshim.configuration" }
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.message?.contains("DEVICESHIM_CC") == true })
    }

    @Test func theComputeCapabilityChoosesItsPublishedLimits() {
        let gpu = entry(StandIn(DeviceID(.vulkan, 0), name: "gpu", type: .discreteGPU))
        func properties(_ major: Int, _ minor: Int) -> CudaDeviceProperties {
            CudaDeviceProperties(entry: gpu, settings: EmulationSettings(computeCapability: ComputeCapability(major: major, minor: minor)!))
        }
        let ampere = properties(8, 6)
        #expect(ampere.major == 8 && ampere.minor == 6)
        #expect(ampere.maxThreadsPerMultiProcessor == 1536 && ampere.maxBlocksPerMultiProcessor == 16)
        #expect(ampere.sharedMemoryPerMultiprocessor == 102_400 && ampere.sharedMemoryPerBlockOptIn == 101_376)
        #expect(ampere.reservedSharedMemoryPerBlock == 1024 && ampere.sharedMemoryPerBlock == 49_152)
        #expect(ampere.registersPerBlock == 65_536 && ampere.registersPerMultiprocessor == 65_536)
        #expect(ampere.maxGridSize == [2_147_483_647, 65_535, 65_535] && ampere.totalConstantMemory == 65_536)

        let turing = properties(7, 5)
        #expect(turing.attribute(.computeCapabilityMajor) == 7 && turing.attribute(.computeCapabilityMinor) == 5)
        #expect(turing.maxThreadsPerMultiProcessor == 1024 && turing.maxBlocksPerMultiProcessor == 16)
        #expect(turing.sharedMemoryPerMultiprocessor == 65_536 && turing.reservedSharedMemoryPerBlock == 0)

        let hopper = properties(9, 0)
        #expect(hopper.maxThreadsPerMultiProcessor == 2048 && hopper.maxBlocksPerMultiProcessor == 32)
        #expect(hopper.sharedMemoryPerMultiprocessor == 233_472 && hopper.memorySyncDomainCount == 4)
        #expect(properties(8, 9).maxBlocksPerMultiProcessor == 24)
        #expect(properties(5, 3).registersPerBlock == 32_768)
        #expect(ComputeCapability(major: 8, minor: 5) == nil)
        #expect(ComputeCapability.all.first == ComputeCapability(major: 5, minor: 0))
        #expect(ComputeCapability.all == ComputeCapability.all.sorted())
    }

    // MARK: - Attributes

    @Test func everyAttributeAnswersFromTheStruct() throws {
        let gpu = try standInCatalog().properties(ofDevice: 0)
        let cpu = CudaDeviceProperties(entry: try #require(DeviceRegistry.shared.entry(DeviceID(.cpu, 0))), settings: EmulationSettings())
        for properties in [gpu, cpu] {
            let expected = expectedAttributes(properties)
            for attribute in CudaDeviceAttribute.allCases {
                guard let (value, field) = expected[attribute].map({ ($0.0, $0.1) }) else {
                    #expect(properties.attribute(attribute) == nil, "\(attribute) is reserved")
                    #expect(!properties.isEmulated(attribute))
                    continue
                }
                #expect(properties.attribute(attribute) == value, "\(attribute)")
                #expect(properties.answer(attribute)?.field == field, "\(attribute)")
                #expect(properties.source(of: attribute) == properties.source(of: field), "\(attribute)")
            }
            #expect(expected.count == CudaDeviceAttribute.allCases.filter { Int("\($0)".dropFirst("reserved".count)) == nil }.count)
        }
        #expect(gpu.isEmulated(.computeCapabilityMajor) && gpu.isEmulated(.eccEnabled) && gpu.isEmulated(.pciBusId))
        #expect(!gpu.isEmulated(.multiProcessorCount) && !gpu.isEmulated(.warpSize) && !gpu.isEmulated(.clockRate))
        #expect(gpu.attribute(.multiProcessorCount) == 68 && gpu.attribute(.clockRate) == 1_695_000)
    }

    @Test(.enabled(if: NvidiaHeader.isPresent, "needs third_party/cuda (scripts/setup.sh)"))
    func theAttributeEnumIsCUDA12s() throws {
        let header = try NvidiaHeader.attributes()
        #expect(header.count > 130)
        // One case per value; where two names share a value (a deprecated alias), one of them.
        for (value, entries) in Dictionary(grouping: header, by: \.value) {
            let attribute = try #require(CudaDeviceAttribute(rawValue: value), "cudaDevAttr\(entries[0].name)")
            #expect(entries.contains { $0.name.lowercased() == "\(attribute)".lowercased() }, "cudaDevAttr\(entries[0].name)")
        }
        #expect(Set(header.map(\.value)).count == CudaDeviceAttribute.allCases.count)
    }

    @Test(.enabled(if: NvidiaHeader.isPresent, "needs third_party/cuda (scripts/setup.sh)"))
    func theStructHasEveryFieldOfCUDA12sDeviceProp() throws {
        let fields = try NvidiaHeader.devicePropFields()
        #expect(fields.count > 90)
        let properties = try standInCatalog().properties(ofDevice: 0)
        let children = Dictionary(uniqueKeysWithValues: Mirror(reflecting: properties).children.map { ($0.label!, $0.value) })
        for field in fields where field.name != "reserved" {
            let mapped = try #require(CudaDeviceProperties.Field(rawValue: field.name), "\(field.name)")
            let value = try #require(children["\(mapped)"], "no property \(mapped) for \(field.name)")
            switch (field.type, field.count) {
            case ("char", 256?): #expect(value is String, "\(field.name)")
            case ("cudaUUID_t", nil): #expect((value as? [UInt8])?.count == 16, "\(field.name)")
            case ("char", let count?): #expect((value as? [UInt8])?.count == count, "\(field.name)")
            case ("size_t", nil): #expect(value is Int, "\(field.name)")
            case ("unsigned int", nil): #expect(value is UInt32, "\(field.name)")
            case ("int", nil): #expect(value is Int32 || value is Bool, "\(field.name)")
            case ("int", let count?): #expect((value as? [Int32])?.count == count, "\(field.name)")
            default: Issue.record("unexpected C type \(field.type) of \(field.name)")
            }
        }
        // Every property is a field (or the sources table), and every field a property.
        #expect(children.count == CudaDeviceProperties.Field.allCases.count + 1)
        for field in CudaDeviceProperties.Field.allCases { #expect(children["\(field)"] != nil, "\(field)") }
    }

    // MARK: - Helpers

    private func standInCatalog() -> CudaDeviceCatalog {
        let log = RedirectionLog(level: .debug, sinks: [records])
        let registry = DeviceRegistry(providers: [
            StandIn.provider(.cpu, [StandIn(DeviceID(.cpu, 0), name: "Stand-in CPU", type: .cpu, computeUnits: 4)]),
            StandIn.provider(.vulkan, [
                StandIn(DeviceID(.vulkan, 0), name: "Stand-in iGPU", type: .integratedGPU, memory: 2 << 30, computeUnits: 24),
                StandIn(DeviceID(.vulkan, 1), name: "Stand-in dGPU", type: .discreteGPU, memory: 24 << 30, computeUnits: 68,
                        clockMHz: 1695),
            ]),
        ], log: log)
        return CudaDeviceCatalog(redirector: Redirector(registry: registry, log: log), settings: EmulationSettings(), log: log)
    }

    private func entry(_ device: StandIn) -> DeviceEntry {
        DeviceEntry(id: device.id, properties: device.properties, compute: device)
    }

    /// Each attribute's value and field, written out from the CUDA documentation independently
    /// of `CudaDeviceProperties.answer`.
    private func expectedAttributes(_ p: CudaDeviceProperties) -> [CudaDeviceAttribute: (Int32, CudaDeviceProperties.Field)] {
        func b(_ flag: Bool) -> Int32 { flag ? 1 : 0 }
        func i(_ value: Int) -> Int32 { Int32(value) }
        return [
            .maxThreadsPerBlock: (p.maxThreadsPerBlock, .maxThreadsPerBlock),
            .maxBlockDimX: (p.maxThreadsDimensions[0], .maxThreadsDimensions),
            .maxBlockDimY: (p.maxThreadsDimensions[1], .maxThreadsDimensions),
            .maxBlockDimZ: (p.maxThreadsDimensions[2], .maxThreadsDimensions),
            .maxGridDimX: (p.maxGridSize[0], .maxGridSize), .maxGridDimY: (p.maxGridSize[1], .maxGridSize),
            .maxGridDimZ: (p.maxGridSize[2], .maxGridSize),
            .maxSharedMemoryPerBlock: (i(p.sharedMemoryPerBlock), .sharedMemoryPerBlock),
            .totalConstantMemory: (i(p.totalConstantMemory), .totalConstantMemory),
            .warpSize: (p.warpSize, .warpSize), .maxPitch: (i(p.memoryPitch), .memoryPitch),
            .maxRegistersPerBlock: (p.registersPerBlock, .registersPerBlock), .clockRate: (p.clockRate, .clockRate),
            .textureAlignment: (i(p.textureAlignment), .textureAlignment), .gpuOverlap: (b(p.deviceOverlap), .deviceOverlap),
            .multiProcessorCount: (p.multiProcessorCount, .multiProcessorCount),
            .kernelExecTimeout: (b(p.kernelExecTimeoutEnabled), .kernelExecTimeoutEnabled),
            .integrated: (b(p.isIntegrated), .isIntegrated), .canMapHostMemory: (b(p.canMapHostMemory), .canMapHostMemory),
            .computeMode: (p.computeMode, .computeMode), .maxTexture1DWidth: (p.maxTexture1D, .maxTexture1D),
            .maxTexture2DWidth: (p.maxTexture2D[0], .maxTexture2D), .maxTexture2DHeight: (p.maxTexture2D[1], .maxTexture2D),
            .maxTexture3DWidth: (p.maxTexture3D[0], .maxTexture3D), .maxTexture3DHeight: (p.maxTexture3D[1], .maxTexture3D),
            .maxTexture3DDepth: (p.maxTexture3D[2], .maxTexture3D),
            .maxTexture2DLayeredWidth: (p.maxTexture2DLayered[0], .maxTexture2DLayered),
            .maxTexture2DLayeredHeight: (p.maxTexture2DLayered[1], .maxTexture2DLayered),
            .maxTexture2DLayeredLayers: (p.maxTexture2DLayered[2], .maxTexture2DLayered),
            .surfaceAlignment: (i(p.surfaceAlignment), .surfaceAlignment),
            .concurrentKernels: (b(p.concurrentKernels), .concurrentKernels), .eccEnabled: (b(p.eccEnabled), .eccEnabled),
            .pciBusId: (p.pciBusID, .pciBusID), .pciDeviceId: (p.pciDeviceID, .pciDeviceID),
            .tccDriver: (b(p.tccDriver), .tccDriver), .memoryClockRate: (p.memoryClockRate, .memoryClockRate),
            .globalMemoryBusWidth: (p.memoryBusWidth, .memoryBusWidth), .l2CacheSize: (p.l2CacheSize, .l2CacheSize),
            .maxThreadsPerMultiProcessor: (p.maxThreadsPerMultiProcessor, .maxThreadsPerMultiProcessor),
            .asyncEngineCount: (p.asyncEngineCount, .asyncEngineCount),
            .unifiedAddressing: (b(p.unifiedAddressing), .unifiedAddressing),
            .maxTexture1DLayeredWidth: (p.maxTexture1DLayered[0], .maxTexture1DLayered),
            .maxTexture1DLayeredLayers: (p.maxTexture1DLayered[1], .maxTexture1DLayered),
            .maxTexture2DGatherWidth: (p.maxTexture2DGather[0], .maxTexture2DGather),
            .maxTexture2DGatherHeight: (p.maxTexture2DGather[1], .maxTexture2DGather),
            .maxTexture3DWidthAlt: (p.maxTexture3DAlternate[0], .maxTexture3DAlternate),
            .maxTexture3DHeightAlt: (p.maxTexture3DAlternate[1], .maxTexture3DAlternate),
            .maxTexture3DDepthAlt: (p.maxTexture3DAlternate[2], .maxTexture3DAlternate),
            .pciDomainId: (p.pciDomainID, .pciDomainID),
            .texturePitchAlignment: (i(p.texturePitchAlignment), .texturePitchAlignment),
            .maxTextureCubemapWidth: (p.maxTextureCubemap, .maxTextureCubemap),
            .maxTextureCubemapLayeredWidth: (p.maxTextureCubemapLayered[0], .maxTextureCubemapLayered),
            .maxTextureCubemapLayeredLayers: (p.maxTextureCubemapLayered[1], .maxTextureCubemapLayered),
            .maxSurface1DWidth: (p.maxSurface1D, .maxSurface1D),
            .maxSurface2DWidth: (p.maxSurface2D[0], .maxSurface2D), .maxSurface2DHeight: (p.maxSurface2D[1], .maxSurface2D),
            .maxSurface3DWidth: (p.maxSurface3D[0], .maxSurface3D), .maxSurface3DHeight: (p.maxSurface3D[1], .maxSurface3D),
            .maxSurface3DDepth: (p.maxSurface3D[2], .maxSurface3D),
            .maxSurface1DLayeredWidth: (p.maxSurface1DLayered[0], .maxSurface1DLayered),
            .maxSurface1DLayeredLayers: (p.maxSurface1DLayered[1], .maxSurface1DLayered),
            .maxSurface2DLayeredWidth: (p.maxSurface2DLayered[0], .maxSurface2DLayered),
            .maxSurface2DLayeredHeight: (p.maxSurface2DLayered[1], .maxSurface2DLayered),
            .maxSurface2DLayeredLayers: (p.maxSurface2DLayered[2], .maxSurface2DLayered),
            .maxSurfaceCubemapWidth: (p.maxSurfaceCubemap, .maxSurfaceCubemap),
            .maxSurfaceCubemapLayeredWidth: (p.maxSurfaceCubemapLayered[0], .maxSurfaceCubemapLayered),
            .maxSurfaceCubemapLayeredLayers: (p.maxSurfaceCubemapLayered[1], .maxSurfaceCubemapLayered),
            .maxTexture1DLinearWidth: (p.maxTexture1DLinear, .maxTexture1DLinear),
            .maxTexture2DLinearWidth: (p.maxTexture2DLinear[0], .maxTexture2DLinear),
            .maxTexture2DLinearHeight: (p.maxTexture2DLinear[1], .maxTexture2DLinear),
            .maxTexture2DLinearPitch: (p.maxTexture2DLinear[2], .maxTexture2DLinear),
            .maxTexture2DMipmappedWidth: (p.maxTexture2DMipmap[0], .maxTexture2DMipmap),
            .maxTexture2DMipmappedHeight: (p.maxTexture2DMipmap[1], .maxTexture2DMipmap),
            .computeCapabilityMajor: (p.major, .major), .computeCapabilityMinor: (p.minor, .minor),
            .maxTexture1DMipmappedWidth: (p.maxTexture1DMipmap, .maxTexture1DMipmap),
            .streamPrioritiesSupported: (b(p.streamPrioritiesSupported), .streamPrioritiesSupported),
            .globalL1CacheSupported: (b(p.globalL1CacheSupported), .globalL1CacheSupported),
            .localL1CacheSupported: (b(p.localL1CacheSupported), .localL1CacheSupported),
            .maxSharedMemoryPerMultiprocessor: (i(p.sharedMemoryPerMultiprocessor), .sharedMemoryPerMultiprocessor),
            .maxRegistersPerMultiprocessor: (p.registersPerMultiprocessor, .registersPerMultiprocessor),
            .managedMemory: (b(p.managedMemory), .managedMemory), .isMultiGpuBoard: (b(p.isMultiGpuBoard), .isMultiGpuBoard),
            .multiGpuBoardGroupID: (p.multiGpuBoardGroupID, .multiGpuBoardGroupID),
            .hostNativeAtomicSupported: (b(p.hostNativeAtomicSupported), .hostNativeAtomicSupported),
            .singleToDoublePrecisionPerfRatio: (p.singleToDoublePrecisionPerformanceRatio, .singleToDoublePrecisionPerformanceRatio),
            .pageableMemoryAccess: (b(p.pageableMemoryAccess), .pageableMemoryAccess),
            .concurrentManagedAccess: (b(p.concurrentManagedAccess), .concurrentManagedAccess),
            .computePreemptionSupported: (b(p.computePreemptionSupported), .computePreemptionSupported),
            .canUseHostPointerForRegisteredMem: (b(p.canUseHostPointerForRegisteredMemory), .canUseHostPointerForRegisteredMemory),
            .cooperativeLaunch: (b(p.cooperativeLaunch), .cooperativeLaunch),
            .cooperativeMultiDeviceLaunch: (b(p.cooperativeMultiDeviceLaunch), .cooperativeMultiDeviceLaunch),
            .maxSharedMemoryPerBlockOptin: (i(p.sharedMemoryPerBlockOptIn), .sharedMemoryPerBlockOptIn),
            .canFlushRemoteWrites: (b(p.canFlushRemoteWrites), .canFlushRemoteWrites),
            .hostRegisterSupported: (b(p.hostRegisterSupported), .hostRegisterSupported),
            .pageableMemoryAccessUsesHostPageTables: (b(p.pageableMemoryAccessUsesHostPageTables), .pageableMemoryAccessUsesHostPageTables),
            .directManagedMemAccessFromHost: (b(p.directManagedMemoryAccessFromHost), .directManagedMemoryAccessFromHost),
            .maxBlocksPerMultiprocessor: (p.maxBlocksPerMultiProcessor, .maxBlocksPerMultiProcessor),
            .maxPersistingL2CacheSize: (p.persistingL2CacheMaxSize, .persistingL2CacheMaxSize),
            .maxAccessPolicyWindowSize: (p.accessPolicyMaxWindowSize, .accessPolicyMaxWindowSize),
            .reservedSharedMemoryPerBlock: (i(p.reservedSharedMemoryPerBlock), .reservedSharedMemoryPerBlock),
            .sparseCudaArraySupported: (b(p.sparseCudaArraySupported), .sparseCudaArraySupported),
            .hostRegisterReadOnlySupported: (b(p.hostRegisterReadOnlySupported), .hostRegisterReadOnlySupported),
            .timelineSemaphoreInteropSupported: (b(p.timelineSemaphoreInteropSupported), .timelineSemaphoreInteropSupported),
            .memoryPoolsSupported: (b(p.memoryPoolsSupported), .memoryPoolsSupported),
            .gpuDirectRDMASupported: (b(p.gpuDirectRDMASupported), .gpuDirectRDMASupported),
            .gpuDirectRDMAFlushWritesOptions: (Int32(p.gpuDirectRDMAFlushWritesOptions), .gpuDirectRDMAFlushWritesOptions),
            .gpuDirectRDMAWritesOrdering: (p.gpuDirectRDMAWritesOrdering, .gpuDirectRDMAWritesOrdering),
            .memoryPoolSupportedHandleTypes: (Int32(p.memoryPoolSupportedHandleTypes), .memoryPoolSupportedHandleTypes),
            .clusterLaunch: (b(p.clusterLaunch), .clusterLaunch),
            .deferredMappingCudaArraySupported: (b(p.deferredMappingCudaArraySupported), .deferredMappingCudaArraySupported),
            .ipcEventSupport: (b(p.ipcEventSupported), .ipcEventSupported),
            .memSyncDomainCount: (p.memorySyncDomainCount, .memorySyncDomainCount),
            .numaConfig: (p.numaConfig, .numaConfig), .numaId: (p.numaID, .numaID), .mpsEnabled: (b(p.mpsEnabled), .mpsEnabled),
            .hostNumaId: (p.hostNumaID, .hostNumaID), .d3d12CigSupported: (b(p.d3d12CigSupported), .d3d12CigSupported),
            .vulkanCigSupported: (b(p.vulkanCigSupported), .vulkanCigSupported),
            .gpuPciDeviceId: (p.gpuPciDeviceID, .gpuPciDeviceID), .gpuPciSubsystemId: (p.gpuPciSubsystemID, .gpuPciSubsystemID),
            .hostNumaMemoryPoolsSupported: (b(p.hostNumaMemoryPoolsSupported), .hostNumaMemoryPoolsSupported),
            .hostNumaMultinodeIpcSupported: (b(p.hostNumaMultinodeIpcSupported), .hostNumaMultinodeIpcSupported),
        ]
    }
}

/// A test-only device standing in for hardware this machine lacks; it computes nothing.
private final class StandIn: ComputeDevice {
    let id: DeviceID
    let properties: DeviceProperties

    init(_ id: DeviceID, name: String, type: DeviceType, isSoftware: Bool = false, memory: UInt64 = 8 << 30,
         computeUnits: Int? = 16, clockMHz: Int? = nil, subgroupSizes: [Int] = [32], maxWorkGroupSize: Int = 1024) {
        self.id = id
        properties = DeviceProperties(
            name: name, vendor: "Test", type: type, isSoftware: isSoftware, memoryBytes: memory, computeUnits: computeUnits,
            maxWorkGroupSize: maxWorkGroupSize, subgroupSizes: subgroupSizes, supportsFloat16: true, supportsFloat64: false,
            clockMHz: clockMHz, driverVersion: "test")
    }

    func supports(_ op: KernelOp, _ dtype: DType) -> Bool { dtype == .float32 }
    func allocate(byteCount: Int) throws(DeviceError) -> any DeviceBuffer { throw .invalidArgument("stand-ins hold no memory") }
    func makeQueue() throws(DeviceError) -> any DeviceQueue { throw .invalidArgument("stand-ins run no queues") }
    var freeMemoryBytes: UInt64? { nil }

    static func provider(_ backend: BackendKind, _ devices: [StandIn]) -> @Sendable () -> BackendInventory {
        { BackendInventory(discovery: BackendDiscovery(backend: backend, devices: devices.map(\.properties)),
                           entries: devices.map { DeviceEntry(id: $0.id, properties: $0.properties, compute: $0) }) }
    }
}

/// What Linux says about this machine, read here independently of the CPU backend.
private enum Host {
    struct Unreadable: Error {}

    static func firstProcessor() throws -> [String: String] {
        guard case let .success(text) = readTextFile("/proc/cpuinfo") else { throw Unreadable() }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty, !fields.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingWhitespace()
            if fields[key] == nil { fields[key] = parts[1].trimmingWhitespace() }
        }
        return fields
    }

    static func memTotalBytes() throws -> Int {
        guard case let .success(text) = readTextFile("/proc/meminfo"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
              let kilobytes = Int(line.split(separator: " ")[1]) else { throw Unreadable() }
        return kilobytes * 1024
    }

    static func simdLanes(flags: String) -> Int? {
        let set = Set(flags.split(separator: " "))
        return set.contains("avx512f") ? 16 : set.contains("avx") ? 8 : set.contains("sse") || set.contains("asimd") ? 4 : nil
    }
}

/// NVIDIA's CUDA 12 `driver_types.h`, as `scripts/setup.sh` unpacks it.
private enum NvidiaHeader {
    static let path = String(#filePath.dropLast("Tests/Mocks/DevicePropertiesTests.swift".count))
        + "third_party/cuda/include/driver_types.h"
    static var isPresent: Bool { access(path, R_OK) == 0 }

    static func block(after opening: String) throws -> Substring {
        guard case let .success(text) = readTextFile(path), let start = text.firstRange(of: opening),
              let end = text[start.upperBound...].firstRange(of: "};") else { throw Host.Unreadable() }
        return text[start.upperBound..<end.lowerBound]
    }

    /// `cudaDevAttrX = N` entries, without the `cudaDevAttr` prefix (`cudaDevAttrMax` has no value).
    static func attributes() throws -> [(name: String, value: Int32)] {
        try block(after: "enum __device_builtin__ cudaDeviceAttr").matches(of: /cudaDevAttr(\w+)\s*=\s*(\d+)/)
            .map { (String($0.output.1), Int32($0.output.2)!) }
    }

    /// `type name[count];` lines of `struct cudaDeviceProp`.
    static func devicePropFields() throws -> [(type: String, name: String, count: Int?)] {
        try block(after: "struct __device_builtin__ cudaDeviceProp").matches(of: /\n\s*(unsigned int|\w+)\s+(\w+)(?:\[(\d+)\])?;/)
            .map { (String($0.output.1), String($0.output.2), $0.output.3.flatMap { Int($0) }) }
    }
}
