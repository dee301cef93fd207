import CCudaABI

// The `_ptsz` / `_ptds` forms that NVIDIA's headers call when a program is built with
// `--default-stream per-thread` (CUDA_API_PER_THREAD_DEFAULT_STREAM): the same calls, except
// that stream 0 (and, for the forms without a stream, the implicit stream) is the calling
// thread's default stream instead of the legacy one. Records carry the plain API name and
// the per-thread stream's id.

/// `stream`, with 0 read as `cudaStreamPerThread`.
private func perThread(_ stream: OpaquePointer?) -> OpaquePointer? {
    stream ?? OpaquePointer(bitPattern: CudaHandles.perThreadStream)
}

private var perThreadStream: OpaquePointer? { OpaquePointer(bitPattern: CudaHandles.perThreadStream) }

@_cdecl("cudaMemcpy_ptds")
public func cudaMemcpy_ptds(_ destination: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?, _ count: Int, _ kind: Int32) -> Int32 {
    runtimeCopy("cudaMemcpy", destination, source, count, kind, perThreadStream, waits: true)
}

@_cdecl("cudaMemcpy2D_ptds")
public func cudaMemcpy2D_ptds(_ destination: UnsafeMutableRawPointer?, _ destinationPitch: Int, _ source: UnsafeRawPointer?,
                              _ sourcePitch: Int, _ width: Int, _ height: Int, _ kind: Int32) -> Int32 {
    runtimeCopy2D("cudaMemcpy2D", destination, destinationPitch, source, sourcePitch, width, height, kind, perThreadStream, waits: true)
}

@_cdecl("cudaMemset_ptds")
public func cudaMemset_ptds(_ destination: UnsafeMutableRawPointer?, _ value: Int32, _ count: Int) -> Int32 {
    runtimeFill("cudaMemset", destination, pitch: count, value, width: count, height: 1, perThreadStream)
}

@_cdecl("cudaMemset2D_ptds")
public func cudaMemset2D_ptds(_ destination: UnsafeMutableRawPointer?, _ pitch: Int, _ value: Int32, _ width: Int, _ height: Int) -> Int32 {
    runtimeFill("cudaMemset2D", destination, pitch: pitch, value, width: width, height: height, perThreadStream)
}

@_cdecl("cudaMemcpyAsync_ptsz")
public func cudaMemcpyAsync_ptsz(_ destination: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?, _ count: Int, _ kind: Int32,
                                 _ stream: OpaquePointer?) -> Int32 {
    cudaMemcpyAsync(destination, source, count, kind, perThread(stream))
}

@_cdecl("cudaMemcpy2DAsync_ptsz")
public func cudaMemcpy2DAsync_ptsz(_ destination: UnsafeMutableRawPointer?, _ destinationPitch: Int, _ source: UnsafeRawPointer?,
                                   _ sourcePitch: Int, _ width: Int, _ height: Int, _ kind: Int32, _ stream: OpaquePointer?) -> Int32 {
    cudaMemcpy2DAsync(destination, destinationPitch, source, sourcePitch, width, height, kind, perThread(stream))
}

@_cdecl("cudaMemsetAsync_ptsz")
public func cudaMemsetAsync_ptsz(_ destination: UnsafeMutableRawPointer?, _ value: Int32, _ count: Int, _ stream: OpaquePointer?) -> Int32 {
    cudaMemsetAsync(destination, value, count, perThread(stream))
}

@_cdecl("cudaMemset2DAsync_ptsz")
public func cudaMemset2DAsync_ptsz(_ destination: UnsafeMutableRawPointer?, _ pitch: Int, _ value: Int32, _ width: Int, _ height: Int,
                                   _ stream: OpaquePointer?) -> Int32 {
    cudaMemset2DAsync(destination, pitch, value, width, height, perThread(stream))
}

@_cdecl("cudaStreamQuery_ptsz")
public func cudaStreamQuery_ptsz(_ stream: OpaquePointer?) -> Int32 { cudaStreamQuery(perThread(stream)) }

@_cdecl("cudaStreamSynchronize_ptsz")
public func cudaStreamSynchronize_ptsz(_ stream: OpaquePointer?) -> Int32 { cudaStreamSynchronize(perThread(stream)) }

@_cdecl("cudaStreamGetFlags_ptsz")
public func cudaStreamGetFlags_ptsz(_ stream: OpaquePointer?, _ flags: UnsafeMutablePointer<UInt32>?) -> Int32 {
    cudaStreamGetFlags(perThread(stream), flags)
}

@_cdecl("cudaStreamGetPriority_ptsz")
public func cudaStreamGetPriority_ptsz(_ stream: OpaquePointer?, _ priority: UnsafeMutablePointer<Int32>?) -> Int32 {
    cudaStreamGetPriority(perThread(stream), priority)
}

@_cdecl("cudaStreamWaitEvent_ptsz")
public func cudaStreamWaitEvent_ptsz(_ stream: OpaquePointer?, _ event: OpaquePointer?, _ flags: UInt32) -> Int32 {
    cudaStreamWaitEvent(perThread(stream), event, flags)
}

@_cdecl("cudaStreamAddCallback_ptsz")
public func cudaStreamAddCallback_ptsz(_ stream: OpaquePointer?, _ callback: ds_cuda_stream_callback?,
                                       _ userData: UnsafeMutableRawPointer?, _ flags: UInt32) -> Int32 {
    cudaStreamAddCallback(perThread(stream), callback, userData, flags)
}

@_cdecl("cudaLaunchHostFunc_ptsz")
public func cudaLaunchHostFunc_ptsz(_ stream: OpaquePointer?, _ function: ds_cuda_host_fn?, _ userData: UnsafeMutableRawPointer?) -> Int32 {
    cudaLaunchHostFunc(perThread(stream), function, userData)
}

@_cdecl("cudaEventRecord_ptsz")
public func cudaEventRecord_ptsz(_ event: OpaquePointer?, _ stream: OpaquePointer?) -> Int32 {
    cudaEventRecord(event, perThread(stream))
}

@_cdecl("cudaEventRecordWithFlags_ptsz")
public func cudaEventRecordWithFlags_ptsz(_ event: OpaquePointer?, _ stream: OpaquePointer?, _ flags: UInt32) -> Int32 {
    cudaEventRecordWithFlags(event, perThread(stream), flags)
}

@_cdecl("cudaMallocAsync_ptsz")
public func cudaMallocAsync_ptsz(_ pointer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ size: Int, _ stream: OpaquePointer?) -> Int32 {
    cudaMallocAsync(pointer, size, perThread(stream))
}

@_cdecl("cudaFreeAsync_ptsz")
public func cudaFreeAsync_ptsz(_ pointer: UnsafeMutableRawPointer?, _ stream: OpaquePointer?) -> Int32 {
    cudaFreeAsync(pointer, perThread(stream))
}

@_cdecl("cudaMemPrefetchAsync_ptsz")
public func cudaMemPrefetchAsync_ptsz(_ pointer: UnsafeRawPointer?, _ count: Int, _ destination: Int32, _ stream: OpaquePointer?) -> Int32 {
    cudaMemPrefetchAsync(pointer, count, destination, perThread(stream))
}
