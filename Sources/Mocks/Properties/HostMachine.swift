#if canImport(Glibc)
import Glibc
#endif

/// What the OS says about the host, for devices that run on its CPU (the CPU backend,
/// lavapipe, PoCL's CPU device), where the backend does not say it itself.
enum HostMachine {
    /// Online CPU cores.
    static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
