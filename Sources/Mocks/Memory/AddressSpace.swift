#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The addresses DeviceShim hands out as device pointers: a range of virtual address space
/// reserved with `PROT_NONE` (no memory behind it), so a device pointer can never equal a
/// host pointer, pointer arithmetic works as on CUDA, and a host dereference of one faults
/// as it would on a GPU. Ranges are 256-byte aligned (as `cudaMalloc`'s are) and reused
/// after they are released (first fit; neighbours coalesce).
final class AddressSpace: Sendable {
    static let alignment = 256
    let base: UInt
    let size: UInt
    private let free: Mutex<[Range<UInt>]>

    /// Reserves the largest power of two from `largest` (1 TiB by default) down to `smallest`
    /// that the kernel grants (no memory is committed), or nil if it grants none. A process
    /// under an address-space limit (`ulimit -v`, as some clusters set, or Valgrind) is refused
    /// a terabyte but still gets device memory.
    init?(largest: UInt = 1 << 40, smallest: UInt = 1 << 30) {
        var size = largest
        while size >= smallest {
            let reserved = mmap(nil, Int(size), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            if let reserved, reserved != MAP_FAILED {
                base = UInt(bitPattern: reserved)
                self.size = size
                free = Mutex([base..<(base + size)])
                return
            }
            size /= 2
        }
        return nil
    }

    deinit { munmap(UnsafeMutableRawPointer(bitPattern: base), Int(size)) }

    /// Whether `address` lies in the reserved range (a device pointer, or inside one).
    func contains(_ address: UInt) -> Bool { address >= base && address < base + size }

    /// The length of the range `take(byteCount)` hands out: whole alignment units, at least one.
    static func length(for byteCount: Int) -> UInt {
        UInt(max(1, (byteCount + alignment - 1) / alignment) * alignment)
    }

    /// A range of at least `byteCount` bytes (rounded up to the alignment; 1 for 0 bytes),
    /// or nil when the space is exhausted.
    func take(_ byteCount: Int) -> Range<UInt>? {
        let length = AddressSpace.length(for: byteCount)
        return free.withLock { free in
            guard let index = free.firstIndex(where: { $0.count >= length }) else { return nil }
            let range = free[index].lowerBound..<(free[index].lowerBound + length)
            if free[index].count == length { free.remove(at: index) } else { free[index] = range.upperBound..<free[index].upperBound }
            return range
        }
    }

    /// Returns a range from `take`, merging it with free neighbours.
    func give(back range: Range<UInt>) {
        free.withLock { free in
            let index = free.firstIndex { $0.lowerBound > range.lowerBound } ?? free.count
            var merged = range
            if index < free.count, free[index].lowerBound == merged.upperBound {
                merged = merged.lowerBound..<free[index].upperBound
                free.remove(at: index)
            }
            if index > 0, free[index - 1].upperBound == merged.lowerBound {
                merged = free[index - 1].lowerBound..<merged.upperBound
                free[index - 1] = merged
            } else {
                free.insert(merged, at: index)
            }
        }
    }
}
