/// The real backends DeviceShim computes on.
///
/// Hashed by case (`CaseHashable`): device ids key the memory statistics that every
/// allocation and free updates.
public enum BackendKind: String, Sendable, CaseHashable, CaseIterable, CustomStringConvertible {
    case cpu, opencl, vulkan
    public var description: String { rawValue }

    /// The case's place in `allCases`.
    public var position: Int { Int(caseNumber) }
}

/// One real device: a backend and its index among that backend's devices, e.g. `vulkan:0`.
public struct DeviceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let backend: BackendKind
    public let index: Int

    public init(_ backend: BackendKind, _ index: Int) {
        self.backend = backend
        self.index = index
    }

    public var description: String { "\(backend):\(index)" }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool {
        (lhs.backend.position, lhs.index) < (rhs.backend.position, rhs.index)
    }
}

/// What kind of hardware a device is, as its driver reports it.
public enum DeviceType: String, Sendable, Hashable, CustomStringConvertible {
    case discreteGPU = "discrete GPU"
    case integratedGPU = "integrated GPU"
    case virtualGPU = "virtual GPU"
    case cpu = "CPU"
    case accelerator
    case other

    public var description: String { rawValue }

    public var isGPU: Bool { self == .discreteGPU || self == .integratedGPU || self == .virtualGPU }
}

/// A device's properties, read from its driver (never a constant the driver did not say).
public struct DeviceProperties: Sendable, Hashable {
    /// The name the driver reports, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    public var name: String
    public var vendor: String
    public var type: DeviceType
    /// A software implementation running on the CPU (lavapipe, llvmpipe, PoCL's CPU device):
    /// used only when a policy names its backend, since the native CPU backend is faster.
    public var isSoftware: Bool
    /// Device memory in bytes (for the CPU: the machine's memory).
    public var memoryBytes: UInt64
    /// Compute units (SMs / CUs / cores), where the API reports them (core Vulkan does not).
    public var computeUnits: Int?
    public var maxWorkGroupSize: Int
    /// Subgroup (warp / wavefront / SIMD) sizes the device runs, smallest first; empty if unknown.
    public var subgroupSizes: [Int]
    public var supportsFloat16: Bool
    public var supportsFloat64: Bool
    /// Clock in MHz, where the driver reports one.
    public var clockMHz: Int?
    public var driverVersion: String

    public init(
        name: String, vendor: String, type: DeviceType, isSoftware: Bool, memoryBytes: UInt64, computeUnits: Int?,
        maxWorkGroupSize: Int, subgroupSizes: [Int], supportsFloat16: Bool, supportsFloat64: Bool,
        clockMHz: Int? = nil, driverVersion: String
    ) {
        self.name = name
        self.vendor = vendor
        self.type = type
        self.isSoftware = isSoftware
        self.memoryBytes = memoryBytes
        self.computeUnits = computeUnits
        self.maxWorkGroupSize = maxWorkGroupSize
        self.subgroupSizes = subgroupSizes
        self.supportsFloat16 = supportsFloat16
        self.supportsFloat64 = supportsFloat64
        self.clockMHz = clockMHz
        self.driverVersion = driverVersion
    }
}
