import CCudaABI

// The CUDA runtime's allocations. Device memory comes from the real device `cuda:N`
// resolves to, at addresses DeviceShim reserves (pointer arithmetic works on them, and the
// host cannot dereference them, as with a GPU); host kinds are page-aligned host memory.

private var memory: DeviceMemory { CudaCall.runtime.memory }

/// `validArguments`: what the export checked of its own arguments (flags, say); false is
/// `.invalidValue`, recorded like any failure.
private func allocateDevice(_ api: String, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ byteCount: Int,
                            on stream: OpaquePointer? = nil, validArguments: Bool = true) -> Int32 {
    CudaCall.run(api) { () throws(CudaError) -> CallDetails? in
        guard validArguments else { throw .invalidValue }
        let out = try CudaCall.required(out)
        let resolution = try CudaCall.resolve(api: api)
        let device = stream == nil ? resolution.device : try CudaHandles.stream(stream, api: api).device
        out.pointee = byteCount == 0 ? nil : UnsafeMutableRawPointer(bitPattern: try memory.allocateDevice(byteCount, on: device))
        return CudaCall.details(RedirectionRecord(resolution, bytes: byteCount))
    }
}

@_cdecl("cudaMalloc")
public func cudaMalloc(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int) -> Int32 {
    allocateDevice("cudaMalloc", pointer, size)
}

/// The memory is usable at once; stream order matters only for `cudaFreeAsync`.
@_cdecl("cudaMallocAsync")
public func cudaMallocAsync(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int, _ stream: OpaquePointer?) -> Int32 {
    allocateDevice("cudaMallocAsync", pointer, size, on: stream)
}

/// Rows are padded to 512 bytes, the pitch alignment of NVIDIA GPUs.
@_cdecl("cudaMallocPitch")
public func cudaMallocPitch(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ pitch: UnsafeMutablePointer<Int>?,
                            _ width: Int, _ height: Int) -> Int32 {
    let padded = (width + 511) / 512 * 512
    let status = allocateDevice("cudaMallocPitch", pointer, padded * height, validArguments: pitch != nil)
    if status == CudaError.success.rawValue { pitch?.pointee = padded }
    return status
}

/// Frees device or managed memory. Waits for the device's work first (CUDA's `cudaFree`
/// synchronizes), so no queued work can touch the memory once it is reused. NULL is a no-op.
@_cdecl("cudaFree")
public func cudaFree(_ pointer: UnsafeMutableRawPointer?) -> Int32 {
    CudaCall.run("cudaFree") { () throws(CudaError) -> CallDetails? in
        guard let pointer else { return nil }
        let place = try MemoryPlace.of(pointer)
        if place.isManaged {
            let device = try CudaCall.resolve(api: "cudaFree").device
            try CudaError.recordingFailures { () throws(DeviceError) in try StreamGroup.shared(for: device).synchronizeAll() }
            try memory.freeHost(pointer, kinds: [AllocationKind.managed.name])
            return CudaCall.details(RedirectionRecord(api: "", message: "managed memory"))
        }
        guard let allocation = place.deviceAllocation, allocation.address == UInt(bitPattern: pointer),
              let entry = CudaCall.runtime.redirector.registry.entry(allocation.device), let device = entry.compute else {
            throw .invalidValue
        }
        try CudaError.recordingFailures { () throws(DeviceError) in try StreamGroup.shared(for: device).synchronizeAll() }
        try memory.freeDevice(allocation.address)
        return CudaCall.details(RedirectionRecord(api: "", resolved: allocation.device.description, bytes: allocation.byteCount))
    }
}

/// Frees the memory once the stream's work before this call has completed.
@_cdecl("cudaFreeAsync")
public func cudaFreeAsync(_ pointer: UnsafeMutableRawPointer?, _ stream: OpaquePointer?) -> Int32 {
    CudaCall.run("cudaFreeAsync") { () throws(CudaError) -> CallDetails? in
        guard let allocation = try MemoryPlace.of(pointer).deviceAllocation, allocation.address == UInt(bitPattern: pointer) else {
            throw .invalidValue
        }
        let target = try CudaHandles.stream(stream, api: "cudaFreeAsync"), address = allocation.address
        try target.enqueue { queue throws(DeviceError) in try queue.enqueueHostCallback { try? memory.freeDevice(address) } }
        return CudaCall.details(RedirectionRecord(api: "", resolved: allocation.device.description, bytes: allocation.byteCount, stream: target.id))
    }
}

private func allocateHost(_ api: String, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ byteCount: Int,
                          kind: AllocationKind, validArguments: Bool = true) -> Int32 {
    CudaCall.run(api) { () throws(CudaError) -> CallDetails? in
        guard validArguments else { throw .invalidValue }
        let out = try CudaCall.required(out)
        let resolution = try CudaCall.resolve(api: api)
        out.pointee = try memory.allocateHost(byteCount, kind: kind, device: resolution.device.id)
        return CudaCall.details(RedirectionRecord(resolution, bytes: byteCount, message: kind.name))
    }
}

@_cdecl("cudaMallocHost")
public func cudaMallocHost(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int) -> Int32 {
    allocateHost("cudaMallocHost", pointer, size, kind: .pinnedHost)
}

/// Flags: `cudaHostAllocPortable` (1), `Mapped` (2), `WriteCombined` (4); all hold for host
/// memory DeviceShim's backends reach.
@_cdecl("cudaHostAlloc")
public func cudaHostAlloc(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int, _ flags: UInt32) -> Int32 {
    allocateHost("cudaHostAlloc", pointer, size, kind: .pinnedHost, validArguments: flags & ~UInt32(0x7) == 0)
}

/// Flags: `cudaMemAttachGlobal` (1) or `cudaMemAttachHost` (2). The memory lives on the host,
/// where the CPU backend and copies reach it directly.
@_cdecl("cudaMallocManaged")
public func cudaMallocManaged(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int, _ flags: UInt32) -> Int32 {
    allocateHost("cudaMallocManaged", pointer, size, kind: .managed, validArguments: (flags == 1 || flags == 2) && size > 0)
}

/// NULL is a no-op; anything `cudaMallocHost`/`cudaHostAlloc` did not return is `.invalidValue`.
@_cdecl("cudaFreeHost")
public func cudaFreeHost(_ pointer: UnsafeMutableRawPointer?) -> Int32 {
    CudaCall.run("cudaFreeHost") { () throws(CudaError) -> CallDetails? in
        guard let pointer else { return nil }
        try memory.freeHost(pointer, kinds: [AllocationKind.pinnedHost.name, AllocationKind.managed.name])
        return nil
    }
}

/// Flags: `cudaHostRegisterPortable` (1), `Mapped` (2), `IoMemory` (4), `ReadOnly` (8).
@_cdecl("cudaHostRegister")
public func cudaHostRegister(_ pointer: UnsafeMutableRawPointer?, _ size: Int, _ flags: UInt32) -> Int32 {
    CudaCall.run("cudaHostRegister") { () throws(CudaError) -> CallDetails? in
        let pointer = try CudaCall.required(pointer)
        guard flags & ~UInt32(0xf) == 0 else { throw .invalidValue }
        let resolution = try CudaCall.resolve(api: "cudaHostRegister")
        try memory.registerHost(pointer, byteCount: size, device: resolution.device.id)
        return CudaCall.details(RedirectionRecord(resolution, bytes: size))
    }
}

@_cdecl("cudaHostUnregister")
public func cudaHostUnregister(_ pointer: UnsafeMutableRawPointer?) -> Int32 {
    CudaCall.run("cudaHostUnregister") { () throws(CudaError) -> CallDetails? in
        try memory.unregisterHost(try CudaCall.required(pointer))
        return nil
    }
}

/// With unified addressing the device address of mapped host memory is its host address.
@_cdecl("cudaHostGetDevicePointer")
public func cudaHostGetDevicePointer(_ device: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ host: UnsafeMutableRawPointer?,
                                     _ flags: UInt32) -> Int32 {
    CudaCall.run("cudaHostGetDevicePointer") { () throws(CudaError) -> CallDetails? in
        let device = try CudaCall.required(device)
        guard flags == 0, case let .pinnedHost(pointer, _) = try MemoryPlace.of(host) else { throw .invalidValue }
        device.pointee = pointer
        return nil
    }
}

/// `cudaMemoryType`: 0 unregistered host memory, 1 host (pinned or registered), 2 device,
/// 3 managed. `device` is the `cuda:N` the memory belongs to.
@_cdecl("cudaPointerGetAttributes")
public func cudaPointerGetAttributes(_ attributes: UnsafeMutablePointer<ds_cuda_pointer_attributes>?, _ pointer: UnsafeRawPointer?) -> Int32 {
    CudaCall.run("cudaPointerGetAttributes") { () throws(CudaError) -> CallDetails? in
        let attributes = try CudaCall.required(attributes)
        var answer = ds_cuda_pointer_attributes(type: 0, device: -2, devicePointer: nil, hostPointer: nil)
        switch try MemoryPlace.of(pointer) {
        case let .device(place):
            answer.type = 2
            answer.device = cudaIndex(of: place.allocation.device)
            answer.devicePointer = UnsafeMutableRawPointer(mutating: pointer)
        case let .pinnedHost(host, allocation):
            answer.type = allocation.isManaged ? 3 : 1
            answer.device = cudaIndex(of: allocation.device)
            (answer.devicePointer, answer.hostPointer) = (host, host)
        case .pageableHost:
            break
        }
        attributes.pointee = answer
        return CudaCall.details(RedirectionRecord(api: "", message: "memory type \(answer.type)"))
    }
}

/// The first `cuda:N` served by `device` (the allocation's device), or -2 (CUDA's "none").
private func cudaIndex(of device: DeviceID) -> Int32 {
    let runtime = CudaCall.runtime
    for index in 0..<runtime.deviceCount where (try? runtime.resolve(index, api: "cudaPointerGetAttributes", from: .native))?.device.id == device {
        return Int32(index)
    }
    return -2
}

/// Managed memory already lives where the CPU backend and copies reach it, so there is nothing
/// to move; the range and the destination (`cuda:N` or `cudaCpuDeviceId`, -1) are checked.
@_cdecl("cudaMemPrefetchAsync")
public func cudaMemPrefetchAsync(_ pointer: UnsafeRawPointer?, _ count: Int, _ destination: Int32, _ stream: OpaquePointer?) -> Int32 {
    CudaCall.run("cudaMemPrefetchAsync") { () throws(CudaError) -> CallDetails? in
        let place = try MemoryPlace.of(pointer)
        guard place.isManaged else { throw .invalidValue }
        try place.checkHostBytes(count)
        guard destination == -1 || (0..<Int32(CudaCall.runtime.deviceCount)).contains(destination) else { throw .invalidDevice }
        let target = try CudaHandles.stream(stream, api: "cudaMemPrefetchAsync")
        return CudaCall.details(RedirectionRecord(api: "", resolved: target.device.id.description, bytes: count, stream: target.id,
                                                message: "managed memory is host-resident: nothing to move"))
    }
}
