/// Running one kernel for the tensor engine: on the tensors' device when it has the kernel,
/// else on the policy's fallback device, with the operands staged there and the result
/// brought back (each fallback is a record from the redirector).
extension Tensor {
    /// A new contiguous tensor of `shape` and `outputDType` computed by `kernel` from
    /// `inputs` (all on one device), which runs `op` on `dtype`.
    ///
    /// A kernel that fails to compile, or that the device turns out to lack, disables `op` on
    /// that device for good (a `warn` record) and the call is retried on the next device; a
    /// lost device retires it. Other device errors are thrown as `TensorError.device`.
    static func compute(
        _ op: KernelOp, _ dtype: DType, api: String, inputs: [Tensor], shape: [Int], outputDType: DType,
        _ kernel: (any DeviceQueue, [StridedOperand], StridedOperand) throws(DeviceError) -> Void
    ) throws(TensorError) -> Tensor {
        let home = inputs[0].placement
        while true {
            let executor = try home.executor(for: op, dtype, api: api)
            let isLocal = executor === home
            var operands: [StridedOperand] = []
            operands.reserveCapacity(inputs.count)
            for input in inputs { operands.append(isLocal ? input.operand : try input.moved(to: executor).operand) }
            let output = try uninitialized(shape, dtype: outputDType, on: executor)
            do throws(DeviceError) {
                try kernel(executor.queue, operands, output.operand)
            } catch {
                switch error {
                case .compileFailed, .unsupported:
                    home.engine.redirector.disable(op, dtype, on: executor.device.id, because: error, api: api, from: home.origin)
                    continue
                case .deviceLost:
                    home.engine.redirector.retire(executor.device.id, because: error, api: api, from: home.origin)
                    throw .device(error)
                default:
                    throw home.refused(.device(error), api: api)
                }
            }
            return isLocal ? output : try output.moved(to: home)
        }
    }
}
