#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// What the CPU device reads from /proc: fields of /proc/meminfo, in bytes.
struct HostSystemTests {
    @Test func memoryFieldsAreFoundByTheirWholeName() throws {
        let path = "/tmp/deviceshim-meminfo-\(getpid())"
        defer { unlink(path) }
        let file = fopen(path, "w")
        fputs("MemTotal:       24596000 kB\nMemFree:          123 kB\nMemAvailable:   13000000 kB\nHugePages_Total:       0\nOdd:      x kB\n", file)
        fclose(file)
        #expect(HostSystem.memoryField("MemTotal", path: path) == 24_596_000 * 1024)
        #expect(HostSystem.memoryField("MemAvailable", path: path) == 13_000_000 * 1024)
        #expect(HostSystem.memoryField("MemFree", path: path) == 123 * 1024)
        #expect(HostSystem.memoryField("HugePages_Total", path: path) == 0)
        #expect(HostSystem.memoryField("Mem", path: path) == nil)  // a prefix of other names only
        #expect(HostSystem.memoryField("Odd", path: path) == nil)  // no number
        #expect(HostSystem.memoryField("Cached", path: path) == nil)
        #expect(HostSystem.memoryField("MemTotal", path: "\(path).missing") == nil)
    }

    @Test func theMachinesMemoryIsRead() throws {
        let total = try #require(HostSystem.memoryField("MemTotal"))
        let available = try #require(HostSystem.memoryField("MemAvailable"))
        #expect(total > 256 << 20 && available <= total)
    }
}
