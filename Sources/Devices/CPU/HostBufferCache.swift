#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Freed large host allocations of the CPU device, kept for the next buffer of their size
/// class (what PyTorch's CUDA caching allocator does for device memory).
///
/// Tensor ops make a fresh output each time. For a large one glibc hands out fresh pages —
/// a new `mmap`, or heap memory it trimmed back to the OS when the last such output was
/// freed — and every 4 KB page then costs a page fault and zeroing on first write: 4096
/// faults, about 2 ms, for each 16 MB output, as much as the op itself. Reusing a freed
/// block costs none of that.
///
/// The cache holds at most `limitBytes`; a block that would exceed it is freed at once.
/// Cached bytes stay counted as used by the OS (`CPUDevice.freeMemoryBytes` reads
/// MemAvailable) and are reported by `CPUDevice.cachedBufferBytes`;
/// `CPUDevice.releaseCachedBuffers()` gives them back, as an allocation that fails does
/// before it retries.
final class HostBufferCache: Sendable {
    /// Requests smaller than this go straight to `posix_memalign`: glibc reuses small blocks
    /// from its own free lists without faults.
    static let minimumBytes = 256 << 10

    let limitBytes: Int
    private let state = Mutex(State())

    private struct State {
        /// Addresses of free blocks by capacity, the most recently freed last.
        var blocks: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }

    /// `limitBytes`: an eighth of `memoryBytes` (0 when unknown: 1 GiB assumed), at most 1 GiB.
    init(memoryBytes: UInt64) {
        let memory = memoryBytes == 0 ? UInt64(1 << 30) : memoryBytes
        limitBytes = Int(min(memory / 8, 1 << 30))
    }

    /// The capacity a block for `byteCount` bytes gets: `byteCount` rounded up to a quarter of
    /// its power of two (so one block serves requests up to 25% smaller, and no more than 25%
    /// is wasted), or `byteCount` itself (at least one cache line) when it is not cached.
    static func capacity(for byteCount: Int) -> Int {
        guard byteCount >= minimumBytes else { return max(byteCount, CPUBuffer.alignment) }
        let powerOfTwo = Int.bitWidth - 1 - byteCount.leadingZeroBitCount
        let step = 1 << (powerOfTwo - 2)
        return (byteCount + step - 1) & ~(step - 1)
    }

    /// A cached block of exactly `capacity` bytes, or nil.
    func take(capacity: Int) -> UnsafeMutableRawPointer? {
        guard capacity >= Self.minimumBytes else { return nil }
        let address = state.withLock { state -> UInt? in
            guard let address = state.blocks[capacity]?.popLast() else { return nil }
            state.cachedBytes -= capacity
            return address
        }
        return address.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }

    /// Keeps the block `address` of `capacity` bytes for reuse, or frees it when it is small
    /// or the cache is full.
    func give(_ address: UnsafeMutableRawPointer, capacity: Int) {
        let kept = capacity >= Self.minimumBytes && state.withLock { state -> Bool in
            guard state.cachedBytes + capacity <= limitBytes else { return false }
            state.blocks[capacity, default: []].append(UInt(bitPattern: address))
            state.cachedBytes += capacity
            return true
        }
        if !kept { free(address) }
    }

    /// Bytes held in cached blocks.
    var cachedBytes: Int { state.withLock { $0.cachedBytes } }

    /// Frees every cached block.
    func releaseAll() {
        let addresses = state.withLock { state -> [UInt] in
            defer { state = State() }
            return state.blocks.values.flatMap { $0 }
        }
        for address in addresses { free(UnsafeMutableRawPointer(bitPattern: address)) }
    }
}
