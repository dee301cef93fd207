/// `alongAxis` on OpenCL: validation as the CPU queue does it, then the op's kernel from
/// `OpenCLAxisSource` over the lanes (the shape with the axis set to 1): one work-item per
/// lane when there are lanes enough to fill the device, or, for softmax along a contiguous
/// axis and for few long lanes, one work-group per lane.
extension OpenCLQueue {
    public func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.axis(op), input.dtype)
        let inputBuffer = try OpenCLValidation.operand(input, role: "input", dtype: input.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: input.dtype, isOutput: true, on: owner)
        try StridedOperand.checkSameShape([("input", input), ("output", output)])
        guard input.shape.indices.contains(axis) else {
            throw .invalidArgument("axis \(axis) is not an axis of shape \(input.shape)")
        }
        var laneShape = input.shape
        laneShape[axis] = 1
        let lanes = StridedWalk(shape: laneShape, operands: [(output.offset, output.strides), (input.offset, input.strides)])
        let length = input.shape[axis]
        guard lanes.elementCount > 0, length > 0 else { return }
        let (dtype, fp64) = (input.dtype, owner.limits.hasFloat64)
        let program = try owner.programs.program("axis_\(dtype)", device: owner) {
            OpenCLAxisSource.source(dtype, hasFloat64: fp64)
        }
        let group = groupSize(op, length: length, lanes: lanes.elementCount, inputStride: input.strides[axis])
        for piece in lanes.pieces(maxRank: OpenCLKernelSource.maxRank) {
            let arguments: [OpenCLKernelArgument] = [
                .buffer(outputBuffer), .buffer(inputBuffer), .bytes(piece.openCLLayout), .int64(Int64(length)),
                .int64(Int64(output.strides[axis])), .int64(Int64(input.strides[axis])),
            ]
            if group > 1 {
                try launch(program, "\(op.rawValue)_groups", arguments + [.local(group * 8)],
                           global: min(piece.elementCount, 4096) * group, local: group)
            } else {
                let rowGroup = owner.limits.elementwiseGroupSize
                try launch(program, "\(op.rawValue)_rows", arguments, global: Self.gridSize(piece.elementCount, rowGroup),
                           local: rowGroup)
            }
        }
    }

    /// Work-items per lane: 1 for the one-lane-per-work-item kernels, else a power of two
    /// giving each work-item at least a few elements. Softmax takes a group per lane when
    /// its axis is contiguous (the group's reads are then contiguous) or lanes are too few
    /// to fill the device; a scan only in the latter case, since it reads its lane twice.
    private func groupSize(_ op: AxisOp, length: Int, lanes: Int, inputStride: Int) -> Int {
        let fewLanes = lanes < owner.limits.computeUnits * 32
        let perItem: Int
        switch op {
        case .softmax, .logSoftmax:
            guard length >= 64, fewLanes || inputStride.magnitude == 1 else { return 1 }
            perItem = 4
        case .cumsum, .cumprod:
            guard length >= 1024, fewLanes else { return 1 }
            perItem = 16
        }
        var size = 1
        while size * 2 <= min(owner.limits.elementwiseGroupSize, length / perItem) { size *= 2 }
        return size
    }
}
