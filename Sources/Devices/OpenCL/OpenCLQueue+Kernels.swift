/// The kernel entry points of an OpenCL queue: validation (as the CPU queue does), then one
/// launch of the op's kernel — the dense variant when every operand is contiguous, else the
/// strided one over a collapsed `StridedWalk` (several launches past 8 dimensions).
extension OpenCLQueue {
    public func unary(_ op: UnaryOp, input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.unary(op), input.dtype)
        let inputBuffer = try OpenCLValidation.operand(input, role: "input", dtype: input.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                        isOutput: true, on: owner)
        try input.checkSameShape("input", as: output, "output")
        let (dtype, fp64) = (input.dtype, owner.limits.hasFloat64)
        try runElementwise("unary_\(dtype)", kernel: op.rawValue, output: (outputBuffer, output), inputs: [(inputBuffer, input)]) {
            OpenCLElementwiseSource.unary(dtype, hasFloat64: fp64)
        }
    }

    public func binary(_ op: BinaryOp, lhs: StridedOperand, rhs: StridedOperand, output: StridedOperand) throws(DeviceError) {
        let outputType = try op.outputType(lhs: lhs, rhs: rhs)
        try requireSupport(.binary(op), lhs.dtype)
        let lhsBuffer = try OpenCLValidation.operand(lhs, role: "left operand", dtype: lhs.dtype, on: owner)
        let rhsBuffer = try OpenCLValidation.operand(rhs, role: "right operand", dtype: lhs.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: outputType,
                                                        isOutput: true, on: owner)
        try lhs.checkSameShape("left operand", as: rhs, "right operand")
        try lhs.checkSameShape("left operand", as: output, "output")
        let (dtype, fp64) = (lhs.dtype, owner.limits.hasFloat64)
        try runElementwise("binary_\(dtype)", kernel: op.rawValue, output: (outputBuffer, output),
                           inputs: [(lhsBuffer, lhs), (rhsBuffer, rhs)]) {
            OpenCLElementwiseSource.binary(dtype, hasFloat64: fp64)
        }
    }

    public func convert(input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.convert(from: input.dtype), output.dtype)
        let inputBuffer = try OpenCLValidation.operand(input, role: "input", dtype: input.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: output.dtype, isOutput: true, on: owner)
        try input.checkSameShape("input", as: output, "output")
        let (source, fp64) = (input.dtype, owner.limits.hasFloat64)
        try runElementwise("convert_from_\(source)", kernel: "to_\(output.dtype)", output: (outputBuffer, output),
                           inputs: [(inputBuffer, input)]) {
            OpenCLElementwiseSource.convert(from: source, hasFloat64: fp64)
        }
    }

    public func reduce(_ op: ReductionOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.reduce(op), input.dtype)
        let inputBuffer = try OpenCLValidation.operand(input, role: "input", dtype: input.dtype, on: owner)
        let outputBuffer = try OpenCLValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                        isOutput: true, on: owner)
        let reducedShape = try op.checkShapes(input: input, axis: axis, output: output)
        let layout = StridedWalk(shape: reducedShape, operands: [(output.offset, output.strides), (input.offset, input.strides)])
        guard layout.elementCount > 0 else { return }
        let (dtype, fp64) = (input.dtype, owner.limits.hasFloat64)
        let program = try owner.programs.program("reduce_\(dtype)", device: owner) {
            OpenCLReductionSource.source(dtype, hasFloat64: fp64)
        }
        let (length, axisStride) = (input.shape[axis], input.strides[axis])
        let group = owner.limits.elementwiseGroupSize
        let byGroups = length >= 256 && layout.elementCount < owner.limits.computeUnits * 32 && group > 1
        for piece in layout.pieces(maxRank: OpenCLKernelSource.maxRank) {
            var arguments: [OpenCLKernelArgument] = [.buffer(outputBuffer), .buffer(inputBuffer), .bytes(piece.openCLLayout),
                                                     .int64(Int64(length)), .int64(Int64(axisStride))]
            if byGroups {
                arguments += [.local(group * 8), .local(group * 8)]
                try launch(program, "\(op.rawValue)_groups", arguments, global: min(piece.elementCount, 4096) * group, local: group)
            } else {
                try launch(program, "\(op.rawValue)_rows", arguments, global: Self.gridSize(piece.elementCount, group), local: group)
            }
        }
    }

    // MARK: - Launching

    func requireSupport(_ op: KernelOp, _ dtype: DType) throws(DeviceError) {
        guard owner.supports(op, dtype) else { throw .unsupported(device: owner.id, op: op, dtype: dtype) }
    }

    /// Work-items for a grid-stride loop over `count` elements: whole groups, at most 1024.
    static func gridSize(_ count: Int, _ group: Int) -> Int {
        min((count + group - 1) / group, 1024) * group
    }

    func launch(
        _ program: OpenCLProgram, _ kernel: String, _ arguments: [OpenCLKernelArgument], global: Int, local: Int
    ) throws(DeviceError) {
        try launch(program, kernel, arguments, global: [global], local: [local])
    }

    func launch(
        _ program: OpenCLProgram, _ kernel: String, _ arguments: [OpenCLKernelArgument], global: [Int], local: [Int]?
    ) throws(DeviceError) {
        try submit { [self] event throws(DeviceError) in
            try program.enqueue(kernel, arguments, global: global, local: local, queue: queue, event: event)
            return 0
        }
    }

    /// Runs `kernel` of program `programName` (built from `source`) over the output's shape:
    /// `<kernel>_c` with the element count and each operand's offset when every operand is
    /// dense, else `<kernel>_s` with the walk's `Layout`, per piece of at most 8 dimensions.
    /// `trailing` arguments follow those (both variants take them); a buffer among them is
    /// held by the queued launch as the operands' buffers are.
    func runElementwise(
        _ programName: String, kernel: String, output: (OpenCLBuffer, StridedOperand), inputs: [(OpenCLBuffer, StridedOperand)],
        trailing: [OpenCLKernelArgument] = [], source: () -> String
    ) throws(DeviceError) {
        let all = [output] + inputs
        let layout = StridedWalk(shape: output.1.shape, operands: all.map { ($0.1.offset, $0.1.strides) })
        let count = layout.elementCount
        guard count > 0 else { return }
        let program = try owner.programs.program(programName, device: owner, source: source)
        let buffers = all.map { OpenCLKernelArgument.buffer($0.0) }
        let group = owner.limits.elementwiseGroupSize
        if all.indices.allSatisfy(layout.isDense) {
            let offsets = layout.offsets.map { OpenCLKernelArgument.int64(Int64($0)) }
            try launch(program, "\(kernel)_c", buffers + [.int64(Int64(count))] + offsets + trailing,
                       global: (count + group - 1) / group * group, local: group)
            return
        }
        for piece in layout.pieces(maxRank: OpenCLKernelSource.maxRank) {
            try launch(program, "\(kernel)_s", buffers + [.bytes(piece.openCLLayout)] + trailing,
                       global: Self.gridSize(piece.elementCount, group), local: group)
        }
    }
}
