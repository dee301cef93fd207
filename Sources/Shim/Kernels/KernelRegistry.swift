import Synchronization

/// The fat binaries a host program registered, and the kernels and device variables in them.
///
/// nvcc's host code registers each translation unit's fat binary at startup
/// (`__cudaRegisterFatBinary`), then each kernel under its host stub's address
/// (`__cudaRegisterFunction`) and each `__device__`/`__constant__` variable under its host
/// shadow's address (`__cudaRegisterVar`). A launch names its kernel by that host address,
/// which this registry turns back into the kernel's (mangled) name. Thread-safe.
public final class KernelRegistry: Sendable {
    /// The process's registry, which the C exports fill.
    public static let shared = KernelRegistry()

    /// A kernel, as `__cudaRegisterFunction` named it.
    public struct Kernel: Sendable, Hashable {
        /// The kernel's device-side name: the mangled name, e.g. `_Z9addKernelPfPKfS1_i`.
        public var name: String
        /// The handle of the fat binary it came from.
        public var fatBinary: UInt

        public init(name: String, fatBinary: UInt) {
            self.name = name
            self.fatBinary = fatBinary
        }
    }

    /// A `__device__` or `__constant__` variable, as `__cudaRegisterVar` named it.
    public struct Variable: Sendable, Hashable {
        /// The variable's device-side name.
        public var name: String
        /// Its size in bytes.
        public var byteCount: Int
        /// Whether it is `__constant__`.
        public var isConstant: Bool
        /// The handle of the fat binary it came from.
        public var fatBinary: UInt

        public init(name: String, byteCount: Int, isConstant: Bool, fatBinary: UInt) {
            self.name = name
            self.byteCount = byteCount
            self.isConstant = isConstant
            self.fatBinary = fatBinary
        }
    }

    private struct State {
        var fatBinaries: [UInt: FatBinary] = [:]
        var completed: Set<UInt> = []
        var kernels: [UInt: Kernel] = [:]
        var variables: [UInt: Variable] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers a fat binary and returns the handle the host program keeps for it (never
    /// NULL): a pointer-sized cell holding the wrapper's address, freed by `unregister`.
    public func register(_ fatBinary: FatBinary) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        let handle = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
        handle.initialize(to: UnsafeMutableRawPointer(bitPattern: fatBinary.wrapperAddress))
        state.withLock { $0.fatBinaries[UInt(bitPattern: handle)] = fatBinary }
        return handle
    }

    /// Marks a fat binary's registration complete (`__cudaRegisterFatBinaryEnd`); false if
    /// `handle` is not a registered fat binary.
    public func completeRegistration(of handle: UInt) -> Bool {
        state.withLock { state in
            guard state.fatBinaries[handle] != nil else { return false }
            state.completed.insert(handle)
            return true
        }
    }

    /// Forgets a fat binary and everything registered from it, and frees its handle; nil if
    /// `handle` is not a registered fat binary (then nothing is freed).
    public func unregister(_ handle: UInt) -> FatBinary? {
        let removed = state.withLock { state -> FatBinary? in
            guard let fatBinary = state.fatBinaries.removeValue(forKey: handle) else { return nil }
            state.completed.remove(handle)
            state.kernels = state.kernels.filter { $0.value.fatBinary != handle }
            state.variables = state.variables.filter { $0.value.fatBinary != handle }
            return fatBinary
        }
        if removed != nil { UnsafeMutablePointer<UnsafeMutableRawPointer?>(bitPattern: handle)?.deallocate() }
        return removed
    }

    /// The fat binary registered under `handle`.
    public func fatBinary(_ handle: UInt) -> FatBinary? {
        state.withLock { $0.fatBinaries[handle] }
    }

    /// Whether `__cudaRegisterFatBinaryEnd` was called for `handle`.
    public func isRegistrationComplete(_ handle: UInt) -> Bool {
        state.withLock { $0.completed.contains(handle) }
    }

    /// Records that the host stub at `hostFunction` launches `kernel`. A later registration of
    /// the same address replaces the earlier one, as in CUDA.
    public func register(_ kernel: Kernel, hostFunction: UInt) {
        state.withLock { $0.kernels[hostFunction] = kernel }
    }

    /// The kernel whose host stub is at `hostFunction`.
    public func kernel(hostFunction: UInt) -> Kernel? {
        state.withLock { $0.kernels[hostFunction] }
    }

    /// Records the device variable whose host shadow is at `hostVariable`.
    public func register(_ variable: Variable, hostVariable: UInt) {
        state.withLock { $0.variables[hostVariable] = variable }
    }

    /// The device variable whose host shadow is at `hostVariable`.
    public func variable(hostVariable: UInt) -> Variable? {
        state.withLock { $0.variables[hostVariable] }
    }

    /// How many fat binaries, kernels and variables are registered.
    public var counts: (fatBinaries: Int, kernels: Int, variables: Int) {
        state.withLock { ($0.fatBinaries.count, $0.kernels.count, $0.variables.count) }
    }
}
