#if canImport(Glibc)
import Glibc
#endif

/// What Linux says about the machine: /proc/cpuinfo, /proc/meminfo, uname and sysconf.
enum HostSystem {
    /// The first processor's `key: value` fields of /proc/cpuinfo (empty if unreadable).
    static func cpuInfo(path: String = "/proc/cpuinfo") -> [String: String] {
        var fields: [String: String] = [:]
        for line in lines(of: path) {
            if line.isEmpty, !fields.isEmpty { break }  // a blank line ends the first processor
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).trimmingSpaces
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    /// A field of /proc/meminfo in bytes, e.g. `MemTotal` (the file gives kB). Scanned as
    /// bytes in one buffer: `cudaMemGetInfo` reads `MemAvailable` on every call, and splitting
    /// the file into Swift strings took about three times as long as the kernel takes to write it.
    static func memoryField(_ name: String, path: String = "/proc/meminfo") -> UInt64? {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { return nil }
        defer { close(file) }
        let key = Array((name + ":").utf8)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16384) { buffer -> UInt64? in
            var length = 0
            while length < buffer.count {
                let count = read(file, buffer.baseAddress! + length, buffer.count - length)
                if count <= 0 { break }
                length += count
            }
            var lineStart = 0
            while lineStart + key.count <= length {
                if key.indices.allSatisfy({ buffer[lineStart + $0] == key[$0] }) {
                    var position = lineStart + key.count
                    while position < length, buffer[position] == UInt8(ascii: " ") { position += 1 }
                    var value: UInt64 = 0, digits = 0
                    while position < length, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[position]) {
                        value = value &* 10 &+ UInt64(buffer[position] - UInt8(ascii: "0"))
                        (position, digits) = (position + 1, digits + 1)
                    }
                    return (1...15).contains(digits) ? value * 1024 : nil  // kB; more digits than any memory is garbage
                }
                while lineStart < length, buffer[lineStart] != UInt8(ascii: "\n") { lineStart += 1 }
                lineStart += 1
            }
            return nil
        }
    }

    static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The kernel's name and release, e.g. `Linux 6.1.0-18-amd64`.
    static var kernelVersion: String {
        var names = utsname()
        uname(&names)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(names.sysname)) \(text(names.release))"
    }

    /// The widest vector the CPU's flags say it executes, in float32 lanes: 16 with AVX-512F,
    /// 8 with AVX, 4 with SSE (x86) or ASIMD (Arm); nil when the flags say none of these.
    static func simdFloat32Lanes(flags: String) -> Int? {
        let set = Set(flags.split(separator: " "))
        if set.contains("avx512f") { return 16 }
        if set.contains("avx") { return 8 }
        if set.contains("sse") || set.contains("asimd") { return 4 }
        return nil
    }

    /// The size of a transparent huge page when the kernel backs regions that ask for them
    /// (`madvise`, or `always`, in /sys/kernel/mm/transparent_hugepage/enabled); nil when it
    /// never does or the files are missing (no THP support).
    static let transparentHugePageBytes: Int? = transparentHugePageBytes(
        enabled: "/sys/kernel/mm/transparent_hugepage/enabled", size: "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")

    static func transparentHugePageBytes(enabled: String, size: String) -> Int? {
        guard let mode = lines(of: enabled).first, mode.contains("[madvise]") || mode.contains("[always]"),
              let bytes = lines(of: size).first.flatMap({ Int($0) }), bytes > 0, bytes & (bytes - 1) == 0 else { return nil }
        return bytes
    }

    /// The lines of the file at `path` (none when it cannot be read).
    static func lines(of path: String) -> [Substring] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
