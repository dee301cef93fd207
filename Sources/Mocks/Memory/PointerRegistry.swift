import Synchronization

/// What DeviceShim allocated at an address.
public enum AllocationKind: Sendable {
    /// Device memory (`cudaMalloc`, `cudaMallocPitch`, `cudaMallocAsync`) in a buffer of a real device.
    case device(any DeviceBuffer)
    /// Page-locked host memory DeviceShim allocated (`cudaMallocHost`, `cudaHostAlloc`).
    case pinnedHost
    /// Host memory the program registered (`cudaHostRegister`).
    case registeredHost
    /// Memory both host and device reach (`cudaMallocManaged`), held in host memory.
    case managed

    public var name: String {
        switch self {
        case .device: "device"
        case .pinnedHost: "pinned host"
        case .registeredHost: "registered host"
        case .managed: "managed"
        }
    }
}

/// One allocation in the registry.
public struct Allocation: Sendable {
    /// The address handed out (for host kinds, the host address).
    public let address: UInt
    public let byteCount: Int
    public let kind: AllocationKind
    /// The device it belongs to (for host kinds, the device current when it was made).
    public let device: DeviceID
    /// Where the host reaches the allocation's first byte: the address itself for host kinds,
    /// the buffer's `hostAddress` for device memory the host addresses (0 if it cannot).
    @usableFromInline let hostAddress: UInt

    init(address: UInt, byteCount: Int, kind: AllocationKind, device: DeviceID) {
        (self.address, self.byteCount, self.kind, self.device) = (address, byteCount, kind, device)
        hostAddress = switch kind {
        case let .device(buffer): UInt(bitPattern: buffer.hostAddress)
        case .pinnedHost, .registeredHost, .managed: address
        }
    }
}

/// Where the host reaches the bytes at a pointer a copy names, as `PointerRegistry.hostBytes`
/// finds them.
public struct HostBytes {
    public let address: UnsafeMutableRawPointer
    /// Inside device memory.
    public let isDevice: Bool
    /// Inside managed memory (`cudaMallocManaged`).
    public let isManaged: Bool

    @inlinable init(address: UnsafeMutableRawPointer, isDevice: Bool, isManaged: Bool) {
        (self.address, self.isDevice, self.isManaged) = (address, isDevice, isManaged)
    }
}

/// An allocation's bounds and owner as plain values, which cost no reference counting to pass
/// around: what a caller of `PointerRegistry.locate` keeps besides the buffer.
public struct AllocationExtent: Sendable {
    /// The address handed out (for host kinds, the host address).
    public let address: UInt
    public let byteCount: Int
    /// The device it belongs to (for host kinds, the device current when it was made).
    public let device: DeviceID
    /// Managed memory (`cudaMallocManaged`).
    public let isManaged: Bool

    @inlinable init(address: UInt, byteCount: Int, device: DeviceID, isManaged: Bool) {
        (self.address, self.byteCount, self.device, self.isManaged) = (address, byteCount, device, isManaged)
    }
}

/// An address inside an allocation, as `PointerRegistry.locate` finds it.
public struct LocatedAddress: Sendable {
    public let extent: AllocationExtent
    /// The allocation's buffer, for device memory.
    public let buffer: (any DeviceBuffer)?
    /// The address's offset from the allocation's start.
    public let offset: Int

    @inlinable init(extent: AllocationExtent, buffer: (any DeviceBuffer)?, offset: Int) {
        (self.extent, self.buffer, self.offset) = (extent, buffer, offset)
    }
}

/// Every address DeviceShim handed out, for resolving any address inside an allocation to
/// (allocation, offset) in O(log n). An address DeviceShim did not hand out resolves to nil
/// and is never dereferenced.
public final class PointerRegistry: Sendable {
    @usableFromInline let sorted = Mutex<[Allocation]>([])

    public init() {}

    func insert(_ allocation: Allocation) {
        sorted.withLock { allocations in
            allocations.insert(allocation, at: PointerRegistry.insertionIndex(allocation.address, in: allocations))
        }
    }

    /// Removes the allocation that starts exactly at `address` (nil if none does: a pointer
    /// into the middle of an allocation, a foreign pointer, or one already freed).
    func remove(startingAt address: UInt) -> Allocation? {
        sorted.withLock { allocations in
            let index = PointerRegistry.insertionIndex(address, in: allocations)
            guard index < allocations.count, allocations[index].address == address else { return nil }
            return allocations.remove(at: index)
        }
    }

    /// The allocation containing `address`, and the offset of `address` in it. A zero-byte
    /// allocation contains only its own address.
    public func resolve(_ address: UInt) -> (allocation: Allocation, offset: Int)? {
        sorted.withLock { allocations in
            guard let index = PointerRegistry.index(containing: address, in: allocations) else { return nil }
            return (allocations[index], Int(address - allocations[index].address))
        }
    }

    /// `resolve(address)` as a copy needs it: only the buffer is retained.
    public func locate(_ address: UInt) -> LocatedAddress? {
        sorted.withLock { PointerRegistry.locate(address, in: $0) }
    }

    /// `locate` for both pointers of a copy, under one acquisition of the lock. Inlinable, so
    /// that a copy whose own steps are inlined too (`MemoryTransfers.copy`) receives the two
    /// results without copying them out of a call.
    @inlinable public func locate(_ first: UInt, _ second: UInt) -> (LocatedAddress?, LocatedAddress?) {
        sorted.withLock { (PointerRegistry.locate(first, in: $0), PointerRegistry.locate(second, in: $0)) }
    }

    @inlinable
    static func locate(_ address: UInt, in allocations: [Allocation]) -> LocatedAddress? {
        guard let index = index(containing: address, in: allocations) else { return nil }
        let offset = Int(address - allocations[index].address)
        let buffer: (any DeviceBuffer)?, isManaged: Bool
        switch allocations[index].kind {
        case let .device(deviceBuffer): (buffer, isManaged) = (deviceBuffer, false)
        case .managed: (buffer, isManaged) = (nil, true)
        case .pinnedHost, .registeredHost: (buffer, isManaged) = (nil, false)
        }
        let extent = AllocationExtent(address: allocations[index].address, byteCount: allocations[index].byteCount,
                                      device: allocations[index].device, isManaged: isManaged)
        return LocatedAddress(extent: extent, buffer: buffer, offset: offset)
    }

    /// Where the host reaches the `count` bytes at each of a copy's two pointers, under one
    /// acquisition of the lock; nil unless both are host memory or inside device memory the
    /// host addresses, with all `count` bytes inside their allocation. Addresses in
    /// `deviceRange` that no allocation holds are nil too: the caller's full path reports them.
    /// The device buffers come retained (`keeping`), for the caller to release after the copy.
    @inlinable public func hostBytes(_ first: UInt, _ second: UInt, count: Int, deviceRange: Range<UInt>)
        -> (HostBytes, HostBytes, keeping: (Unmanaged<AnyObject>?, Unmanaged<AnyObject>?))? {
        sorted.withLock { allocations in
            guard let (one, oneBuffer) = PointerRegistry.hostBytes(first, count: count, in: allocations, deviceRange: deviceRange),
                  let (other, otherBuffer) = PointerRegistry.hostBytes(second, count: count, in: allocations,
                                                                       deviceRange: deviceRange)
            else { return nil }
            return (one, other, (oneBuffer.map { Unmanaged.passRetained($0) }, otherBuffer.map { Unmanaged.passRetained($0) }))
        }
    }

    @inlinable @inline(__always)
    static func hostBytes(_ address: UInt, count: Int, in allocations: [Allocation], deviceRange: Range<UInt>)
        -> (HostBytes, buffer: AnyObject?)? {
        guard let index = index(containing: address, in: allocations) else {
            guard !deviceRange.contains(address), let host = UnsafeMutableRawPointer(bitPattern: address) else { return nil }
            return (HostBytes(address: host, isDevice: false, isManaged: false), nil)
        }
        let offset = address - allocations[index].address
        guard allocations[index].hostAddress != 0, UInt(count) <= UInt(allocations[index].byteCount) - offset,
              let host = UnsafeMutableRawPointer(bitPattern: allocations[index].hostAddress + offset) else { return nil }
        switch allocations[index].kind {
        case let .device(buffer): return (HostBytes(address: host, isDevice: true, isManaged: false), buffer)
        case .managed: return (HostBytes(address: host, isDevice: false, isManaged: true), nil)
        case .pinnedHost, .registeredHost: return (HostBytes(address: host, isDevice: false, isManaged: false), nil)
        }
    }

    /// Every allocation, in address order.
    public var allocations: [Allocation] { sorted.withLock { $0 } }

    /// The index of the allocation containing `address`, if any. A zero-byte allocation
    /// contains only its own address. The last address a pointer can hold is in none: the
    /// search starts past it, wrapping to 0, where a plain `+` would trap on a program's
    /// bad pointer.
    @inlinable @inline(__always)
    static func index(containing address: UInt, in allocations: [Allocation]) -> Int? {
        let index = insertionIndex(address &+ 1, in: allocations) - 1
        guard index >= 0, address - allocations[index].address < UInt(max(allocations[index].byteCount, 1)) else { return nil }
        return index
    }

    /// The first index whose allocation starts at or after `address` (binary search).
    @inlinable static func insertionIndex(_ address: UInt, in allocations: [Allocation]) -> Int {
        var low = 0, high = allocations.count
        while low < high {
            let middle = (low + high) / 2
            if allocations[middle].address < address { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
