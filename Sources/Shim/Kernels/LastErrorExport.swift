// TEMPORARY, de-duplicate at merge: `cudaGetLastError` belongs with the runtime exports
// (Sources/Shim/Runtime), which were not written when the kernel-launch exports were. It is
// here so that a program checking its launches (`kernel<<<...>>>(); cudaGetLastError()`)
// reaches DeviceShim rather than NVIDIA's library. When the runtime's own export lands, delete
// this file.

@_cdecl("cudaGetLastError")
public func cudaGetLastError() -> Int32 {
    let error = CudaLastError.get()
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(api: "cudaGetLastError", status: error.name))
    return error.rawValue
}
