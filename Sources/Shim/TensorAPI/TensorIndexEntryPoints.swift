// C entry points of `include/deviceshim.h` that index and sort: gather, scatter (and
// scatter_add) and argsort. Each returns a new tensor in `*out`, under the policy its inputs
// were made under.

@_cdecl("deviceshim_tensor_gather")
public func deviceshim_tensor_gather(_ handle: UInt64, _ dim: Int64, _ index: UInt64, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.combine("deviceshim_tensor_gather", [(handle, "t"), (index, "index")], out,
                       arguments: "t=\(handle) dim=\(dim) index=\(index)") { tensors throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensors[0].gather(dim: Int(dim), index: tensors[1]) }
    }
}

@_cdecl("deviceshim_tensor_scatter")
public func deviceshim_tensor_scatter(_ handle: UInt64, _ dim: Int64, _ index: UInt64, _ source: UInt64, _ add: Int32,
                                      _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.combine("deviceshim_tensor_scatter", [(handle, "t"), (index, "index"), (source, "src")], out,
                       arguments: "t=\(handle) dim=\(dim) index=\(index) src=\(source) add=\(add)") { tensors throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in
            try tensors[0].scatter(dim: Int(dim), index: tensors[1], source: tensors[2], add: add != 0)
        }
    }
}

@_cdecl("deviceshim_tensor_argsort")
public func deviceshim_tensor_argsort(_ handle: UInt64, _ dim: Int64, _ descending: Int32,
                                      _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.derive("deviceshim_tensor_argsort", handle, out, arguments: "t=\(handle) dim=\(dim) descending=\(descending)") {
        tensor throws(TensorCallError) in
        try TensorCall.engine { () throws(TensorError) in try tensor.argsort(dim: Int(dim), descending: descending != 0) }
    }
}
