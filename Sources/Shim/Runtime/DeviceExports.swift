import CCudaABI
import Synchronization

// The CUDA runtime's device calls, answered by the real device each `cuda:N` resolves to.

/// The CUDA version DeviceShim's ABI follows (CUDA 12.9's headers), reported as both the
/// runtime and the driver version so programs built for CUDA 12 accept it.
let emulatedCudaVersion: Int32 = 12090

/// `cudaSetDeviceFlags` values per `cuda:N` (CUDA keeps them per primary context).
private let deviceFlags = Mutex<[Int: UInt32]>([:])
/// Every flag `cudaSetDeviceFlags` accepts: the schedule modes (0–4), `cudaDeviceMapHost`
/// (0x08), `cudaDeviceLmemResizeToMax` (0x10) and `cudaDeviceSyncMemops` (0x80).
private let validDeviceFlags: UInt32 = 0x07 | 0x08 | 0x10 | 0x80

@_cdecl("cudaGetDeviceCount")
public func cudaGetDeviceCount(_ count: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaGetDeviceCount") { () throws(CudaError) -> CallDetails? in
        let count = try CudaCall.required(count)
        let devices = CudaCall.runtime.deviceCount
        count.pointee = Int32(devices)
        guard devices > 0 else { throw .noDevice }
        return CudaCall.details(RedirectionRecord(api: "", requested: "cuda", message: "\(devices) device(s)"))
    }
}

@_cdecl("cudaGetDevice")
public func cudaGetDevice(_ device: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaGetDevice") { () throws(CudaError) -> CallDetails? in
        try CudaCall.required(device).pointee = Int32(CudaCall.runtime.currentDevice)
        return nil
    }
}

@_cdecl("cudaSetDevice")
public func cudaSetDevice(_ device: Int32) -> Int32 {
    CudaCall.mocksRecorded("cudaSetDevice") { () throws(CudaError) in
        try CudaCall.runtime.setDevice(Int(device), api: "cudaSetDevice", from: .native)
    }
}

/// The catalog records the call (with the emulated values the first time).
private func getProperties(_ properties: UnsafeMutablePointer<ds_cuda_device_prop>?, _ device: Int32, api: String) -> Int32 {
    CudaCall.mocksRecorded(api) { () throws(CudaError) in
        let out = try CudaCall.required(properties)
        let answer = try CudaError.recordingFailures { () throws(DeviceError) in
            try CudaCall.runtime.catalog.properties(ofDevice: Int(device), api: api, from: .native)
        }
        out.pointee = ds_cuda_device_prop(answer)
    }
}

@_cdecl("cudaGetDeviceProperties_v2")
public func cudaGetDeviceProperties_v2(_ properties: UnsafeMutablePointer<ds_cuda_device_prop>?, _ device: Int32) -> Int32 {
    getProperties(properties, device, api: "cudaGetDeviceProperties_v2")
}

/// The unversioned name, for binaries built against headers before CUDA 12.
@_cdecl("cudaGetDeviceProperties")
public func cudaGetDeviceProperties(_ properties: UnsafeMutablePointer<ds_cuda_device_prop>?, _ device: Int32) -> Int32 {
    getProperties(properties, device, api: "cudaGetDeviceProperties")
}

/// The catalog records the call; an attribute CUDA reserves is `.invalidValue`.
@_cdecl("cudaDeviceGetAttribute")
public func cudaDeviceGetAttribute(_ value: UnsafeMutablePointer<Int32>?, _ attribute: Int32, _ device: Int32) -> Int32 {
    CudaCall.mocksRecorded("cudaDeviceGetAttribute") { () throws(CudaError) in
        let value = try CudaCall.required(value)
        guard let known = CudaDeviceAttribute(rawValue: attribute) else { throw .invalidValue }
        let answer = try CudaError.recordingFailures { () throws(DeviceError) in
            try CudaCall.runtime.catalog.attribute(known, ofDevice: Int(device), from: .native)
        }
        guard let answer else { throw .invalidValue }
        value.pointee = answer.value
    }
}

@_cdecl("cudaDeviceSynchronize")
public func cudaDeviceSynchronize() -> Int32 {
    CudaCall.run("cudaDeviceSynchronize") { () throws(CudaError) -> CallDetails? in
        let resolution = try CudaCall.resolve(api: "cudaDeviceSynchronize")
        try CudaError.recordingFailures { () throws(DeviceError) in try StreamGroup.shared(for: resolution.device).synchronizeAll() }
        return CudaCall.details(RedirectionRecord(resolution))
    }
}

/// Waits for the device's work, then frees every allocation the program made on it, returns
/// the cached blocks, and ends the handles of its streams; the thread's last error is cleared.
@_cdecl("cudaDeviceReset")
public func cudaDeviceReset() -> Int32 {
    CudaCall.run("cudaDeviceReset") { () throws(CudaError) -> CallDetails? in
        let resolution = try CudaCall.resolve(api: "cudaDeviceReset")
        let device = resolution.device
        try? StreamGroup.shared(for: device).synchronizeAll()
        let memory = CudaCall.runtime.memory
        var freed = 0
        for allocation in memory.registry.allocations where allocation.device == device.id {
            if case .device = allocation.kind, (try? memory.freeDevice(allocation.address)) != nil { freed += allocation.byteCount }
        }
        memory.emptyCache(device.id)
        CudaHandles.streams.removeAll { $0.device === device }
        _ = CudaLastError.get()
        return CudaCall.details(RedirectionRecord(resolution, bytes: freed))
    }
}

@_cdecl("cudaDriverGetVersion")
public func cudaDriverGetVersion(_ version: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaDriverGetVersion") { () throws(CudaError) -> CallDetails? in
        try CudaCall.required(version).pointee = emulatedCudaVersion
        return CudaCall.details(RedirectionRecord(api: "", message: "emulated \(emulatedCudaVersion)"))
    }
}

@_cdecl("cudaRuntimeGetVersion")
public func cudaRuntimeGetVersion(_ version: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaRuntimeGetVersion") { () throws(CudaError) -> CallDetails? in
        try CudaCall.required(version).pointee = emulatedCudaVersion
        return CudaCall.details(RedirectionRecord(api: "", message: "emulated \(emulatedCudaVersion)"))
    }
}

/// Total is the device's memory; free is what its driver reports free, or else the total less
/// what DeviceShim holds on it.
@_cdecl("cudaMemGetInfo")
public func cudaMemGetInfo(_ free: UnsafeMutablePointer<Int>?, _ total: UnsafeMutablePointer<Int>?) -> Int32 {
    CudaCall.run("cudaMemGetInfo") { () throws(CudaError) -> CallDetails? in
        let (free, total) = (try CudaCall.required(free), try CudaCall.required(total))
        let resolution = try CudaCall.resolve(api: "cudaMemGetInfo")
        let capacity = Int(clamping: resolution.entry.properties.memoryBytes)
        let held = CudaCall.runtime.memory.statistics(resolution.device.id).reservedBytes.current
        total.pointee = capacity
        free.pointee = resolution.device.freeMemoryBytes.map { Int(clamping: $0) } ?? max(0, capacity - held)
        return CudaCall.details(RedirectionRecord(resolution, bytes: free.pointee))
    }
}

/// No pair can: peer access lets kernels of one device read another's memory, and DeviceShim
/// runs no device code. Copies between devices work all the same.
@_cdecl("cudaDeviceCanAccessPeer")
public func cudaDeviceCanAccessPeer(_ canAccess: UnsafeMutablePointer<Int32>?, _ device: Int32, _ peer: Int32) -> Int32 {
    CudaCall.run("cudaDeviceCanAccessPeer") { () throws(CudaError) -> CallDetails? in
        let canAccess = try CudaCall.required(canAccess)
        let count = CudaCall.runtime.deviceCount
        guard (0..<count).contains(Int(device)), (0..<count).contains(Int(peer)) else { throw .invalidDevice }
        canAccess.pointee = 0
        return CudaCall.details(RedirectionRecord(api: "", requested: "cuda:\(device)", message: "peer cuda:\(peer): no"))
    }
}

/// The device whose compute capability is closest to the one asked for (all devices share
/// the emulated capability, so the first device unless the program set another).
@_cdecl("cudaChooseDevice")
public func cudaChooseDevice(_ device: UnsafeMutablePointer<Int32>?, _ properties: UnsafePointer<ds_cuda_device_prop>?) -> Int32 {
    CudaCall.run("cudaChooseDevice") { () throws(CudaError) -> CallDetails? in
        let device = try CudaCall.required(device)
        _ = try CudaCall.required(properties)
        guard CudaCall.runtime.deviceCount > 0 else { throw .noDevice }
        device.pointee = Int32(CudaCall.runtime.currentDevice)
        return nil
    }
}

@_cdecl("cudaSetDeviceFlags")
public func cudaSetDeviceFlags(_ flags: UInt32) -> Int32 {
    CudaCall.run("cudaSetDeviceFlags") { () throws(CudaError) -> CallDetails? in
        guard flags & ~validDeviceFlags == 0, flags & 0x07 != 0x03, flags & 0x07 <= 0x04 else { throw .invalidValue }
        let index = CudaCall.runtime.currentDevice
        deviceFlags.withLock { $0[index] = flags }
        return CudaCall.details(RedirectionRecord(api: "", requested: "cuda:\(index)", message: "flags 0x\(String(flags, radix: 16))"))
    }
}

/// The flags set, with `cudaDeviceMapHost` always on, as CUDA 12 reports it.
@_cdecl("cudaGetDeviceFlags")
public func cudaGetDeviceFlags(_ flags: UnsafeMutablePointer<UInt32>?) -> Int32 {
    CudaCall.run("cudaGetDeviceFlags") { () throws(CudaError) -> CallDetails? in
        let index = CudaCall.runtime.currentDevice
        try CudaCall.required(flags).pointee = (deviceFlags.withLock { $0[index] } ?? 0) | 0x08
        return nil
    }
}

/// Either pointer may be NULL, as CUDA allows.
@_cdecl("cudaDeviceGetStreamPriorityRange")
public func cudaDeviceGetStreamPriorityRange(_ least: UnsafeMutablePointer<Int32>?, _ greatest: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaDeviceGetStreamPriorityRange") { () throws(CudaError) -> CallDetails? in
        least?.pointee = CudaStreamPriority.least
        greatest?.pointee = CudaStreamPriority.greatest
        return nil
    }
}
