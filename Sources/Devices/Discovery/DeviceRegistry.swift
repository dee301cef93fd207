import Dispatch
import Synchronization

/// A discovered device: what its driver says, and the object that computes on it (nil where
/// this build cannot compute on that backend yet, with the reason).
public struct DeviceEntry: Sendable {
    public let id: DeviceID
    public let properties: DeviceProperties
    public let compute: (any ComputeDevice)?
    public let whyNoCompute: String?

    public init(id: DeviceID, properties: DeviceProperties, compute: (any ComputeDevice)?, whyNoCompute: String? = nil) {
        self.id = id
        self.properties = properties
        self.compute = compute
        self.whyNoCompute = whyNoCompute
    }
}

/// What one backend offers: its discovery and an entry per device.
public struct BackendInventory: Sendable {
    public var discovery: BackendDiscovery
    public var entries: [DeviceEntry]

    public init(discovery: BackendDiscovery, entries: [DeviceEntry]) {
        self.discovery = discovery
        self.entries = entries
    }
}

/// Every device of every backend present at run time, enumerated once, at first use.
///
/// A backend whose loader or driver is missing has no devices; a `debug` record says why.
public final class DeviceRegistry: Sendable {
    /// The machine's devices through the built-in backends (CPU, OpenCL, Vulkan).
    public static let shared = DeviceRegistry(providers: BuiltInBackends.providers)

    private let providers: [@Sendable () -> BackendInventory]
    private let log: RedirectionLog
    private let inventory = Mutex<[BackendInventory]?>(nil)

    /// A registry over `providers`, each enumerating one backend (tests pass their own).
    public init(providers: [@Sendable () -> BackendInventory], log: RedirectionLog = .shared) {
        self.providers = providers
        self.log = log
    }

    /// Each backend's inventory, in provider order, enumerated on first access. Backends are
    /// enumerated concurrently (driver start-up dominates), so first use costs the slowest.
    public var backends: [BackendInventory] {
        inventory.withLock { cached in
            if let cached { return cached }
            let found = Mutex<[Int: BackendInventory]>([:])
            DispatchQueue.concurrentPerform(iterations: providers.count) { index in
                let inventory = providers[index]()
                found.withLock { $0[index] = inventory }
            }
            let ordered = found.withLock { all in providers.indices.map { all[$0]! } }
            for backend in ordered { record(backend.discovery) }
            cached = ordered
            return ordered
        }
    }

    /// All devices, CPU first, then OpenCL, then Vulkan, each backend in driver order.
    public var entries: [DeviceEntry] { backends.flatMap(\.entries) }

    /// One backend's devices, in driver order.
    public func entries(of backend: BackendKind) -> [DeviceEntry] {
        backends.flatMap { $0.entries.filter { $0.id.backend == backend } }
    }

    /// The device `id`. Searched backend by backend: `cudaFree` asks on every call, and
    /// gathering every backend's entries into one array first copied (and retained) them all.
    public func entry(_ id: DeviceID) -> DeviceEntry? {
        for inventory in backends {
            if let found = inventory.entries.first(where: { $0.id == id }) { return found }
        }
        return nil
    }

    private func record(_ discovery: BackendDiscovery) {
        let names = discovery.devices.enumerated().map { "\(discovery.backend):\($0.offset) \($0.element.name)" }
        let message = names.isEmpty ? "no devices" : names.joined(separator: ", ")
        log.recordEvent(.debug, RedirectionRecord(
            api: "discover", resolved: discovery.backend.rawValue, durationNanoseconds: discovery.elapsedNanoseconds,
            message: message + (discovery.note.map { " (\($0))" } ?? "")))
    }
}
