/// A CUDA compute capability DeviceShim can emulate, e.g. 8.6.
///
/// No backend has a compute capability, so DeviceShim reports an emulated one (`DEVICESHIM_CC`,
/// default 8.6) and, for limits no backend reports, that capability's published values (see
/// `ComputeCapabilityLimits`). Only capabilities with a row in that table exist: the ones
/// CUDA 12 compiles for, from 5.0 to 12.0.
public struct ComputeCapability: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    /// The capability `major.minor`, or nil when DeviceShim has no limits for it.
    public init?(major: Int, minor: Int) {
        guard ComputeCapabilityLimits.table.contains(where: { $0.major == major && $0.minor == minor }) else { return nil }
        self.major = major
        self.minor = minor
    }

    /// Parses `major.minor` as `DEVICESHIM_CC` takes it ("8.6"; spaces around it are
    /// ignored); nil for other text or a capability DeviceShim has no limits for.
    public init?(parsing text: String) {
        let parts = text.trimmingWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// Ampere GA10x (RTX 30 series, A10, A40): recent enough that libraries take their
    /// bfloat16 and TF32 paths (they check for 8.0 or later), older than Hopper so that none
    /// takes 9.0-only paths (clusters, TMA, FP8) DeviceShim cannot serve, and sm_86 is in
    /// every CUDA 12 build of PyTorch and of NVIDIA's libraries.
    public static let `default` = ComputeCapability(major: 8, minor: 6)!

    /// Every capability DeviceShim can emulate, oldest first.
    public static var all: [ComputeCapability] {
        ComputeCapabilityLimits.table.map { ComputeCapability(major: $0.major, minor: $0.minor)! }
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: ComputeCapability, rhs: ComputeCapability) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// The capability's published limits (every capability has a row).
    var limits: ComputeCapabilityLimits {
        ComputeCapabilityLimits.table.first { $0.major == major && $0.minor == minor }!
    }
}
