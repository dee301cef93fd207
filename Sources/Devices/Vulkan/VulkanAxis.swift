import CVulkanShaders

/// Recording of the `AxisOp` shader (glsl/axis.comp): softmax, log-softmax and running totals
/// in one dispatch per piece of the walk over the lanes (the shape without the axis).
extension VulkanQueue {
    /// `op` along `axis` of `input` into `output` (same shape and dtype; any strides and
    /// offsets). Lanes longer than `cooperativeAxisLength` get a workgroup each (combining with
    /// subgroup shuffles where the device uses them for reductions), shorter ones an
    /// invocation each. Throws `invalidArgument` for a bad axis, shape or dtype, and
    /// `unsupported` for a dtype the shader does not compute (see `VulkanSupport`).
    public func alongAxis(_ op: AxisOp, input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.axis(op), input.dtype)
        let inputBuffer = try VulkanValidation.operand(input, role: "input", dtype: input.dtype, device: vulkan)
        let outputBuffer = try VulkanValidation.operand(output, role: "output", dtype: input.dtype, device: vulkan, isOutput: true)
        try op.checkShapes(input: input, axis: axis, output: output)
        guard output.elementCount > 0 else { return }
        guard let outputOperand = VulkanLayout.shaderOperand(output, buffer: outputBuffer, axis: axis),
              let inputOperand = VulkanLayout.shaderOperand(input, buffer: inputBuffer, axis: axis) else {
            throw .unsupported(device: vulkan.id, op: .axis(op), dtype: input.dtype)
        }
        let (axisLength, inputStride, outputStride) = (input.shape[axis], input.strides[axis], output.strides[axis])
        try dispatchLanes(narrow: DS_VULKAN_SHADER_AXIS, wide: DS_VULKAN_SHADER_AXIS_WIDE,
                          op: AxisOp.allCases.firstIndex(of: op)!, input: (inputBuffer, inputOperand, input),
                          output: (outputBuffer, outputOperand), axis: axis) { words, piece in
            words.ints([piece.elementCount, axisLength, inputStride, outputStride])
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.ints([outputOperand.offset + piece.offsets[0], inputOperand.offset + piece.offsets[1]])
        }
    }
}
