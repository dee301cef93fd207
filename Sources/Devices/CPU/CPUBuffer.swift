#if canImport(Glibc)
import Glibc
#endif

/// Host memory of the CPU device, freed when the last reference goes — large blocks into the
/// device's `HostBufferCache`, for the next buffer of their size. 64-byte aligned (a cache
/// line, and the widest SIMD load), and page-aligned from 64 KiB up, as pinned host memory
/// (`cudaMallocHost`) and large host buffers are: a 64 KiB copy between a page-aligned buffer
/// and one 64 bytes into its page ran about 5 % slower than between two page-aligned ones on
/// this project's machine. The page costs at most 1/16 of such a buffer.
///
/// Blocks of at least `hugePageBytes` (2 MiB where the kernel offers transparent huge pages)
/// start on a huge page and ask for huge pages (`MADV_HUGEPAGE`): a 16 MB float32 array
/// then needs 8 TLB entries instead of 4096, and a first touch 8 page faults instead of
/// 4096. On this project's machine, summing such an array on both cores ran 14–16 % faster
/// and adding two 1–6 % faster (a C loop, huge and ordinary pages alternating, best of 200).
/// glibc's allocator does not ask for huge pages, nor does PyTorch's CPU allocator unless
/// `THP_MEM_ALLOC_ENABLE` is set.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    // Sendable: the address and size never change; what is stored there is synchronised by
    // the queues that read and write it, as for any device memory.
    public static let alignment = 64
    /// Buffers of at least `pageAlignedBytes` bytes start on a page.
    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE))), pageAlignedBytes = 64 << 10
    /// Buffers of at least this many bytes start on a huge page and ask for huge pages; nil
    /// when the kernel gives none.
    public static let hugePageBytes = HostSystem.transparentHugePageBytes

    public let byteCount: Int
    /// The first byte. Host code may read and write it directly once the queues that use the
    /// buffer are synchronised.
    public let baseAddress: UnsafeMutableRawPointer
    private let cpu: CPUDevice

    public var device: any ComputeDevice { cpu }

    /// The CPU device's memory is the host's: `baseAddress`.
    public var hostAddress: UnsafeMutableRawPointer? { baseAddress }

    /// Allocates `byteCount` bytes (a zero-byte buffer is allowed). Throws `outOfMemory`
    /// for more than the machine's memory — Linux overcommits, so such a request could
    /// otherwise succeed and fail later on first touch — or when the allocation fails.
    init(device: CPUDevice, byteCount: Int) throws(DeviceError) {
        guard byteCount >= 0 else {
            throw .invalidArgument("a buffer cannot have \(byteCount) bytes")
        }
        let memory = device.properties.memoryBytes  // 0 when /proc/meminfo could not be read
        guard memory == 0 || UInt64(byteCount) <= memory else {
            throw .outOfMemory(device: device.id, requestedBytes: byteCount, availableBytes: device.freeMemoryBytes)
        }
        // At least one cache line: posix_memalign may return NULL for zero bytes.
        let capacity = HostBufferCache.capacity(for: byteCount)
        let block = device.bufferCache.take(capacity: capacity).map { (start: $0, base: $0) }
        guard let block = block ?? Self.allocate(capacity, releasing: device.bufferCache) else {
            throw .outOfMemory(device: device.id, requestedBytes: byteCount, availableBytes: device.freeMemoryBytes)
        }
        self.byteCount = byteCount
        self.capacity = capacity
        (self.blockStart, self.baseAddress) = block
        self.cpu = device
    }

    /// The bytes really allocated (`byteCount` rounded up to the cache's size class).
    private let capacity: Int
    /// What the allocator returned, which `baseAddress` may lie a few bytes into.
    private let blockStart: UnsafeMutableRawPointer

    /// A new block; when that fails, a second try after the cache's blocks are freed.
    ///
    /// A small block (below `pageAlignedBytes`) comes from `malloc` with room to align its base:
    /// allocating a 4096-element add's output took about 760 instructions through
    /// `posix_memalign` and takes 270 this way (callgrind), once per tensor op.
    private static func allocate(_ capacity: Int,
                                 releasing cache: HostBufferCache) -> (start: UnsafeMutableRawPointer, base: UnsafeMutableRawPointer)? {
        let huge = hugePageBytes.flatMap { capacity >= $0 ? $0 : nil }
        let attempt = { () -> UnsafeMutableRawPointer? in
            guard capacity >= pageAlignedBytes else { return malloc(capacity + alignment) }
            var address: UnsafeMutableRawPointer?
            return posix_memalign(&address, huge ?? pageSize, capacity) == 0 ? address : nil
        }
        var start = attempt()
        if start == nil, cache.cachedBytes > 0 {
            cache.releaseAll()
            start = attempt()
        }
        guard let start else { return nil }
        if let huge {
            // Advice only: where the kernel declines, the block keeps ordinary pages.
            _ = madvise(start, capacity & ~(huge - 1), MADV_HUGEPAGE)
        }
        let misalignment = Int(bitPattern: UInt(bitPattern: start) % UInt(alignment))
        return (start, misalignment == 0 ? start : start + (alignment - misalignment))
    }

    deinit {
        cpu.bufferCache.give(blockStart, capacity: capacity)
    }
}
