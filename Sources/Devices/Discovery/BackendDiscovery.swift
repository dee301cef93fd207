/// What one backend found when devices were enumerated.
public struct BackendDiscovery: Sendable {
    public var backend: BackendKind
    /// The devices, in the driver's order (their index is their position here).
    public var devices: [DeviceProperties]
    /// Why the backend has no devices (no loader, no driver) or what went wrong with some;
    /// nil when all went well.
    public var note: String?
    /// How long enumeration took.
    public var elapsedNanoseconds: UInt64

    public init(backend: BackendKind, devices: [DeviceProperties], note: String? = nil, elapsedNanoseconds: UInt64 = 0) {
        self.backend = backend
        self.devices = devices
        self.note = note
        self.elapsedNanoseconds = elapsedNanoseconds
    }
}
