import CVulkanShaders

/// Recording of the element-wise and reduction shaders: operands laid out for the shader
/// (`VulkanLayout`), one dispatch per piece of the walk, shapes and strides as push constants.
extension VulkanQueue {
    /// Invocations per workgroup of the element-wise and reduction shaders (a specialization constant).
    static let groupSize = 256
    /// Axes longer than this are reduced by a workgroup per output, shorter ones by one invocation.
    static let cooperativeAxisLength = 64

    func elementwise(kind: Int32, op: Int32, kernel: KernelOp, output: (buffer: VulkanBuffer, operand: StridedOperand),
                     inputs: [(buffer: VulkanBuffer, operand: StridedOperand)]) throws(DeviceError) {
        guard output.operand.elementCount > 0 else { return }
        let all = [output] + inputs
        var shaderOperands: [VulkanLayout.ShaderOperand] = []
        for (buffer, operand) in all {
            guard let shaderOperand = VulkanLayout.shaderOperand(operand, buffer: buffer) else {
                throw .unsupported(device: vulkan.id, op: kernel, dtype: output.operand.dtype)
            }
            shaderOperands.append(shaderOperand)
        }
        if shaderOperands.count == 2 { shaderOperands.append(shaderOperands[1]) }  // b = a for one input
        let (inType, outType) = (inputs[0].operand.dtype, output.operand.dtype)
        let shader = inType.isWide || outType.isWide ? DS_VULKAN_SHADER_ELEMENTWISE_WIDE : DS_VULKAN_SHADER_ELEMENTWISE
        let walk = StridedWalk(shape: output.operand.shape, operands: shaderOperands.map { (0, $0.strides) })
        let flat: Int32 = walk.shape.count <= 1 ? 1 : 0
        let pipeline = try vulkan.pipelines.pipeline(shader, constants: [Int32(Self.groupSize), kind, op, inType.shaderCode, outType.shaderCode, flat])
        let launches = VulkanLayout.pieces(walk).map { piece in
            var words = PushWords()
            shaderOperands.forEach { words.address($0.address) }
            words.ints([piece.elementCount, shaderOperands[0].offset + piece.offsets[0]])
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.ints([shaderOperands[1].offset + piece.offsets[1], shaderOperands[2].offset + piece.offsets[2]])
            return (words.words, VulkanLayout.groups(items: (piece.elementCount + Self.groupSize - 1) / Self.groupSize, groupSize: 1, exact: true))
        }
        try stream.record(retaining: all.map(\.buffer)) { commands in
            for (words, groups) in launches {
                VulkanCommands.dispatch(vulkan, commands, pipeline: pipeline, words: words, groups: groups)
            }
        }
    }

    public func reduce(_ op: ReductionOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.reduce(op), input.dtype)
        let inputBuffer = try VulkanValidation.operand(input, role: "input", dtype: input.dtype, device: vulkan)
        let outputBuffer = try VulkanValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                        device: vulkan, isOutput: true)
        _ = try op.checkShapes(input: input, axis: axis, output: output)
        guard output.elementCount > 0 else { return }
        guard let outputOperand = VulkanLayout.shaderOperand(output, buffer: outputBuffer, axis: axis),
              let inputOperand = VulkanLayout.shaderOperand(input, buffer: inputBuffer, axis: axis) else {
            throw .unsupported(device: vulkan.id, op: .reduce(op), dtype: input.dtype)
        }
        let axisLength = input.shape[axis], axisStride = input.strides[axis]
        let cooperative = axisLength > Self.cooperativeAxisLength
        let shader = input.dtype.isWide ? DS_VULKAN_SHADER_REDUCE_WIDE : DS_VULKAN_SHADER_REDUCE
        let pipeline = try vulkan.pipelines.pipeline(shader, constants: [
            Int32(Self.groupSize), Int32(ReductionOp.allCases.firstIndex(of: op)!), input.dtype.shaderCode,
            cooperative ? 1 : 0, vulkan.usesSubgroups ? 1 : 0,
        ])
        var outerShape = input.shape
        outerShape.remove(at: axis)
        let walk = StridedWalk(shape: outerShape, operands: [(0, outputOperand.strides), (0, inputOperand.strides)])
        let launches = VulkanLayout.pieces(walk).map { piece in
            var words = PushWords()
            words.address(outputOperand.address)
            words.address(inputOperand.address)
            words.ints([piece.elementCount, axisLength, axisStride, outputOperand.offset + piece.offsets[0]])
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.int(inputOperand.offset + piece.offsets[1])
            let groups = VulkanLayout.groups(items: piece.elementCount, groupSize: Self.groupSize, exact: cooperative)
            return (words.words, groups)
        }
        try stream.record(retaining: [inputBuffer, outputBuffer]) { commands in
            for (words, groups) in launches {
                VulkanCommands.dispatch(vulkan, commands, pipeline: pipeline, words: words, groups: groups)
            }
        }
    }
}
