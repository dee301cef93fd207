// C entry points of `include/deviceshim.h` that set the policy and make and free tensors.
// Each is one record naming its native caller (TensorCall); the tensor engine's own records
// of where a device string went name that caller too when the log shows them.

@_cdecl("deviceshim_set_policy")
public func deviceshim_set_policy(_ text: UnsafePointer<CChar>?) -> Int32 {
    let policyText = text.map { String(cString: $0) }
    return TensorCall.run("deviceshim_set_policy", arguments: "policy=\(policyText.map { "\"\($0)\"" } ?? "NULL")") {
        () throws(TensorCallError) -> CallDetails? in
        guard let policyText else { throw .invalidArgument("policy_text is NULL") }
        guard !policyText.trimmingWhitespace().isEmpty else {
            TensorCall.handles.use(nil)
            let policy = TensorEngine.shared.redirector.policy
            return { RedirectionRecord(api: "", message: "the process's policy again: \(policy)") }
        }
        let policy: RedirectPolicy
        do {
            policy = try RedirectPolicy(parsing: policyText, source: "deviceshim_set_policy").layered(over: .default)
        } catch {
            throw .invalidArgument("\(error); the policy stays as it was")
        }
        let visible = Redirector.shared.visibleCudaDevices
        TensorCall.handles.use(TensorEngine(redirector: Redirector(policy: policy, visibleCudaDevices: visible), recordsFailures: false))
        return { RedirectionRecord(api: "", message: "policy \(policy)") }
    }
}

@_cdecl("deviceshim_tensor_from_data")
public func deviceshim_tensor_from_data(_ data: UnsafeRawPointer?, _ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                        _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_from_data", out, arguments: "dtype=\(dtype) rank=\(rank)") { () throws(TensorCallError) in
        let (type, sizes, request) = (try TensorCall.dtype(dtype), try TensorCall.shape(shape, rank: rank),
                                      try TensorCall.string(device, name: "device"))
        let byteCount = sizes.reduce(1, *) * type.byteSize
        guard data != nil || byteCount == 0 else { throw .invalidArgument("data is NULL but shape \(sizes) has elements") }
        let engine = TensorCall.handles.engine, site = TensorCall.site()
        let bytes = UnsafeRawBufferPointer(start: byteCount == 0 ? nil : data, count: byteCount)
        let tensor = try TensorCall.engine { () throws(TensorError) in
            try Tensor.fromBytes(bytes, shape: sizes, dtype: type, device: request, engine: engine,
                                 fileID: site.fileID, line: site.line, function: site.function)
        }
        return TensorHandles.Entry(tensor: tensor, engine: engine)
    }
}

/// A filled tensor for `deviceshim_tensor_zeros`, `_ones` and `_full`.
private func filled(_ api: String, _ value: TensorScalar, _ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                    _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce(api, out, arguments: "value=\(value) dtype=\(dtype) rank=\(rank)") { () throws(TensorCallError) in
        let (type, sizes, request) = (try TensorCall.dtype(dtype), try TensorCall.shape(shape, rank: rank),
                                      try TensorCall.string(device, name: "device"))
        let engine = TensorCall.handles.engine, site = TensorCall.site()
        let tensor = try TensorCall.engine { () throws(TensorError) in
            try Tensor.full(sizes, value, dtype: type, device: request, engine: engine,
                            fileID: site.fileID, line: site.line, function: site.function)
        }
        return TensorHandles.Entry(tensor: tensor, engine: engine)
    }
}

@_cdecl("deviceshim_tensor_zeros")
public func deviceshim_tensor_zeros(_ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                    _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    filled("deviceshim_tensor_zeros", 0, dtype, shape, rank, device, out)
}

@_cdecl("deviceshim_tensor_ones")
public func deviceshim_tensor_ones(_ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                   _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    filled("deviceshim_tensor_ones", 1, dtype, shape, rank, device, out)
}

@_cdecl("deviceshim_tensor_full")
public func deviceshim_tensor_full(_ value: Double, _ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                   _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    filled("deviceshim_tensor_full", .float(value), dtype, shape, rank, device, out)
}

@_cdecl("deviceshim_tensor_arange")
public func deviceshim_tensor_arange(_ start: Double, _ end: Double, _ step: Double, _ dtype: Int32,
                                     _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_arange", out, arguments: "start=\(start) end=\(end) step=\(step) dtype=\(dtype)") {
        () throws(TensorCallError) in
        let (type, request) = (try TensorCall.dtype(dtype), try TensorCall.string(device, name: "device"))
        // The engine rejects a zero or non-finite step itself; a count past memory is caught here.
        if step != 0, [start, end, step].allSatisfy(\.isFinite) {
            try TensorCall.checkHostStaging(Swift.max(((end - start) / step).rounded(.up), 0), api: "arange")
        }
        let engine = TensorCall.handles.engine, site = TensorCall.site()
        let tensor = try TensorCall.engine { () throws(TensorError) in
            try Tensor.arange(.float(start), .float(end), step: .float(step), dtype: type, device: request, engine: engine,
                              fileID: site.fileID, line: site.line, function: site.function)
        }
        return TensorHandles.Entry(tensor: tensor, engine: engine)
    }
}

@_cdecl("deviceshim_tensor_rand")
public func deviceshim_tensor_rand(_ seed: UInt64, _ dtype: Int32, _ shape: UnsafePointer<Int64>?, _ rank: Int32,
                                   _ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UInt64>?) -> Int32 {
    TensorCall.produce("deviceshim_tensor_rand", out, arguments: "seed=\(seed) dtype=\(dtype) rank=\(rank)") {
        () throws(TensorCallError) in
        let (type, sizes, request) = (try TensorCall.dtype(dtype), try TensorCall.shape(shape, rank: rank),
                                      try TensorCall.string(device, name: "device"))
        try TensorCall.checkHostStaging(Double(sizes.reduce(1, *)), api: "rand")
        let engine = TensorCall.handles.engine, site = TensorCall.site()
        let tensor = try TensorCall.engine { () throws(TensorError) in
            try Tensor.rand(sizes, dtype: type, generator: RandomGenerator(seed: seed), device: request, engine: engine,
                            fileID: site.fileID, line: site.line, function: site.function)
        }
        return TensorHandles.Entry(tensor: tensor, engine: engine)
    }
}

@_cdecl("deviceshim_tensor_free")
public func deviceshim_tensor_free(_ handle: UInt64) -> Int32 {
    TensorCall.run("deviceshim_tensor_free", arguments: "t=\(handle)") { () throws(TensorCallError) -> CallDetails? in
        guard handle != 0 else { return { RedirectionRecord(api: "", message: "tensor 0: nothing to free") } }
        let tensor = try TensorCall.handles.remove(handle).tensor
        return { RedirectionRecord(api: "", requested: tensor.requestedDevice.description, resolved: tensor.device.description,
                                   bytes: tensor.byteCount, message: "tensor \(handle)") }
    }
}
