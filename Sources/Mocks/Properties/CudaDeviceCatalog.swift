import Synchronization

/// The CUDA devices a program sees (`cuda:0` … `cuda:N-1`), each described by the real
/// device its request resolves to: what `cudaGetDeviceProperties` and
/// `cudaDeviceGetAttribute` answer.
///
/// A device's properties are built the first time it is asked about and kept (devices and
/// redirect decisions do not change while a process runs). That first query logs one `info`
/// record: the API, `cuda:N`, the real device, the rule that chose it, and which values are
/// emulated. Later queries log nothing here (the C ABI logs each call at `debug`).
public final class CudaDeviceCatalog: Sendable {
    /// The process's devices: `Redirector.shared`, `EmulationSettings.shared`.
    public static let shared = CudaDeviceCatalog(redirector: .shared, settings: .shared)

    public let redirector: Redirector
    public let settings: EmulationSettings
    private let log: RedirectionLog
    private let described = Mutex<[Int: DescribedDevice]>([:])

    public init(redirector: Redirector, settings: EmulationSettings, log: RedirectionLog = .shared) {
        self.redirector = redirector
        self.settings = settings
        self.log = log
    }

    /// How many CUDA devices there are (`cudaGetDeviceCount`).
    public var deviceCount: Int { redirector.deviceCount(.cuda) }

    /// The properties of `cuda:index`, for a Swift caller (named in the record by file and line).
    public func properties(ofDevice index: Int, api: String = "cudaGetDeviceProperties",
                           fileID: String = #fileID, line: Int = #line, function: String = #function)
        throws(DeviceError) -> CudaDeviceProperties {
        try properties(ofDevice: index, api: api, from: .swift(fileID: fileID, line: line, function: function))
    }

    /// The properties of `cuda:index`. Throws `invalidDeviceIndex` for an index the program
    /// has no device for (negative ones included) and `noDevice` when no device can serve it.
    public func properties(ofDevice index: Int, api: String, from site: CallSite) throws(DeviceError) -> CudaDeviceProperties {
        if let known = described.withLock({ $0[index] }) {
            log.record(.debug, RedirectionRecord(api: api, requested: "cuda:\(index)", message: known.properties.name), from: site)
            return known.properties
        }
        guard index >= 0 else {
            let error = DeviceError.invalidDeviceIndex(request: "cuda:\(index)", available: deviceCount)
            log.record(.warn, RedirectionRecord(api: api, requested: "cuda:\(index)", status: "no device",
                                                message: error.description), from: site)
            throw error
        }
        let resolution = try redirector.resolve(DeviceRequest(.cuda, index: index), api: api, from: site)
        let properties = CudaDeviceProperties(resolution: resolution, settings: settings)
        let isFirst = described.withLock { described in
            guard described[index] == nil else { return false }
            described[index] = DescribedDevice(properties)
            return true
        }
        if isFirst {
            log.record(.info, RedirectionRecord(
                api: api, requested: resolution.request.description, resolved: resolution.entry.id.description,
                reason: resolution.reason, message: Self.summary(properties, settings: settings)), from: site)
        }
        return properties
    }

    /// `cudaDeviceGetAttribute` for `cuda:index`: the value and whether it is emulated, or nil
    /// for an attribute DeviceShim cannot answer. Throws as `properties(ofDevice:)` does.
    public func attribute(_ attribute: CudaDeviceAttribute, ofDevice index: Int, api: String = "cudaDeviceGetAttribute",
                          from site: CallSite) throws(DeviceError) -> (value: Int32, isEmulated: Bool)? {
        // Once the device is described, from its table of answers: copying its properties
        // out (strings and arrays, a retain each) cost most of a call, and programs ask often.
        if let known = described.withLock({ $0[index] }) {
            log.record(.debug, RedirectionRecord(api: api, requested: "cuda:\(index)", message: "\(attribute)"), from: site)
            return known.answers[Int(attribute.rawValue)]
        }
        let properties = try properties(ofDevice: index, api: api, from: site)
        return properties.attribute(attribute).map { ($0, properties.isEmulated(attribute)) }
    }

    /// "… as compute capability 8.6; emulated: uuid, sharedMemPerBlock, …".
    static func summary(_ properties: CudaDeviceProperties, settings: EmulationSettings) -> String {
        var text = "\"\(properties.name)\" as compute capability \(settings.computeCapability) "
            + "(\(EmulationSettings.Variable.computeCapability))"
        if let warpSize = settings.warpSize {
            text += ", warp size \(warpSize) (\(EmulationSettings.Variable.warpSize))"
        }
        let emulated = properties.emulatedFields.map(\.rawValue)
        return text + "; emulated: " + (emulated.isEmpty ? "none" : emulated.joined(separator: ", "))
    }
}

/// A described device: its properties, and every attribute's answer by raw value.
private final class DescribedDevice: Sendable {
    let properties: CudaDeviceProperties
    let answers: [(value: Int32, isEmulated: Bool)?]

    init(_ properties: CudaDeviceProperties) {
        self.properties = properties
        var answers = [(value: Int32, isEmulated: Bool)?](
            repeating: nil, count: Int(CudaDeviceAttribute.allCases.map(\.rawValue).max() ?? 0) + 1)
        for attribute in CudaDeviceAttribute.allCases {
            answers[Int(attribute.rawValue)] = properties.attribute(attribute).map { ($0, properties.isEmulated(attribute)) }
        }
        self.answers = answers
    }
}
