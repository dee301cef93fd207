#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// What the CPU device reads from /proc and /sys: fields of /proc/meminfo in bytes, and
/// whether and at what size the kernel gives transparent huge pages.
struct HostSystemTests {
    let folder = "/tmp/deviceshim-host-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    /// Writes `text` to `name` in this test's folder (made on first use) and returns the path.
    @discardableResult
    func write(_ text: String, to name: String) -> String {
        mkdir(folder, 0o700)
        let path = "\(folder)/\(name)"
        let file = fopen(path, "w")
        fputs(text, file)
        fclose(file)
        return path
    }

    func removeFolder(_ names: [String]) {
        for name in names { unlink("\(folder)/\(name)") }
        rmdir(folder)
    }

    @Test func memoryFieldsAreFoundByTheirWholeName() throws {
        defer { removeFolder(["meminfo"]) }
        let path = write("MemTotal:       24596000 kB\nMemFree:          123 kB\nMemAvailable:   13000000 kB\nHugePages_Total:       0\nOdd:      x kB\nHuge:  123456789012345678901 kB\n",
                         to: "meminfo")
        #expect(HostSystem.memoryField("MemTotal", path: path) == 24_596_000 * 1024)
        #expect(HostSystem.memoryField("MemAvailable", path: path) == 13_000_000 * 1024)
        #expect(HostSystem.memoryField("MemFree", path: path) == 123 * 1024)
        #expect(HostSystem.memoryField("HugePages_Total", path: path) == 0)
        #expect(HostSystem.memoryField("Mem", path: path) == nil)  // a prefix of other names only
        #expect(HostSystem.memoryField("Odd", path: path) == nil)  // no number
        #expect(HostSystem.memoryField("Huge", path: path) == nil)  // more than any memory
        #expect(HostSystem.memoryField("Cached", path: path) == nil)
        #expect(HostSystem.memoryField("MemTotal", path: "\(path).missing") == nil)
    }

    @Test func theMachinesMemoryIsRead() throws {
        let total = try #require(HostSystem.memoryField("MemTotal"))
        let available = try #require(HostSystem.memoryField("MemAvailable"))
        #expect(total > 256 << 20 && available <= total)
    }

    @Test func theKernelsHugePageSettingIsRead() throws {
        defer { removeFolder(["enabled", "size"]) }
        let size = write("2097152\n", to: "size")
        let enabled = write("always [madvise] never\n", to: "enabled")
        #expect(HostSystem.transparentHugePageBytes(enabled: enabled, size: size) == 2 << 20)
        write("[always] madvise never\n", to: "enabled")
        #expect(HostSystem.transparentHugePageBytes(enabled: enabled, size: size) == 2 << 20)
        write("always madvise [never]\n", to: "enabled")
        #expect(HostSystem.transparentHugePageBytes(enabled: enabled, size: size) == nil)
        write("always [madvise] never\n", to: "enabled")
        write("3000000\n", to: "size")  // not a power of two: not a page size
        #expect(HostSystem.transparentHugePageBytes(enabled: enabled, size: size) == nil)
        #expect(HostSystem.transparentHugePageBytes(enabled: "\(folder)/missing", size: size) == nil)
    }

    /// The largest data or unified cache level of CPU 0 is the last level; its size is one
    /// instance's, as the kernel writes it.
    @Test func theLastLevelCacheIsTheKernelsLargestDataLevel() throws {
        let caches = [(1, "Data", "32K"), (1, "Instruction", "32K"), (2, "Unified", "1024K"), (3, "Unified", "32768K"),
                      (4, "Instruction", "64M")]
        var names: [String] = []
        for (index, (level, type, size)) in caches.enumerated() {
            mkdir(folder, 0o700)
            mkdir("\(folder)/index\(index)", 0o700)
            for (file, text) in [("level", "\(level)"), ("type", type), ("size", size)] {
                write("\(text)\n", to: "index\(index)/\(file)")
                names.append("index\(index)/\(file)")
            }
        }
        defer {
            for name in names { unlink("\(folder)/\(name)") }
            for index in caches.indices { rmdir("\(folder)/index\(index)") }
            rmdir(folder)
        }
        #expect(HostCache.lastLevelBytes(cacheDirectory: folder) == 32 << 20)
        // No such folder: glibc's word for it.
        let glibc = [sysconf(Int32(_SC_LEVEL3_CACHE_SIZE)), sysconf(Int32(_SC_LEVEL2_CACHE_SIZE))].first { $0 > 0 }
        #expect(HostCache.lastLevelBytes(cacheDirectory: "\(folder)/missing") == glibc)
    }

    @Test func cacheSizesReadInTheKernelsUnits() {
        #expect(HostCache.sizeBytes("32768K") == 32 << 20)
        #expect(HostCache.sizeBytes("1M") == 1 << 20)
        #expect(HostCache.sizeBytes("512") == 512)
        #expect(HostCache.sizeBytes("2G") == 2 << 30)
        for garbage in ["", "K", "0K", "-1K", "12Q", "99999999999999999999G"] {
            #expect(HostCache.sizeBytes(garbage) == nil, "\(garbage)")
        }
    }
}
