extension OpenCLQueue {
    public func gemm(_ operation: GemmOperation) throws(DeviceError) {
        try requireSupport(.gemm, operation.dtype)
        throw .unsupported(device: owner.id, op: .gemm, dtype: operation.dtype)
    }
}
