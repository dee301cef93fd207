/// `select` and `gather` on OpenCL: the shared operand checks (`SelectionChecks`) and the
/// queue's buffer checks, then one kernel of the selection program for the element width
/// (`OpenCLSelectionSource`), launched as the element-wise kernels are.
extension OpenCLQueue {
    /// `output = condition ? whenTrue : whenFalse`, element by element; throws
    /// `invalidArgument` for operands that do not fit together, `unsupported` for float64
    /// without `cl_khr_fp64`.
    public func select(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                       output: StridedOperand) throws(DeviceError) {
        try requireSupport(.select, output.dtype)
        try StridedOperand.checkSelect(condition: condition, whenTrue: whenTrue, whenFalse: whenFalse, output: output)
        let outputBuffer = try OpenCLValidation.buffer(output.buffer, role: "output", on: owner)
        let conditionBuffer = try OpenCLValidation.buffer(condition.buffer, role: "condition", on: owner)
        let whenTrueBuffer = try OpenCLValidation.buffer(whenTrue.buffer, role: "value where true", on: owner)
        let whenFalseBuffer = try OpenCLValidation.buffer(whenFalse.buffer, role: "value where false", on: owner)
        let width = output.dtype.byteSize
        try runElementwise(OpenCLSelectionSource.programName(width: width), kernel: "select", output: (outputBuffer, output),
                           inputs: [(conditionBuffer, condition), (whenTrueBuffer, whenTrue), (whenFalseBuffer, whenFalse)]) {
            OpenCLSelectionSource.source(width: width)
        }
    }

    /// `output[c] = input[c with c[axis] = index[c]]`, zero where the index is outside the
    /// input's axis; throws as `select` does.
    public func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                       outOfRange: BufferRegion?) throws(DeviceError) {
        try requireSupport(.gather, output.dtype)
        try input.checkGather(index: index, axis: axis, output: output, outOfRange: outOfRange)
        // Reporting out-of-range indices is not written yet here.
        if outOfRange != nil { throw .unsupported(device: device.id, op: .gather, dtype: output.dtype) }
        let outputBuffer = try OpenCLValidation.buffer(output.buffer, role: "output", on: owner)
        let indexBuffer = try OpenCLValidation.buffer(index.buffer, role: "index", on: owner)
        let inputBuffer = try OpenCLValidation.buffer(input.buffer, role: "input", on: owner)
        // The input is walked over the output's shape with its stride along `axis` zeroed:
        // the index says how far to step along it.
        var walked = input
        walked.shape = output.shape
        walked.strides[axis] = 0
        let width = output.dtype.byteSize
        let axisArguments: [OpenCLKernelArgument] = [.int64(Int64(input.shape[axis])), .int64(Int64(input.strides[axis]))]
        try runElementwise(OpenCLSelectionSource.programName(width: width), kernel: "gather", output: (outputBuffer, output),
                           inputs: [(indexBuffer, index), (inputBuffer, walked)], trailing: axisArguments) {
            OpenCLSelectionSource.source(width: width)
        }
    }
}
