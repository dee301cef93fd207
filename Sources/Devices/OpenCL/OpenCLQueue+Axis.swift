/// `alongAxis` on OpenCL: validation as the CPU queue does it, then one of the axis
/// program's kernels over the lanes (the shape with the axis set to 1) — see `AxisKernel`.
extension OpenCLQueue {
    /// `output = op(input)` along `axis`, lane by lane, in one launch (one per 8 dimensions
    /// of lanes); throws `invalidArgument` for operands the CPU queue refuses too, and
    /// `unsupported` for bool (and float64 without `cl_khr_fp64`).
    public func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.axis(op), input.dtype)
        let inputBuffer = try OpenCLValidation.operand(input, role: "input", dtype: input.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: input.dtype, isOutput: true, on: owner)
        try op.checkShapes(input: input, axis: axis, output: output)
        var laneShape = input.shape
        laneShape[axis] = 1
        let lanes = StridedWalk(shape: laneShape, operands: [(output.offset, output.strides), (input.offset, input.strides)])
        let length = input.shape[axis]
        guard lanes.elementCount > 0, length > 0 else { return }
        let (dtype, fp64) = (input.dtype, owner.limits.hasFloat64)
        let program = try owner.programs.program("axis_\(dtype)", device: owner) {
            OpenCLAxisSource.source(dtype, hasFloat64: fp64)
        }
        let (outputStride, inputStride) = (output.strides[axis], input.strides[axis])
        let kernel = AxisKernel(op, dtype, length: length, lanes: lanes, strides: (outputStride, inputStride), limits: owner.limits)
        let rowGroup = owner.limits.elementwiseGroupSize
        for piece in lanes.pieces(maxRank: OpenCLKernelSource.maxRank) {
            var walk = piece
            if case .lanes = kernel { walk = piece.groupingInnermost(OpenCLAxisLanesSource.width) }
            let arguments: [OpenCLKernelArgument] = [
                .buffer(outputBuffer), .buffer(inputBuffer), .bytes(walk.openCLLayout), .int64(Int64(length)),
                .int64(Int64(outputStride)), .int64(Int64(inputStride)),
            ]
            switch kernel {
            case .rows, .lanes:
                try launch(program, "\(op.rawValue)_\(kernel.suffix)", arguments, global: Self.gridSize(walk.elementCount, rowGroup),
                           local: rowGroup)
            case let .groups(size), let .vectors(size):
                try launch(program, "\(op.rawValue)_\(kernel.suffix)", arguments + [.local(size * 8)],
                           global: min(walk.elementCount, 4096) * size, local: size)
            }
        }
    }
}

/// Which kernel of the axis program runs an `AxisOp`, by the shape of the work.
///
/// `lanes` (8 side-by-side lanes per work-item) when the lanes are contiguous in both
/// operands and there are enough groups of 8 to fill the device; else `vectors` (softmax
/// along a contiguous axis: a work-group per lane, reading vectors of 8) or `groups` (a
/// work-group per lane) for softmax along a contiguous axis and for too few long lanes to
/// fill the device; else `rows` (a work-item per lane). Group sizes are powers of two giving
/// each work-item at least 64 elements (softmax) or 16 (scans, which read their lane twice).
enum AxisKernel {
    case rows, lanes
    case groups(Int), vectors(Int)

    init(_ op: AxisOp, _ dtype: DType, length: Int, lanes: StridedWalk, strides: (output: Int, input: Int),
         limits: OpenCLDeviceLimits) {
        let enough = limits.computeUnits * 32
        let width = OpenCLAxisLanesSource.width
        let sideBySide = lanes.shape.last.map { $0 % width == 0 } == true && lanes.strides.allSatisfy { $0.last == 1 }
        if sideBySide, OpenCLAxisLanesSource.supports(op, dtype), lanes.elementCount / width >= enough {
            self = .lanes
            return
        }
        let softmax = op == .softmax || op == .logSoftmax
        let contiguous = strides.input == 1 && strides.output == 1
        let fewLanes = lanes.elementCount < enough
        let (minimumLength, perItem) = softmax ? (64, 64) : (1024, 16)
        guard limits.elementwiseGroupSize > 1, length >= minimumLength, fewLanes || (softmax && contiguous) else {
            self = .rows
            return
        }
        var size = 1
        while size * 2 <= min(limits.elementwiseGroupSize, length / perItem) { size *= 2 }
        if softmax, contiguous, OpenCLAxisVectorSource.hasVectors(dtype) {
            self = .vectors(size)
        } else {
            self = size > 1 ? .groups(size) : .rows
        }
    }

    var suffix: String {
        switch self {
        case .rows: "rows"
        case .lanes: "lanes"
        case .groups: "groups"
        case .vectors: "vectors"
        }
    }
}

extension StridedWalk {
    /// The walk over groups of `width` neighbours along the innermost dimension (its size a
    /// multiple of `width`, every operand's stride there 1): each group's first element.
    func groupingInnermost(_ width: Int) -> StridedWalk {
        var walk = self
        walk.shape[walk.shape.count - 1] /= width
        for operand in walk.strides.indices { walk.strides[operand][walk.strides[operand].count - 1] = width }
        return walk
    }
}
