#if canImport(Glibc)
import Glibc
#endif

/// Where a pointer a program passes to a memory call lives, found in the pointer registry
/// (O(log n)); DeviceShim never dereferences a pointer it cannot place. A place holds a device
/// buffer once (in its region) and its allocation as plain values, so that placing the two
/// pointers of a copy costs one lock and one retain per device pointer.
enum MemoryPlace {
    /// Inside a device allocation.
    case device(DevicePlace)
    /// Host memory DeviceShim knows: pinned (`cudaMallocHost`), registered, or managed.
    case pinnedHost(UnsafeMutableRawPointer, allocation: AllocationExtent)
    /// Any other host memory (pageable).
    case pageableHost(UnsafeMutableRawPointer)

    /// The place of `pointer`. NULL, and addresses in DeviceShim's device range that no live
    /// allocation holds (freed, or made up), are `.invalidValue`.
    static func of(_ pointer: UnsafeRawPointer?) throws(CudaError) -> MemoryPlace {
        guard let pointer else { throw .invalidValue }
        return try place(pointer, registry.locate(UInt(bitPattern: pointer)))
    }

    /// The places of a copy's two pointers, found under one lock of the registry. Inlined,
    /// with the registry's lookup, into the copy (see `MemoryTransfers.copy`).
    @inline(__always)
    static func of(_ first: UnsafeRawPointer?, _ second: UnsafeRawPointer?) throws(CudaError) -> (MemoryPlace, MemoryPlace) {
        guard let first, let second else { throw .invalidValue }
        let (one, other) = registry.locate(UInt(bitPattern: first), UInt(bitPattern: second))
        return (try place(first, consume one), try place(second, consume other))
    }

    @inline(__always)
    private static func place(_ pointer: UnsafeRawPointer, _ located: consuming LocatedAddress?) throws(CudaError) -> MemoryPlace {
        guard let located else {
            if deviceRange.contains(UInt(bitPattern: pointer)) { throw .invalidValue }
            return .pageableHost(UnsafeMutableRawPointer(mutating: pointer))
        }
        let allocation = located.extent, offset = located.offset
        guard let buffer = located.buffer else {
            return .pinnedHost(UnsafeMutableRawPointer(mutating: pointer), allocation: allocation)
        }
        return .device(DevicePlace(region: BufferRegion(buffer, offset: offset, byteCount: allocation.byteCount - offset),
                                   allocation: allocation))
    }

    /// The process's memory, its pointer registry and device range, held here so that placing
    /// a pointer, which every copy does twice, reads them without going through the runtime
    /// each time (`MemoryTransfers.copyNow` reads them too).
    private static let memory = CudaCall.runtime.memory
    static let registry = memory.registry
    static let deviceRange = memory.deviceRange

    /// The allocation of a device place.
    var deviceAllocation: AllocationExtent? {
        if case let .device(place) = self { place.allocation } else { nil }
    }

    /// Whether `self` lies in the memory `other` does: the same allocation, or both in
    /// pageable host memory.
    func isInSameMemory(as other: MemoryPlace) -> Bool {
        switch (self, other) {
        case let (.device(one), .device(another)): one.allocation.address == another.allocation.address
        case let (.pinnedHost(_, one), .pinnedHost(_, another)): one.address == another.address
        case (.pageableHost, .pageableHost): true
        default: false
        }
    }

    var isDevice: Bool {
        if case .device = self { true } else { false }
    }

    /// Managed memory (`cudaMallocManaged`), which host and device both reach, so copies to and
    /// from it may name any direction.
    var isManaged: Bool {
        if case let .pinnedHost(_, allocation) = self { allocation.isManaged } else { false }
    }

    /// Pageable host memory: CUDA's async copies to and from it return only when the host side
    /// is done with it, so DeviceShim completes them before returning.
    var isPageable: Bool {
        if case .pageableHost = self { true } else { false }
    }

    /// The first `byteCount` bytes from the pointer on the device, or `.invalidValue` when they
    /// run past the allocation's end. It takes the place, whose buffer moves into the region.
    consuming func deviceRegion(_ byteCount: Int) throws(CudaError) -> BufferRegion? {
        switch consume self {
        case let .device(place): try place.region(byteCount)
        case .pinnedHost, .pageableHost: nil
        }
    }

    /// For DeviceShim's host memory: whether `byteCount` bytes from the pointer stay inside its
    /// allocation (`.invalidValue` if not). Other places have nothing to check against.
    func checkHostBytes(_ byteCount: Int) throws(CudaError) {
        guard case let .pinnedHost(pointer, allocation) = self else { return }
        guard UInt(bitPattern: pointer) - allocation.address + UInt(max(byteCount, 0)) <= UInt(allocation.byteCount) else {
            throw .invalidValue
        }
    }

    /// The host address, for host places.
    var hostPointer: UnsafeMutableRawPointer? {
        switch self {
        case .device: nil
        case let .pinnedHost(pointer, _), let .pageableHost(pointer): pointer
        }
    }
}

/// A pointer into a device allocation.
struct DevicePlace {
    /// From the pointer to the allocation's end.
    var region: BufferRegion
    let allocation: AllocationExtent

    /// The first `byteCount` bytes from the pointer, or `.invalidValue` when they run past the
    /// allocation's end.
    consuming func region(_ byteCount: Int) throws(CudaError) -> BufferRegion {
        guard byteCount <= region.byteCount else { throw .invalidValue }
        region.byteCount = byteCount
        return region
    }
}

/// `cudaMemcpyKind`.
enum CopyKind: Int32 {
    case hostToHost = 0, hostToDevice, deviceToHost, deviceToDevice
    /// `cudaMemcpyDefault`: the direction is inferred from the pointers (unified addressing).
    case inferred

    /// `kind` as CUDA defines it, or `.invalidMemcpyDirection`.
    init(validating kind: Int32) throws(CudaError) {
        guard let known = CopyKind(rawValue: kind) else { throw .invalidMemcpyDirection }
        self = known
    }

    /// Whether the places agree with the direction the program named (`.invalidValue` if not).
    @inline(__always)
    func check(source: MemoryPlace, destination: MemoryPlace) throws(CudaError) {
        if !agrees(source: (source.isDevice, source.isManaged), destination: (destination.isDevice, destination.isManaged)) {
            throw .invalidValue
        }
    }

    /// Whether places that are (on the device, managed) agree with the direction.
    @inline(__always)
    func agrees(source: (isDevice: Bool, isManaged: Bool), destination: (isDevice: Bool, isManaged: Bool)) -> Bool {
        let expected: (source: Bool, destination: Bool)? = switch self {
        case .hostToHost: (false, false)
        case .hostToDevice: (false, true)
        case .deviceToHost: (true, false)
        case .deviceToDevice: (true, true)
        case .inferred: nil
        }
        guard let expected else { return true }
        return (source.isManaged || expected.source == source.isDevice)
            && (destination.isManaged || expected.destination == destination.isDevice)
    }
}
