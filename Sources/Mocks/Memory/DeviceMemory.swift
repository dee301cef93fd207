#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Device, pinned-host and managed memory as CUDA hands it out: addresses on which pointer
/// arithmetic works (`PointerRegistry`), exact per-device accounting (`MemoryStatistics`),
/// and a cache of freed device blocks by size for reuse, released by `emptyCache`, as
/// PyTorch's caching allocator does.
public final class DeviceMemory: Sendable {
    public static let shared = DeviceMemory()

    /// Device blocks are rounded up to this (as PyTorch's allocator rounds).
    public static let blockGranularity = 512

    public let registry = PointerRegistry()
    private let addresses = AddressSpace()
    private let state = Mutex<[DeviceID: DeviceState]>([:])

    private struct CachedBlock {
        let buffer: any DeviceBuffer
        let range: Range<UInt>
    }

    private struct DeviceState {
        var statistics = MemoryStatistics()
        var cache: [Int: [CachedBlock]] = [:]
    }

    public init() {}

    /// Allocates `byteCount` bytes of device memory on `device` and returns its address
    /// (256-byte aligned). A freed block of the same rounded size is reused first.
    public func allocateDevice(_ byteCount: Int, on device: any ComputeDevice) throws(CudaError) -> UInt {
        guard byteCount >= 0 else { throw .invalidValue }
        guard let addresses else { throw .memoryAllocation }
        let blockSize = DeviceMemory.rounded(byteCount)
        let reused = state.withLock { $0[device.id, default: DeviceState()].cache[blockSize]?.popLast() }
        let block: CachedBlock
        if let reused {
            block = reused
        } else {
            let buffer: any DeviceBuffer
            do {
                buffer = try device.allocate(byteCount: blockSize)
            } catch {
                state.withLock { $0[device.id, default: DeviceState()].statistics.outOfMemoryCount += 1 }
                throw .memoryAllocation
            }
            guard let range = addresses.take(blockSize) else { throw .memoryAllocation }
            block = CachedBlock(buffer: buffer, range: range)
            state.withLock { $0[device.id, default: DeviceState()].statistics.reservedBytes.add(blockSize) }
        }
        registry.insert(Allocation(address: block.range.lowerBound, byteCount: byteCount, kind: .device(block.buffer), device: device.id))
        state.withLock { devices in
            devices[device.id, default: DeviceState()].statistics.allocatedBytes.add(byteCount)
            devices[device.id, default: DeviceState()].statistics.allocations.add(1)
        }
        return block.range.lowerBound
    }

    /// Frees device memory at the address `allocateDevice` returned. Anything else — a
    /// pointer into an allocation, a host pointer, one already freed — is `invalidValue`,
    /// as `cudaFree` says, and nothing is touched.
    public func freeDevice(_ address: UInt) throws(CudaError) {
        guard let allocation = registry.resolve(address), allocation.offset == 0,
              case let .device(buffer) = allocation.allocation.kind,
              let removed = registry.remove(startingAt: address) else { throw .invalidValue }
        let blockSize = DeviceMemory.rounded(removed.byteCount)
        let range = address..<(address + AddressSpace.length(for: blockSize))
        state.withLock { devices in
            devices[removed.device, default: DeviceState()].statistics.allocatedBytes.remove(removed.byteCount)
            devices[removed.device, default: DeviceState()].statistics.allocations.remove(1)
            devices[removed.device, default: DeviceState()].cache[blockSize, default: []].append(CachedBlock(buffer: buffer, range: range))
        }
    }

    /// Releases the cached blocks of `device` (all devices if nil) back to the device.
    public func emptyCache(_ device: DeviceID? = nil) {
        let released: [CachedBlock] = state.withLock { devices in
            var released: [CachedBlock] = []
            for id in devices.keys where device == nil || id == device {
                for (size, blocks) in devices[id]!.cache {
                    devices[id]!.statistics.reservedBytes.remove(size * blocks.count)
                    released += blocks
                }
                devices[id]!.cache = [:]
            }
            return released
        }
        for block in released { addresses?.give(back: block.range) }
    }

    /// Allocates host memory of `kind` (`pinnedHost` or `managed`), page-aligned.
    public func allocateHost(_ byteCount: Int, kind: AllocationKind, device: DeviceID) throws(CudaError) -> UnsafeMutableRawPointer {
        guard byteCount >= 0 else { throw .invalidValue }
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, Int(sysconf(Int32(_SC_PAGESIZE))), max(byteCount, 1)) == 0, let memory else {
            throw .memoryAllocation
        }
        registry.insert(Allocation(address: UInt(bitPattern: memory), byteCount: byteCount, kind: kind, device: device))
        return memory
    }

    /// Frees host memory `allocateHost` returned with one of `kinds`; anything else is `invalidValue`.
    public func freeHost(_ pointer: UnsafeMutableRawPointer, kinds: Set<String>) throws(CudaError) {
        let address = UInt(bitPattern: pointer)
        guard let found = registry.resolve(address), found.offset == 0, kinds.contains(found.allocation.kind.name),
              registry.remove(startingAt: address) != nil else { throw .invalidValue }
        Glibc.free(pointer)
    }

    /// Registers program memory as pinned (`cudaHostRegister`).
    public func registerHost(_ pointer: UnsafeMutableRawPointer, byteCount: Int, device: DeviceID) throws(CudaError) {
        guard byteCount > 0 else { throw .invalidValue }
        let address = UInt(bitPattern: pointer)
        if registry.resolve(address) != nil || registry.resolve(address + UInt(byteCount) - 1) != nil {
            throw .hostMemoryAlreadyRegistered
        }
        registry.insert(Allocation(address: address, byteCount: byteCount, kind: .registeredHost, device: device))
    }

    /// Unregisters memory `registerHost` registered (`cudaHostUnregister`).
    public func unregisterHost(_ pointer: UnsafeMutableRawPointer) throws(CudaError) {
        let address = UInt(bitPattern: pointer)
        guard let found = registry.resolve(address), found.offset == 0, case .registeredHost = found.allocation.kind,
              registry.remove(startingAt: address) != nil else { throw .hostMemoryNotRegistered }
    }

    /// DeviceShim's device address range (allocated or not); empty when none was reserved.
    public var deviceRange: Range<UInt> { addresses.map { $0.base..<($0.base + $0.size) } ?? 0..<0 }

    public func statistics(_ device: DeviceID) -> MemoryStatistics {
        state.withLock { $0[device]?.statistics ?? MemoryStatistics() }
    }

    public func resetPeakStatistics(_ device: DeviceID) {
        state.withLock { $0[device, default: DeviceState()].statistics.resetPeaks() }
    }

    static func rounded(_ byteCount: Int) -> Int {
        max(1, (byteCount + blockGranularity - 1) / blockGranularity) * blockGranularity
    }
}
