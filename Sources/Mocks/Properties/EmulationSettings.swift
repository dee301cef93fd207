#if canImport(Glibc)
import Glibc
#endif

/// What DeviceShim answers where CUDA asks for something no backend has: the compute
/// capability to present (`DEVICESHIM_CC`, default 8.6) and, optionally, a warp size to
/// present instead of the device's subgroup size (`DEVICESHIM_WARP_SIZE`, for programs that
/// assume 32 on a device whose subgroups are 8 or 16 wide).
public struct EmulationSettings: Sendable, Hashable {
    public var computeCapability: ComputeCapability
    /// The warp size to report on every device; nil reports each device's own.
    public var warpSize: Int?

    public enum Variable {
        public static let computeCapability = "DEVICESHIM_CC"
        public static let warpSize = "DEVICESHIM_WARP_SIZE"
    }

    /// Warp sizes `DEVICESHIM_WARP_SIZE` accepts: powers of two up to a block's 1024 threads.
    public static let acceptedWarpSizes: [Int] = (0...10).map { 1 << $0 }

    public init(computeCapability: ComputeCapability = .default, warpSize: Int? = nil) {
        self.computeCapability = computeCapability
        self.warpSize = warpSize
    }

    /// Reads the settings. A bad value never fails: the default applies and `problems` says
    /// what was wrong and what is accepted. An unset or empty variable is its default.
    public static func reading(environment: (String) -> String?) -> (settings: EmulationSettings, problems: [String]) {
        var settings = EmulationSettings()
        var problems: [String] = []
        if let text = nonEmpty(environment(Variable.computeCapability)) {
            if let capability = ComputeCapability(parsing: text) {
                settings.computeCapability = capability
            } else {
                let known = ComputeCapability.all.map(\.description).joined(separator: ", ")
                problems.append("\(Variable.computeCapability)=\"\(text)\" is not a compute capability DeviceShim emulates "
                                + "(expected one of \(known)); using \(ComputeCapability.default)")
            }
        }
        if let text = nonEmpty(environment(Variable.warpSize)) {
            if let size = Int(text.trimmingWhitespace()), acceptedWarpSizes.contains(size) {
                settings.warpSize = size
            } else {
                problems.append("\(Variable.warpSize)=\"\(text)\" is not a warp size (expected a power of two from 1 to 1024); "
                                + "each device's own subgroup size is reported")
            }
        }
        return (settings, problems)
    }

    /// Reads the settings from `environment`, logging each problem as one `warn` record.
    public static func loading(environment: (String) -> String?, log: RedirectionLog = .shared) -> EmulationSettings {
        let (settings, problems) = reading(environment: environment)
        for problem in problems {
            log.recordEvent(.warn, RedirectionRecord(api: "deviceshim.configuration", message: problem))
        }
        return settings
    }

    /// The process's settings, read from its environment at first use.
    public static let shared = loading(environment: { getenv($0).map { String(cString: $0) } })

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingWhitespace().isEmpty else { return nil }
        return value
    }
}
