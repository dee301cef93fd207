import CVulkan
import CVulkanShaders

/// Recording of the selection shaders (glsl/selection.comp): `select` (torch.where) and
/// `gather` (torch.gather). Both move whole elements as their bits, so one pipeline per
/// element width serves every dtype, with or without the wide shader variants; an invocation
/// per output element, one dispatch per piece of the walk.
extension VulkanQueue {
    /// `output = condition ? whenTrue : whenFalse` element-wise over one shape (any strides,
    /// broadcast and negative ones included). Throws `invalidArgument` for operands that do
    /// not fit together (`StridedOperand.checkSelect`) or are not buffers of this device.
    public func select(condition: StridedOperand, whenTrue: StridedOperand, whenFalse: StridedOperand,
                       output: StridedOperand) throws(DeviceError) {
        try requireSupport(.select, output.dtype)
        try StridedOperand.checkSelect(condition: condition, whenTrue: whenTrue, whenFalse: whenFalse, output: output)
        let operands = try validated(["output": output, "condition": condition, "value where true": whenTrue,
                                      "value where false": whenFalse])
        guard output.elementCount > 0 else { return }
        let shaderOperands = try shaderOperands(operands, kernel: .select, dtype: output.dtype)
        let walk = StridedWalk(shape: output.shape, operands: shaderOperands.map { (0, $0.strides) })
        let pipeline = try selectionPipeline(DS_VULKAN_SHADER_SELECT, dtype: output.dtype, walk: walk)
        try dispatchStrided(walk, pipeline: pipeline, operands: shaderOperands, retaining: operands.map(\.buffer))
    }

    /// `output[c] = input[c with c[axis] replaced by index[c]]` for every coordinate `c` of
    /// `output`; an index outside `0..<input.shape[axis]` writes zero (the input is never read
    /// outside its elements) and, when `outOfRange` is given, 1 into that 32-bit flag. Throws
    /// `invalidArgument` for operands that do not fit together (`StridedOperand.checkGather`)
    /// or are not buffers of this device.
    public func gather(input: StridedOperand, index: StridedOperand, axis: Int, output: StridedOperand,
                       outOfRange: BufferRegion?) throws(DeviceError) {
        try requireSupport(.gather, output.dtype)
        try input.checkGather(index: index, axis: axis, output: output, outOfRange: outOfRange)
        let operands = try validated(["output": output, "index": index, "input": input])
        let flag = try outOfRangeFlag(outOfRange)
        guard output.elementCount > 0 else { return }
        var shaderOperands = try shaderOperands(operands, kernel: .gather, dtype: output.dtype)
        shaderOperands[2].strides[axis] = 0  // the index says where to go along the axis
        let (axisLength, axisStride) = (input.shape[axis], input.strides[axis])
        let walk = StridedWalk(shape: output.shape, operands: shaderOperands.map { (0, $0.strides) })
        let pipeline = try selectionPipeline(DS_VULKAN_SHADER_GATHER, dtype: output.dtype, walk: walk)
        try dispatchFlagged(walk, pipeline: pipeline, operands: shaderOperands, retaining: operands.map(\.buffer),
                            flag: flag, scalars: [axisLength, axisStride])
    }

    /// The operands in order, each with its buffer, checked to be this device's (the key names
    /// the operand in the error). Shared with `scatter`.
    func validated(
        _ operands: KeyValuePairs<String, StridedOperand>
    ) throws(DeviceError) -> [(buffer: VulkanBuffer, operand: StridedOperand)] {
        var checked: [(buffer: VulkanBuffer, operand: StridedOperand)] = []
        for (role, operand) in operands {
            checked.append((try VulkanValidation.buffer(operand.buffer, role: role, device: vulkan), operand))
        }
        return checked
    }

    /// The out-of-range flag's buffer, checked to be this device's, and the device address of
    /// its word (which shaders take as a push constant); nil when there is none. Shared with
    /// `scatter`.
    func outOfRangeFlag(_ region: BufferRegion?) throws(DeviceError) -> (buffer: VulkanBuffer, address: UInt64)? {
        guard let region else { return nil }
        let buffer = try VulkanValidation.buffer(region.buffer, role: "out-of-range flag", device: vulkan)
        return (buffer, buffer.deviceAddress + UInt64(region.offset))
    }

    /// Dispatches `walk` (an invocation per element, or per fiber for a scatter) with the push
    /// constants the selection and scatter shaders share: the operands' addresses, then
    /// `addresses`, the piece's shape and strides, `scalars`, then each operand's offset.
    func dispatchStrided(_ walk: StridedWalk, pipeline: VkPipeline, groupSize: Int = groupSize, operands: [VulkanLayout.ShaderOperand],
                         retaining buffers: [VulkanBuffer], addresses: [UInt64] = [], scalars: [Int] = []) throws(DeviceError) {
        try dispatchElements(walk, pipeline: pipeline, groupSize: groupSize, retaining: buffers) { words, piece in
            operands.forEach { words.address($0.address) }
            addresses.forEach { words.address($0) }
            words.ints(piece.shape)
            piece.strides.forEach { words.ints($0) }
            words.ints(scalars)
            words.ints(zip(operands, piece.offsets).map { $0.offset + $1 })
        }
    }

    /// `dispatchStrided` for a gather or scatter: the out-of-range flag's address (0, Vulkan's
    /// null address, when there is none) follows the operands', and its buffer is retained.
    func dispatchFlagged(_ walk: StridedWalk, pipeline: VkPipeline, groupSize: Int = groupSize, operands: [VulkanLayout.ShaderOperand],
                         retaining buffers: [VulkanBuffer], flag: (buffer: VulkanBuffer, address: UInt64)?,
                         scalars: [Int]) throws(DeviceError) {
        try dispatchStrided(walk, pipeline: pipeline, groupSize: groupSize, operands: operands,
                            retaining: buffers + (flag.map { [$0.buffer] } ?? []),
                            addresses: [flag?.address ?? 0], scalars: scalars)
    }

    /// The pipeline of `shader` for elements of `dtype`'s width, without divisions when
    /// `walk` has at most one dimension.
    private func selectionPipeline(_ shader: ds_vulkan_shader_id, dtype: DType, walk: StridedWalk) throws(DeviceError) -> VkPipeline {
        let flat: Int32 = walk.shape.count <= 1 ? 1 : 0
        return try vulkan.pipelines.pipeline(shader, constants: [Int32(Self.groupSize), Int32(dtype.byteSize), flat])
    }
}
