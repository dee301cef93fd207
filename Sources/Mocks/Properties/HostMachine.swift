#if canImport(Glibc)
import Glibc
#endif

/// What the OS says about the host, for devices that run on its CPU (the CPU backend,
/// lavapipe, PoCL's CPU device), where the backend does not say it itself.
enum HostMachine {
    /// Online CPU cores.
    static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The last-level cache (L3, else L2) in bytes, as glibc reports it; nil if it cannot say.
    static var lastLevelCacheBytes: Int? {
        for name in [_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE] {
            let bytes = sysconf(Int32(name))
            if bytes > 0 { return bytes }
        }
        return nil
    }
}
