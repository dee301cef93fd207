#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// Large CPU buffers start on a transparent huge page and ask the kernel for huge pages
/// (how the kernel's setting is read: `HostSystemTests`).
struct CPUBufferHugePageTests {
    /// The region holding a 6 MiB buffer carries the kernel's `hg` flag (MADV_HUGEPAGE) in
    /// /proc/self/smaps; a 1 MiB buffer is below a huge page and only page-aligned. (Whether
    /// the kernel then finds free huge pages is its business, so it is not asserted.)
    @Test func largeBuffersAskForHugePages() throws {
        let large = try #require(try CPUDevice.shared.allocate(byteCount: (6 << 20) + 4321) as? CPUBuffer)
        let small = try #require(try CPUDevice.shared.allocate(byteCount: (1 << 20) + 4321) as? CPUBuffer)
        #expect(Int(bitPattern: small.baseAddress) % CPUBuffer.pageSize == 0)
        guard let huge = CPUBuffer.hugePageBytes else {
            #expect(Int(bitPattern: large.baseAddress) % CPUBuffer.pageSize == 0)
            return
        }
        #expect(Int(bitPattern: large.baseAddress) % huge == 0)
        let flags = try #require(Self.regionFlags(containing: UInt(bitPattern: large.baseAddress)))
        #expect(flags.contains("hg"), "VmFlags: \(flags)")
    }

    /// The `VmFlags` of the /proc/self/smaps region containing `address`.
    static func regionFlags(containing address: UInt) -> [Substring]? {
        guard let file = fopen("/proc/self/smaps", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4096)
        var inRegion = false
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let dash = text.firstIndex(of: "-"), let space = text.firstIndex(of: " "), dash < space,
               let start = UInt(text[..<dash], radix: 16), let end = UInt(text[text.index(after: dash)..<space], radix: 16) {
                inRegion = start <= address && address < end
            } else if inRegion, text.hasPrefix("VmFlags:") {
                return text.dropFirst("VmFlags:".count).split(separator: " ")
            }
        }
        return nil
    }
}
