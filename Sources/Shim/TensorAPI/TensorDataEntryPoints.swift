#if canImport(Glibc)
import Glibc
#endif

// C entry points of `include/deviceshim.h` that read a tensor's metadata, copy its elements
// between host memory and the device, and move or convert it.

/// Runs `body` on the tensor behind `handle` for a metadata query.
private func query(_ api: String, _ handle: UInt64, _ body: (Tensor) throws(TensorCallError) -> Void) -> Int32 {
    TensorCall.run(api, arguments: "t=\(handle)") { () throws(TensorCallError) -> CallDetails? in
        try body(TensorCall.handles.entry(handle, role: "t").tensor)
        return nil
    }
}

@_cdecl("deviceshim_tensor_dtype")
public func deviceshim_tensor_dtype(_ handle: UInt64, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    query("deviceshim_tensor_dtype", handle) { tensor throws(TensorCallError) in
        try TensorCall.required(out, name: "out").pointee = TensorCall.code(of: tensor.dtype)
    }
}

@_cdecl("deviceshim_tensor_rank")
public func deviceshim_tensor_rank(_ handle: UInt64, _ out: UnsafeMutablePointer<Int32>?) -> Int32 {
    query("deviceshim_tensor_rank", handle) { tensor throws(TensorCallError) in
        try TensorCall.required(out, name: "out").pointee = Int32(tensor.rank)
    }
}

@_cdecl("deviceshim_tensor_shape")
public func deviceshim_tensor_shape(_ handle: UInt64, _ shape: UnsafeMutablePointer<Int64>?, _ capacity: Int32) -> Int32 {
    query("deviceshim_tensor_shape", handle) { tensor throws(TensorCallError) in
        guard capacity >= tensor.rank else {
            throw .invalidArgument("the tensor has rank \(tensor.rank) but shape has room for \(capacity) sizes")
        }
        guard tensor.rank > 0 else { return }
        let destination = try TensorCall.required(shape, name: "shape")
        for (index, size) in tensor.shape.enumerated() { destination[index] = Int64(size) }
    }
}

@_cdecl("deviceshim_tensor_numel")
public func deviceshim_tensor_numel(_ handle: UInt64, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    query("deviceshim_tensor_numel", handle) { tensor throws(TensorCallError) in
        try TensorCall.required(out, name: "out").pointee = Int64(tensor.count)
    }
}

@_cdecl("deviceshim_tensor_nbytes")
public func deviceshim_tensor_nbytes(_ handle: UInt64, _ out: UnsafeMutablePointer<UInt>?) -> Int32 {
    query("deviceshim_tensor_nbytes", handle) { tensor throws(TensorCallError) in
        try TensorCall.required(out, name: "out").pointee = UInt(tensor.byteCount)
    }
}

/// Writes `text` and its NUL into `buffer` of `size` bytes, which must hold them.
private func copyString(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, size: UInt) throws(TensorCallError) {
    let destination = try TensorCall.required(buffer, name: "buffer")
    let utf8 = Array(text.utf8)
    guard size > UInt(utf8.count) else {
        throw .invalidArgument("\"\(text)\" needs \(utf8.count + 1) bytes with its NUL, the buffer has \(size)")
    }
    for (index, byte) in utf8.enumerated() { destination[index] = CChar(bitPattern: byte) }
    destination[utf8.count] = 0
}

@_cdecl("deviceshim_tensor_requested_device")
public func deviceshim_tensor_requested_device(_ handle: UInt64, _ buffer: UnsafeMutablePointer<CChar>?, _ size: UInt) -> Int32 {
    query("deviceshim_tensor_requested_device", handle) { tensor throws(TensorCallError) in
        try copyString(tensor.requestedDevice.description, to: buffer, size: size)
    }
}

@_cdecl("deviceshim_tensor_device")
public func deviceshim_tensor_device(_ handle: UInt64, _ buffer: UnsafeMutablePointer<CChar>?, _ size: UInt) -> Int32 {
    query("deviceshim_tensor_device", handle) { tensor throws(TensorCallError) in
        try copyString(tensor.device.description, to: buffer, size: size)
    }
}

/// The byte count a copy names must be the tensor's exactly, and the memory not NULL; returns it.
private func checkCopy(_ tensor: Tensor, _ pointer: UnsafeRawPointer?, _ bytes: UInt, _ name: String) throws(TensorCallError) -> Int {
    guard bytes == UInt(tensor.byteCount) else {
        throw .invalidArgument("the tensor holds \(tensor.byteCount) bytes (\(tensor.count) × \(tensor.dtype) of shape "
            + "\(tensor.shape)), but bytes is \(bytes)")
    }
    guard pointer != nil || bytes == 0 else { throw .invalidArgument("\(name) is NULL") }
    return tensor.byteCount
}

/// The success record of a copy between `tensor` (handle `handle`) and the host.
private func copyRecord(_ tensor: Tensor, _ handle: UInt64) -> CallDetails {
    { RedirectionRecord(api: "", requested: tensor.requestedDevice.description, resolved: tensor.device.description,
                        bytes: tensor.byteCount, message: "tensor \(handle)") }
}

@_cdecl("deviceshim_tensor_copy_to_host")
public func deviceshim_tensor_copy_to_host(_ handle: UInt64, _ destination: UnsafeMutableRawPointer?, _ bytes: UInt) -> Int32 {
    TensorCall.run("deviceshim_tensor_copy_to_host", arguments: "t=\(handle) bytes=\(bytes)") { () throws(TensorCallError) -> CallDetails? in
        let tensor = try TensorCall.handles.entry(handle, role: "t").tensor
        let count = try checkCopy(tensor, destination, bytes, "dst")
        try TensorCall.engine { () throws(TensorError) in
            try tensor.copyBytes(to: UnsafeMutableRawBufferPointer(start: count == 0 ? nil : destination, count: count))
        }
        return copyRecord(tensor, handle)
    }
}

@_cdecl("deviceshim_tensor_copy_from_host")
public func deviceshim_tensor_copy_from_host(_ handle: UInt64, _ source: UnsafeRawPointer?, _ bytes: UInt) -> Int32 {
    TensorCall.run("deviceshim_tensor_copy_from_host", arguments: "t=\(handle) bytes=\(bytes)") { () throws(TensorCallError) -> CallDetails? in
        let tensor = try TensorCall.handles.entry(handle, role: "t").tensor
        let count = try checkCopy(tensor, source, bytes, "src")
        try TensorCall.engine { () throws(TensorError) in
            try tensor.copyBytes(from: UnsafeRawBufferPointer(start: count == 0 ? nil : source, count: count))
        }
        return copyRecord(tensor, handle)
    }
}

@_cdecl("deviceshim_tensor_to")
public func deviceshim_tensor_to(_ handle: UInt64, _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_to", out, arguments: "t=\(handle)") { () throws(TensorCallError) in
        let entry = try TensorCall.handles.entry(handle, role: "t")
        let request = try TensorCall.string(device, name: "device")
        let engine = TensorCall.handles.engine, site = TensorCall.site()
        let tensor = entry.tensor
        let moved = try TensorCall.engine { () throws(TensorError) in
            if entry.engine === engine {
                return try tensor.to(request, fileID: site.fileID, line: site.line, function: site.function)
            }
            // Made under an earlier policy: through the host, onto the device the policy now names.
            let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(tensor.byteCount, 1), alignment: 16)
            defer { staging.deallocate() }
            let bytes = UnsafeMutableRawBufferPointer(rebasing: staging[0..<tensor.byteCount])
            try tensor.copyBytes(to: bytes)
            return try Tensor.fromBytes(UnsafeRawBufferPointer(bytes), shape: tensor.shape, dtype: tensor.dtype, device: request,
                                        engine: engine, fileID: site.fileID, line: site.line, function: site.function)
        }
        return TensorHandles.Entry(tensor: moved, engine: engine)
    }
}

@_cdecl("deviceshim_tensor_to_dtype")
public func deviceshim_tensor_to_dtype(_ handle: UInt64, _ dtype: Int32, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_to_dtype", out, arguments: "t=\(handle) dtype=\(dtype)") { () throws(TensorCallError) in
        let entry = try TensorCall.handles.entry(handle, role: "t")
        let type = try TensorCall.dtype(dtype)
        let tensor = entry.tensor
        return TensorHandles.Entry(tensor: try TensorCall.engine { () throws(TensorError) in try tensor.converted(to: type) },
                                   engine: entry.engine)
    }
}

@_cdecl("deviceshim_tensor_contiguous")
public func deviceshim_tensor_contiguous(_ handle: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_contiguous", out, arguments: "t=\(handle)") { () throws(TensorCallError) in
        let entry = try TensorCall.handles.entry(handle, role: "t")
        let tensor = entry.tensor
        return TensorHandles.Entry(tensor: try TensorCall.engine { () throws(TensorError) in try tensor.contiguous() },
                                   engine: entry.engine)
    }
}
