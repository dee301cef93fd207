#if canImport(Glibc)
import Glibc
#endif

/// The CPU caches as Linux describes them.
public enum HostCache {
    /// The largest data cache one core of this machine sees (its last level: L3, else L2), in
    /// bytes, or nil when neither the kernel nor glibc says.
    ///
    /// Read from the kernel's description of CPU 0's caches first, which gives the size of
    /// one cache instance: on the project's AMD EPYC VMs that is 32 MB, while glibc's
    /// `sysconf(_SC_LEVEL3_CACHE_SIZE)` says 320 MB there. A kernel op that sizes its work
    /// to the cache (the CPU backend's non-temporal stores) needs the instance's size.
    public static let lastLevelBytes: Int? = lastLevelBytes(cacheDirectory: "/sys/devices/system/cpu/cpu0/cache")

    /// `lastLevelBytes` from the `index*` folders of `cacheDirectory` (each with `level`,
    /// `type` and `size` files, as the kernel writes them: `3`, `Unified`, `32768K`),
    /// falling back to glibc's L3, then L2, size.
    static func lastLevelBytes(cacheDirectory: String) -> Int? {
        var largest: (level: Int, bytes: Int)?
        for index in 0..<16 {
            let folder = "\(cacheDirectory)/index\(index)"
            func firstLine(_ file: String) -> String? { HostSystem.lines(of: "\(folder)/\(file)").first.map(String.init) }
            guard let level = firstLine("level").flatMap({ Int($0) }) else { continue }
            guard let type = firstLine("type"), type == "Data" || type == "Unified",
                  let bytes = firstLine("size").flatMap(sizeBytes) else { continue }
            if level > largest?.level ?? 0 { largest = (level, bytes) }
        }
        if let largest { return largest.bytes }
        return [_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE].lazy.map { sysconf(Int32($0)) }.first { $0 > 0 }
    }

    /// "32768K" (the kernel's form), "1M" or "512": bytes, or nil for anything else.
    static func sizeBytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let (digits, unit) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let count = Int(digits), count > 0 else { return nil }
        return count.multipliedReportingOverflow(by: unit).overflow ? nil : count * unit
    }
}
