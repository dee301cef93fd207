// C entry points of `include/deviceshim.h` that change shape or join tensors: reshape,
// transpose, permute (views of their input where the strides allow), cat and stack.

@_cdecl("deviceshim_tensor_reshape")
public func deviceshim_tensor_reshape(_ handle: UInt64, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                      _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_reshape", handle, out, arguments: "t=\(handle) rank=\(rank)") { tensor throws(TensorCallError) in
        let sizes = try TensorCall.shape(shape, rank: rank, allowsInferred: true)
        return try TensorCall.engine { () throws(TensorError) in try tensor.reshaped(sizes) }
    }
}

@_cdecl("deviceshim_tensor_transpose")
public func deviceshim_tensor_transpose(_ handle: UInt64, _ dim0: Int64, _ dim1: Int64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_transpose", handle, out, arguments: "t=\(handle) dim0=\(dim0) dim1=\(dim1)") {
        tensor throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensor.transposed(Int(dim0), Int(dim1)) }
    }
}

@_cdecl("deviceshim_tensor_permute")
public func deviceshim_tensor_permute(_ handle: UInt64, _ dims: UnsafePointer<Int64>?, _ rank: Int32,
                                      _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_permute", handle, out, arguments: "t=\(handle) rank=\(rank)") { tensor throws(TensorCallError) in
        let order = try TensorCall.integers(dims, count: rank, name: "dims")
        return try TensorCall.engine { () throws(TensorError) in try tensor.permuted(order) }
    }
}

/// The handles of a C array `tensors` of `count` entries, each named by its index.
private func handleList(_ tensors: UnsafePointer<UInt64>?, _ count: Int32, api: String) throws(TensorCallError)
    -> [(handle: UInt64, role: String)] {
    guard count > 0 else { throw .invalidArgument("\(api) needs at least one tensor, count is \(count)") }
    guard let tensors else { throw .invalidArgument("tensors is NULL but count is \(count)") }
    return UnsafeBufferPointer(start: tensors, count: Int(count)).enumerated().map { ($1, "tensors[\($0)]") }
}

/// `body` on the tensors of a C array, for cat and stack.
private func join(_ api: String, _ tensors: UnsafePointer<UInt64>?, _ count: Int32, _ dim: Int64,
                  _ out: UnsafeMutablePointer<UInt64>?, _ body: ([Tensor], Int) throws(TensorError) -> Tensor) -> Int32 {
    let inputs: [(handle: UInt64, role: String)]
    do {
        inputs = try handleList(tensors, count, api: api)
    } catch {
        // Reported as the call's failure, with `*out` cleared as `produce` clears it.
        return TensorCall.produce(api, out, arguments: "count=\(count) dim=\(dim)") { () throws(TensorCallError) in throw error }
    }
    return TensorCall.combine(api, inputs, out, arguments: "tensors=\(inputs.map(\.handle)) dim=\(dim)") {
        tensors throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try body(tensors, Int(dim)) }
    }
}

@_cdecl("deviceshim_tensor_cat")
public func deviceshim_tensor_cat(_ tensors: UnsafePointer<UInt64>?, _ count: Int32, _ dim: Int64,
                                  _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    join("deviceshim_tensor_cat", tensors, count, dim, out) { parts, axis throws(TensorError) in try Tensor.cat(parts, dim: axis) }
}

@_cdecl("deviceshim_tensor_stack")
public func deviceshim_tensor_stack(_ tensors: UnsafePointer<UInt64>?, _ count: Int32, _ dim: Int64,
                                    _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    join("deviceshim_tensor_stack", tensors, count, dim, out) { parts, axis throws(TensorError) in try Tensor.stack(parts, dim: axis) }
}
