/// Moving tensors between devices: `.to("cuda:1")`, `.cuda()`, `.mps()`, `.cpu()`, as in
/// PyTorch. Each call resolves the request through the redirector and is a `debug` record
/// naming the Swift caller's file and line (the first decision for a request is `info`).
extension Tensor {
    /// This tensor on `device`: itself when it is already there, else a copy that shares
    /// nothing with it (even when both requests resolve to one real device, as the program
    /// expects two devices' tensors to be independent).
    public func to(
        _ device: String, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try moved(to: Tensor.placement(device, api: "Tensor.to", placement.engine, fileID, line, function))
    }

    /// This tensor on `cuda:index` (or the current CUDA device), wherever the policy sends it.
    public func cuda(
        _ index: Int? = nil, fileID: String = #fileID, line: Int = #line, function: String = #function
    ) throws(TensorError) -> Tensor {
        try to(index.map { "cuda:\($0)" } ?? "cuda", fileID: fileID, line: line, function: function)
    }

    /// This tensor on `mps`, wherever the policy sends it.
    public func mps(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(TensorError) -> Tensor {
        try to("mps", fileID: fileID, line: line, function: function)
    }

    /// This tensor on the CPU.
    public func cpu(fileID: String = #fileID, line: Int = #line, function: String = #function) throws(TensorError) -> Tensor {
        try to("cpu", fileID: fileID, line: line, function: function)
    }
}
