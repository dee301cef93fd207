// The CUDA runtime's event calls. Each is recorded by the Mocks layer (`CudaEvent`) with its
// C name and native caller; here handles become events and statuses become codes.

private func createEvent(_ out: UnsafeMutablePointer<OpaquePointer?>?, flags: UInt32, api: String) -> Int32 {
    CudaCall.mocksRecorded(api) { () throws(CudaError) in
        let out = try CudaCall.required(out)
        let event = try CudaEvent(flags: CudaEventFlags(rawValue: flags), log: .shared, api: api, from: .native)
        out.pointee = CudaHandles.events.insert(event)
    }
}

@_cdecl("cudaEventCreate")
public func cudaEventCreate(_ event: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    createEvent(event, flags: 0, api: "cudaEventCreate")
}

@_cdecl("cudaEventCreateWithFlags")
public func cudaEventCreateWithFlags(_ event: UnsafeMutablePointer<OpaquePointer?>?, _ flags: UInt32) -> Int32 {
    createEvent(event, flags: flags, api: "cudaEventCreateWithFlags")
}

@_cdecl("cudaEventDestroy")
public func cudaEventDestroy(_ event: OpaquePointer?) -> Int32 {
    CudaCall.run("cudaEventDestroy") { () throws(CudaError) -> CallDetails? in
        guard CudaHandles.events.remove(event) != nil else { throw .invalidResourceHandle }
        return nil
    }
}

private func recordEvent(_ event: OpaquePointer?, _ stream: OpaquePointer?, api: String, validFlags: Bool = true) -> Int32 {
    CudaCall.mocksRecorded(api) { () throws(CudaError) in
        guard validFlags else { throw .invalidValue }
        let found = try CudaHandles.event(event)
        try found.record(on: CudaHandles.stream(stream, api: api), api: api, from: .native)
    }
}

@_cdecl("cudaEventRecord")
public func cudaEventRecord(_ event: OpaquePointer?, _ stream: OpaquePointer?) -> Int32 {
    recordEvent(event, stream, api: "cudaEventRecord")
}

/// `flags`: `cudaEventRecordDefault` (0) or `cudaEventRecordExternal` (1, for graphs, which
/// outside a graph capture records as the default does).
@_cdecl("cudaEventRecordWithFlags")
public func cudaEventRecordWithFlags(_ event: OpaquePointer?, _ stream: OpaquePointer?, _ flags: UInt32) -> Int32 {
    recordEvent(event, stream, api: "cudaEventRecordWithFlags", validFlags: flags & ~UInt32(0x1) == 0)
}

/// `cudaErrorNotReady` is an answer, not a failure: it is not recorded as the last error.
@_cdecl("cudaEventQuery")
public func cudaEventQuery(_ event: OpaquePointer?) -> Int32 {
    CudaCall.mocksRecordedQuery("cudaEventQuery", { () throws(CudaError) -> CudaError in
        let status = try CudaHandles.event(event).query(api: "cudaEventQuery", from: .native)
        // The captured work's own failure is a failure, not an answer.
        if status != .success && status != .notReady { throw status }
        return status
    })
}

@_cdecl("cudaEventSynchronize")
public func cudaEventSynchronize(_ event: OpaquePointer?) -> Int32 {
    CudaCall.mocksRecorded("cudaEventSynchronize") { () throws(CudaError) in
        try CudaHandles.event(event).synchronize(api: "cudaEventSynchronize", from: .native)
    }
}

@_cdecl("cudaEventElapsedTime")
public func cudaEventElapsedTime(_ milliseconds: UnsafeMutablePointer<Float>?, _ start: OpaquePointer?, _ end: OpaquePointer?) -> Int32 {
    CudaCall.mocksRecorded("cudaEventElapsedTime") { () throws(CudaError) in
        let milliseconds = try CudaCall.required(milliseconds)
        milliseconds.pointee = try CudaEvent.elapsedMilliseconds(
            from: CudaHandles.event(start), to: CudaHandles.event(end), api: "cudaEventElapsedTime", site: .native)
    }
}
