/// `scatter` on OpenCL: the shared operand checks (`SelectionChecks`) and the queue's buffer
/// checks, then the dtype's scatter program (`OpenCLScatterSource`) over the index's fibers
/// along the axis, one work-item per fiber, as the `_rows` axis kernels walk lanes.
extension OpenCLQueue {
    /// `output[c with c[axis] = index[c]]` becomes `source[c]` (`.assign`) or has it added
    /// (`.add`) for every coordinate `c` of the index, each fiber along `axis` in order; an
    /// index outside the output's axis writes nothing and sets the `outOfRange` flag when
    /// there is one. Throws `invalidArgument` for operands that do not fit together,
    /// `unsupported` for float64 without `cl_khr_fp64`.
    public func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int,
                        output: StridedOperand, outOfRange: BufferRegion?) throws(DeviceError) {
        try requireSupport(.scatter(mode), output.dtype)
        try output.checkScatter(source: source, index: index, axis: axis, outOfRange: outOfRange)
        let outputBuffer = try OpenCLValidation.buffer(output.buffer, role: "output", on: owner)
        let indexBuffer = try OpenCLValidation.buffer(index.buffer, role: "index", on: owner)
        let sourceBuffer = try OpenCLValidation.buffer(source.buffer, role: "source", on: owner)
        let flag = try outOfRangeFlag(outOfRange, standIn: outputBuffer)
        // The fibers: the index's shape with the axis set to 1, each operand at a fiber's
        // first element (the output where position 0 would be).
        var fiberShape = index.shape
        fiberShape[axis] = 1
        let fibers = StridedWalk(shape: fiberShape, operands: [(output.offset, output.strides), (index.offset, index.strides),
                                                               (source.offset, source.strides)])
        let length = index.shape[axis]
        guard fibers.elementCount > 0, length > 0 else { return }
        let (dtype, fp64) = (output.dtype, owner.limits.hasFloat64)
        let program = try owner.programs.program(OpenCLScatterSource.programName(dtype), device: owner) {
            OpenCLScatterSource.source(dtype, hasFloat64: fp64)
        }
        let trailing: [OpenCLKernelArgument] = [
            .int64(Int64(length)), .int64(Int64(index.strides[axis])), .int64(Int64(source.strides[axis])),
            .int64(Int64(output.shape[axis])), .int64(Int64(output.strides[axis])), flag.buffer, flag.word,
        ]
        let group = owner.limits.elementwiseGroupSize
        for piece in fibers.pieces(maxRank: OpenCLKernelSource.maxRank) {
            let operands: [OpenCLKernelArgument] = [.buffer(outputBuffer), .buffer(indexBuffer), .buffer(sourceBuffer),
                                                    .bytes(piece.openCLLayout)]
            try launch(program, OpenCLScatterSource.kernelName(mode), operands + trailing,
                       global: Self.gridSize(piece.elementCount, group), local: group)
        }
    }
}
