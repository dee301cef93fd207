import CVulkan
import CVulkanShaders

/// Recording of the scatter shader (glsl/scatter.comp): `torch.scatter` and `scatter_add`.
/// An invocation per fiber of the index (its elements that differ only along the axis) walks
/// the fiber in order, so no atomics are needed and repeated positions apply in order; one
/// dispatch per piece of the walk over the fibers. Assignments move elements as their bits
/// (one pipeline per element width, no wide variant needed); additions compute per dtype,
/// int64 and float64 in the wide variant.
extension VulkanQueue {
    /// Invocations per workgroup of the scatter shader. Each invocation walks a whole fiber,
    /// so there are few of them, each long: small workgroups spread them over more of the
    /// device. lavapipe runs a workgroup on one CPU thread, so 256 fibers in one group of
    /// 256 ran on one core.
    static let fiberGroupSize = 32

    /// `output[c with c[axis] replaced by index[c]]` becomes `source[c]` (`.assign`) or has it
    /// added (`.add`) for every coordinate `c` of `index`, in place, each fiber in order of
    /// increasing position along `axis`. An index outside `0..<output.shape[axis]` writes
    /// nothing and, when `outOfRange` is given, 1 into that 32-bit flag. Throws
    /// `invalidArgument` for operands that do not fit together (`StridedOperand.checkScatter`)
    /// or are not buffers of this device, and `unsupported` for a mode and dtype the shader
    /// does not compute (see `VulkanSupport`).
    public func scatter(_ mode: ScatterMode, source: StridedOperand, index: StridedOperand, axis: Int,
                        output: StridedOperand, outOfRange: BufferRegion?) throws(DeviceError) {
        try requireSupport(.scatter(mode), output.dtype)
        try output.checkScatter(source: source, index: index, axis: axis, outOfRange: outOfRange)
        let operands = try validated(["output": output, "index": index, "source": source])
        let flag = try outOfRangeFlag(outOfRange)
        guard index.elementCount > 0 else { return }
        // The fibers are walked without the axis; the shader steps along it itself.
        let shaderOperands = try shaderOperands(operands, kernel: .scatter(mode), dtype: output.dtype, axis: axis)
        let axisStrides = operands.map { $0.operand.strides[axis] }
        var fiberShape = index.shape
        let fiberLength = fiberShape.remove(at: axis)
        let walk = StridedWalk(shape: fiberShape, operands: shaderOperands.map { (0, $0.strides) })
        let pipeline = try scatterPipeline(mode, dtype: output.dtype)
        try dispatchFlagged(walk, pipeline: pipeline, groupSize: Self.fiberGroupSize, operands: shaderOperands,
                            retaining: operands.map(\.buffer),
                            flag: flag, scalars: [output.shape[axis], fiberLength] + axisStrides)
    }

    /// The scatter pipeline: for `.assign` one per element width (the shader moves bits), for
    /// `.add` one per dtype, in the wide variant for int64 and float64.
    private func scatterPipeline(_ mode: ScatterMode, dtype: DType) throws(DeviceError) -> VkPipeline {
        let added: Int32 = mode == .add ? dtype.shaderCode : -1  // ADD_DT: -1 assigns
        let shader = mode == .add && dtype.isWide ? DS_VULKAN_SHADER_SCATTER_WIDE : DS_VULKAN_SHADER_SCATTER
        return try vulkan.pipelines.pipeline(shader, constants: [Int32(Self.fiberGroupSize), Int32(dtype.byteSize), added])
    }
}
