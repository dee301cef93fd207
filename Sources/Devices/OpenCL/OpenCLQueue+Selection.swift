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
    /// input's axis, which also sets the `outOfRange` flag when there is one; throws as
    /// `select` does.
    public func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                       outOfRange: BufferRegion?) throws(DeviceError) {
        try requireSupport(.gather, output.dtype)
        try input.checkGather(index: index, axis: axis, output: output, outOfRange: outOfRange)
        let outputBuffer = try OpenCLValidation.buffer(output.buffer, role: "output", on: owner)
        let indexBuffer = try OpenCLValidation.buffer(index.buffer, role: "index", on: owner)
        let inputBuffer = try OpenCLValidation.buffer(input.buffer, role: "input", on: owner)
        let flag = try outOfRangeFlag(outOfRange, standIn: outputBuffer)
        // The input is walked over the output's shape with its stride along `axis` zeroed:
        // the index says how far to step along it.
        var walked = input
        walked.shape = output.shape
        walked.strides[axis] = 0
        let width = output.dtype.byteSize
        let trailing: [OpenCLKernelArgument] = [.int64(Int64(input.shape[axis])), .int64(Int64(input.strides[axis])),
                                                flag.buffer, flag.word]
        try runElementwise(OpenCLSelectionSource.programName(width: width), kernel: "gather", output: (outputBuffer, output),
                           inputs: [(indexBuffer, index), (inputBuffer, walked)], trailing: trailing) {
            OpenCLSelectionSource.source(width: width)
        }
    }

    /// The out-of-range flag as the gather and scatter kernels take it: a buffer and a 32-bit
    /// word within it. Without a flag, word -1 tells them to write none, and `standIn` (any
    /// buffer of the context) takes the buffer's place: it is never written as a flag.
    func outOfRangeFlag(_ outOfRange: BufferRegion?, standIn: OpenCLBuffer)
        throws(DeviceError) -> (buffer: OpenCLKernelArgument, word: OpenCLKernelArgument) {
        guard let outOfRange else { return (.buffer(standIn), .int64(-1)) }
        let buffer = try OpenCLValidation.buffer(outOfRange.buffer, role: "out-of-range flag", on: owner)
        return (.buffer(buffer), .int64(Int64(outOfRange.offset / 4)))
    }
}
