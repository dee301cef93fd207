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
}

/// Every address DeviceShim handed out, for resolving any address inside an allocation to
/// (allocation, offset) in O(log n). An address DeviceShim did not hand out resolves to nil
/// and is never dereferenced.
public final class PointerRegistry: Sendable {
    private let sorted = Mutex<[Allocation]>([])

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
            let index = PointerRegistry.insertionIndex(address + 1, in: allocations) - 1
            guard index >= 0 else { return nil }
            let allocation = allocations[index]
            let offset = Int(address - allocation.address)
            guard offset < max(allocation.byteCount, 1) else { return nil }
            return (allocation, offset)
        }
    }

    /// Every allocation, in address order.
    public var allocations: [Allocation] { sorted.withLock { $0 } }

    /// The first index whose allocation starts at or after `address` (binary search).
    private static func insertionIndex(_ address: UInt, in allocations: [Allocation]) -> Int {
        var low = 0, high = allocations.count
        while low < high {
            let middle = (low + high) / 2
            if allocations[middle].address < address { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
