import CCudaABI

// The CUDA runtime's stream calls. Each is recorded by the Mocks layer (`CudaStream`) with
// its C name and native caller; here handles become streams and statuses become codes.

private func createStream(_ out: UnsafeMutablePointer<OpaquePointer?>?, flags: UInt32, priority: Int32, api: String) -> Int32 {
    CudaCall.mocksRecorded(api) { () throws(CudaError) in
        let out = try CudaCall.required(out)
        let device = try CudaCall.resolve(api: api).device
        let stream = try CudaStream(on: device, flags: CudaStreamFlags(rawValue: flags), priority: priority, api: api, from: .native)
        out.pointee = CudaHandles.streams.insert(stream)
    }
}

@_cdecl("cudaStreamCreate")
public func cudaStreamCreate(_ stream: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    createStream(stream, flags: 0, priority: 0, api: "cudaStreamCreate")
}

@_cdecl("cudaStreamCreateWithFlags")
public func cudaStreamCreateWithFlags(_ stream: UnsafeMutablePointer<OpaquePointer?>?, _ flags: UInt32) -> Int32 {
    createStream(stream, flags: flags, priority: 0, api: "cudaStreamCreateWithFlags")
}

@_cdecl("cudaStreamCreateWithPriority")
public func cudaStreamCreateWithPriority(_ stream: UnsafeMutablePointer<OpaquePointer?>?, _ flags: UInt32, _ priority: Int32) -> Int32 {
    createStream(stream, flags: flags, priority: priority, api: "cudaStreamCreateWithPriority")
}

/// Destroying a stream with pending work returns at once; the work still runs (`CudaStream`).
@_cdecl("cudaStreamDestroy")
public func cudaStreamDestroy(_ stream: OpaquePointer?) -> Int32 {
    CudaCall.run("cudaStreamDestroy") { () throws(CudaError) -> CallDetails? in
        guard let removed = CudaHandles.streams.remove(stream) else { throw .invalidResourceHandle }
        return CudaCall.details(RedirectionRecord(api: "", resolved: removed.device.id.description, stream: removed.id))
    }
}

@_cdecl("cudaStreamSynchronize")
public func cudaStreamSynchronize(_ stream: OpaquePointer?) -> Int32 {
    CudaCall.mocksRecorded("cudaStreamSynchronize") { () throws(CudaError) in
        try CudaHandles.stream(stream, api: "cudaStreamSynchronize").synchronize(api: "cudaStreamSynchronize", from: .native)
    }
}

/// `cudaErrorNotReady` is an answer, not a failure: it is not recorded as the last error.
@_cdecl("cudaStreamQuery")
public func cudaStreamQuery(_ stream: OpaquePointer?) -> Int32 {
    CudaCall.mocksRecordedQuery("cudaStreamQuery", { () throws(CudaError) -> CudaError in
        try CudaHandles.stream(stream, api: "cudaStreamQuery").query(api: "cudaStreamQuery", from: .native)
    })
}

@_cdecl("cudaStreamWaitEvent")
public func cudaStreamWaitEvent(_ stream: OpaquePointer?, _ event: OpaquePointer?, _ flags: UInt32) -> Int32 {
    CudaCall.mocksRecorded("cudaStreamWaitEvent") { () throws(CudaError) in
        guard flags & ~UInt32(0x1) == 0 else { throw .invalidValue }  // cudaEventWaitDefault, cudaEventWaitExternal
        let target = try CudaHandles.stream(stream, api: "cudaStreamWaitEvent")
        try target.wait(for: CudaHandles.event(event), api: "cudaStreamWaitEvent", from: .native)
    }
}

@_cdecl("cudaLaunchHostFunc")
public func cudaLaunchHostFunc(_ stream: OpaquePointer?, _ function: ds_cuda_host_fn?, _ userData: UnsafeMutableRawPointer?) -> Int32 {
    CudaCall.mocksRecorded("cudaLaunchHostFunc") { () throws(CudaError) in
        let function = try CudaCall.required(function), data = userData.map(HostAddress.init)
        try CudaHandles.stream(stream, api: "cudaLaunchHostFunc")
            .launchHostFunction({ function(data?.pointer) }, api: "cudaLaunchHostFunc", from: .native)
    }
}

/// `flags` must be 0, as CUDA's documentation says.
@_cdecl("cudaStreamAddCallback")
public func cudaStreamAddCallback(
    _ stream: OpaquePointer?, _ callback: ds_cuda_stream_callback?, _ userData: UnsafeMutableRawPointer?, _ flags: UInt32
) -> Int32 {
    CudaCall.mocksRecorded("cudaStreamAddCallback") { () throws(CudaError) in
        let callback = try CudaCall.required(callback), data = userData.map(HostAddress.init)
        guard flags == 0 else { throw .invalidValue }
        try CudaHandles.stream(stream, api: "cudaStreamAddCallback").addCallback({ stream, status in
            callback(UnsafeMutableRawPointer(CudaHandles.handle(of: stream)), status.rawValue, data?.pointer)
        }, api: "cudaStreamAddCallback", from: .native)
    }
}

@_cdecl("cudaStreamGetFlags")
public func cudaStreamGetFlags(_ stream: OpaquePointer?, _ flags: UnsafeMutablePointer<UInt32>?) -> Int32 {
    CudaCall.run("cudaStreamGetFlags") { () throws(CudaError) -> CallDetails? in
        let flags = try CudaCall.required(flags)
        let found = try CudaHandles.stream(stream, api: "cudaStreamGetFlags")
        flags.pointee = found.flags.rawValue
        return CudaCall.details(RedirectionRecord(api: "", resolved: found.device.id.description, stream: found.id))
    }
}

@_cdecl("cudaStreamGetPriority")
public func cudaStreamGetPriority(_ stream: OpaquePointer?, _ priority: UnsafeMutablePointer<Int32>?) -> Int32 {
    CudaCall.run("cudaStreamGetPriority") { () throws(CudaError) -> CallDetails? in
        let priority = try CudaCall.required(priority)
        let found = try CudaHandles.stream(stream, api: "cudaStreamGetPriority")
        priority.pointee = found.priority
        return CudaCall.details(RedirectionRecord(api: "", resolved: found.device.id.description, stream: found.id))
    }
}
