#if canImport(Glibc)
import Glibc
#endif

/// Copies and fills of raw bytes, split across cores when large.
enum MemoryKernels {
    /// Below this many bytes per core a copy or fill stays on one thread.
    static let bytesPerCore = 1 << 21

    /// Copies `count` bytes; the ranges may overlap (then one `memmove` does it).
    static func copy(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
        let overlapping = source < UnsafeRawPointer(destination) + count && UnsafeRawPointer(destination) < source + count
        if overlapping || count < 2 * bytesPerCore || Parallel.partCount(for: count, minimumPerCore: bytesPerCore) == 1 {
            memmove(destination, source, count)
            return
        }
        let (source, destination) = (HostAddress(source), HostAddress(destination))
        Parallel.forEachRange(count: count, minimumPerCore: bytesPerCore) { range in
            memcpy(destination.pointer + range.lowerBound, source.pointer + range.lowerBound, range.count)
        }
    }

    /// Repeats `pattern` (1, 2, 4 or 8 bytes, little-endian) over `count` bytes, a multiple
    /// of its length.
    static func fill(_ destination: UnsafeMutableRawPointer, count: Int, with pattern: [UInt8]) {
        let address = HostAddress(destination)
        switch pattern.count {
        case 1:
            let byte = Int32(pattern[0])
            Parallel.forEachRange(count: count, minimumPerCore: bytesPerCore) { range in
                memset(address.pointer + range.lowerBound, byte, range.count)
            }
        case 2: fill(address, count: count / 2, with: pattern.withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) })
        case 4: fill(address, count: count / 4, with: pattern.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        case 8: fill(address, count: count / 8, with: pattern.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        default: preconditionFailure("a \(pattern.count)-byte fill pattern passed validation")
        }
    }

    private static func fill<Word: FixedWidthInteger>(_ destination: HostAddress, count: Int, with word: Word) {
        Parallel.forEachRange(count: count, minimumPerCore: bytesPerCore / MemoryLayout<Word>.size) { range in
            // Unaligned stores: a region may start at any byte offset.
            let start = destination.pointer + range.lowerBound * MemoryLayout<Word>.size
            for i in 0..<range.count { start.storeBytes(of: word, toByteOffset: i &* MemoryLayout<Word>.size, as: Word.self) }
        }
    }
}
