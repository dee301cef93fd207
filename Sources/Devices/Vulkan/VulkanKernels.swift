import CVulkan
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
        var shaderOperands = try shaderOperands(all, kernel: kernel, dtype: output.operand.dtype)
        if shaderOperands.count == 2 { shaderOperands.append(shaderOperands[1]) }  // b = a for one input
        let (inType, outType) = (inputs[0].operand.dtype, output.operand.dtype)
        let shader = inType.isWide || outType.isWide ? DS_VULKAN_SHADER_ELEMENTWISE_WIDE : DS_VULKAN_SHADER_ELEMENTWISE
        let walk = StridedWalk(shape: output.operand.shape, operands: shaderOperands.map { (0, $0.strides) })
        let flat: Int32 = walk.shape.count <= 1 ? 1 : 0
        let pipeline = try vulkan.pipelines.pipeline(shader, constants: [Int32(Self.groupSize), kind, op, inType.shaderCode, outType.shaderCode, flat])
        try dispatchElements(walk, pipeline: pipeline, retaining: all.map(\.buffer)) { words, piece in
            shaderOperands.forEach { words.address($0.address) }
            words.ints([piece.elementCount, shaderOperands[0].offset + piece.offsets[0]])
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.ints([shaderOperands[1].offset + piece.offsets[1], shaderOperands[2].offset + piece.offsets[2]])
        }
    }

    /// `operands` as a shader sees them (`VulkanLayout.shaderOperand`, without their strides
    /// along `axis` if given); throws `unsupported` for `kernel` on `dtype` when one spans more
    /// elements than 32-bit shader indices reach.
    func shaderOperands(_ operands: [(buffer: VulkanBuffer, operand: StridedOperand)], kernel: KernelOp,
                        dtype: DType, axis: Int? = nil) throws(DeviceError) -> [VulkanLayout.ShaderOperand] {
        var shaderOperands: [VulkanLayout.ShaderOperand] = []
        for (buffer, operand) in operands {
            guard let shaderOperand = VulkanLayout.shaderOperand(operand, buffer: buffer, axis: axis) else {
                throw .unsupported(device: vulkan.id, op: kernel, dtype: dtype)
            }
            shaderOperands.append(shaderOperand)
        }
        return shaderOperands
    }

    /// Records `pipeline` once per piece of `walk` (`VulkanLayout.pieces`) with an invocation
    /// per element, in workgroups of `groupSize` (the pipeline's); `pieceWords` writes a
    /// piece's push constants. Shared by the element-wise and selection shaders, and by
    /// scatter (whose walk's elements are the index's fibers).
    func dispatchElements(_ walk: StridedWalk, pipeline: VkPipeline, groupSize: Int = groupSize, retaining buffers: [VulkanBuffer],
                          pieceWords: (inout PushWords, StridedWalk) -> Void) throws(DeviceError) {
        let launches = VulkanLayout.pieces(walk).map { piece in
            var words = PushWords()
            pieceWords(&words, piece)
            return (words.words, VulkanLayout.groups(items: (piece.elementCount + groupSize - 1) / groupSize, groupSize: 1, exact: true))
        }
        try stream.record(retaining: buffers) { commands in
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
        try dispatchLanes(narrow: DS_VULKAN_SHADER_REDUCE, wide: DS_VULKAN_SHADER_REDUCE_WIDE,
                          op: ReductionOp.allCases.firstIndex(of: op)!, input: (inputBuffer, inputOperand, input),
                          output: (outputBuffer, outputOperand), axis: axis) { words, piece in
            words.ints([piece.elementCount, axisLength, axisStride, outputOperand.offset + piece.offsets[0]])
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.int(inputOperand.offset + piece.offsets[1])
        }
    }

    /// Records the shader `narrow` (or `wide`, for int64/float64) with `op`'s index, one
    /// dispatch per piece of the walk over the lanes of `axis` (the shape without it): a
    /// workgroup per lane when lanes are longer than `cooperativeAxisLength`, else an
    /// invocation per lane. `pieceWords` writes a piece's push constants after the output's
    /// and the input's addresses. Shared by `reduce` and `alongAxis`.
    func dispatchLanes(
        narrow: ds_vulkan_shader_id, wide: ds_vulkan_shader_id, op: Int,
        input: (buffer: VulkanBuffer, shader: VulkanLayout.ShaderOperand, operand: StridedOperand),
        output: (buffer: VulkanBuffer, shader: VulkanLayout.ShaderOperand), axis: Int,
        pieceWords: (inout PushWords, StridedWalk) -> Void
    ) throws(DeviceError) {
        let dtype = input.operand.dtype
        let cooperative = input.operand.shape[axis] > Self.cooperativeAxisLength
        let pipeline = try vulkan.pipelines.pipeline(dtype.isWide ? wide : narrow, constants: [
            Int32(Self.groupSize), Int32(op), dtype.shaderCode, cooperative ? 1 : 0, vulkan.usesSubgroups ? 1 : 0,
        ])
        var laneShape = input.operand.shape
        laneShape.remove(at: axis)
        let walk = StridedWalk(shape: laneShape, operands: [(0, output.shader.strides), (0, input.shader.strides)])
        let launches = VulkanLayout.pieces(walk).map { piece in
            var words = PushWords()
            words.address(output.shader.address)
            words.address(input.shader.address)
            pieceWords(&words, piece)
            return (words.words, VulkanLayout.groups(items: piece.elementCount, groupSize: Self.groupSize, exact: cooperative))
        }
        try stream.record(retaining: [input.buffer, output.buffer]) { commands in
            for (words, groups) in launches {
                VulkanCommands.dispatch(vulkan, commands, pipeline: pipeline, words: words, groups: groups)
            }
        }
    }
}
