// The CUDA runtime's copies and fills. The synchronous forms run on the legacy default
// stream and wait; the async forms run on the stream given (see `MemoryTransfers`).

private func copyRecord(_ stream: CudaStream, bytes: Int, _ message: String) -> RedirectionRecord {
    RedirectionRecord(api: "", resolved: stream.device.id.description, bytes: bytes, stream: stream.id, message: message)
}

/// A copy is first offered to `MemoryTransfers.copyNow`, which does the common case (host
/// bytes, an idle stream, logging quiet) with none of the full path's steps; everything
/// else, and every error, takes the full path.
func runtimeCopy(_ api: String, _ destination: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?, _ count: Int,
                  _ kind: Int32, _ stream: OpaquePointer?, waits: Bool) -> Int32 {
    if MemoryTransfers.copyNow(to: destination, from: source, count: count, kind: kind, on: stream) {
        return CudaError.success.rawValue
    }
    return CudaCall.run(api) { () throws(CudaError) -> CallDetails? in
        try CudaHandles.withStream(stream, api: api) { target throws(CudaError) -> CallDetails? in
            let direction = try MemoryTransfers.copy(to: destination, from: source, count: count, kind: kind, on: target, waits: waits)
            return CudaCall.details(copyRecord(target, bytes: count, "\(direction)"))
        }
    }
}

@_cdecl("cudaMemcpy")
public func cudaMemcpy(_ destination: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?, _ count: Int, _ kind: Int32) -> Int32 {
    runtimeCopy("cudaMemcpy", destination, source, count, kind, nil, waits: true)
}

@_cdecl("cudaMemcpyAsync")
public func cudaMemcpyAsync(_ destination: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?, _ count: Int, _ kind: Int32,
                            _ stream: OpaquePointer?) -> Int32 {
    runtimeCopy("cudaMemcpyAsync", destination, source, count, kind, stream, waits: false)
}

func runtimeCopy2D(_ api: String, _ destination: UnsafeMutableRawPointer?, _ destinationPitch: Int, _ source: UnsafeRawPointer?,
                    _ sourcePitch: Int, _ width: Int, _ height: Int, _ kind: Int32, _ stream: OpaquePointer?, waits: Bool) -> Int32 {
    CudaCall.run(api) { () throws(CudaError) -> CallDetails? in
        let target = try CudaHandles.stream(stream, api: api)
        try MemoryTransfers.copy2D(to: destination, pitch: destinationPitch, from: source, pitch: sourcePitch,
                                   width: width, height: height, kind: kind, on: target, waits: waits)
        return CudaCall.details(copyRecord(target, bytes: width * height, "\(height) rows of \(width) B"))
    }
}

@_cdecl("cudaMemcpy2D")
public func cudaMemcpy2D(_ destination: UnsafeMutableRawPointer?, _ destinationPitch: Int, _ source: UnsafeRawPointer?,
                         _ sourcePitch: Int, _ width: Int, _ height: Int, _ kind: Int32) -> Int32 {
    runtimeCopy2D("cudaMemcpy2D", destination, destinationPitch, source, sourcePitch, width, height, kind, nil, waits: true)
}

@_cdecl("cudaMemcpy2DAsync")
public func cudaMemcpy2DAsync(_ destination: UnsafeMutableRawPointer?, _ destinationPitch: Int, _ source: UnsafeRawPointer?,
                              _ sourcePitch: Int, _ width: Int, _ height: Int, _ kind: Int32, _ stream: OpaquePointer?) -> Int32 {
    runtimeCopy2D("cudaMemcpy2DAsync", destination, destinationPitch, source, sourcePitch, width, height, kind, stream, waits: false)
}

func runtimeFill(_ api: String, _ destination: UnsafeMutableRawPointer?, pitch: Int, _ value: Int32, width: Int, height: Int,
                  _ stream: OpaquePointer?) -> Int32 {
    CudaCall.run(api) { () throws(CudaError) -> CallDetails? in
        guard width <= pitch || height <= 1 else { throw .invalidPitchValue }
        let target = try CudaHandles.stream(stream, api: api)
        if width > 0, height > 0, let destination {
            try MemoryTransfers.checkRows(from: destination, pitch: pitch, width: width, height: height, in: MemoryPlace.of(destination))
            for row in 0..<height { try MemoryTransfers.fill(destination + row * pitch, value: value, count: width, on: target) }
        } else {
            _ = try MemoryPlace.of(destination)
        }
        return CudaCall.details(copyRecord(target, bytes: width * height, "value \(value & 0xff)"))
    }
}

/// Asynchronous with respect to the host, as CUDA documents for device memory.
@_cdecl("cudaMemset")
public func cudaMemset(_ destination: UnsafeMutableRawPointer?, _ value: Int32, _ count: Int) -> Int32 {
    runtimeFill("cudaMemset", destination, pitch: count, value, width: count, height: 1, nil)
}

@_cdecl("cudaMemsetAsync")
public func cudaMemsetAsync(_ destination: UnsafeMutableRawPointer?, _ value: Int32, _ count: Int, _ stream: OpaquePointer?) -> Int32 {
    runtimeFill("cudaMemsetAsync", destination, pitch: count, value, width: count, height: 1, stream)
}

@_cdecl("cudaMemset2D")
public func cudaMemset2D(_ destination: UnsafeMutableRawPointer?, _ pitch: Int, _ value: Int32, _ width: Int, _ height: Int) -> Int32 {
    runtimeFill("cudaMemset2D", destination, pitch: pitch, value, width: width, height: height, nil)
}

@_cdecl("cudaMemset2DAsync")
public func cudaMemset2DAsync(_ destination: UnsafeMutableRawPointer?, _ pitch: Int, _ value: Int32, _ width: Int, _ height: Int,
                              _ stream: OpaquePointer?) -> Int32 {
    runtimeFill("cudaMemset2DAsync", destination, pitch: pitch, value, width: width, height: height, stream)
}
