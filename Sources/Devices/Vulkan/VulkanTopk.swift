import CVulkan
import CVulkanShaders

/// Recording of topk: for k up to `topkSelectionLimit`, one invocation per lane reads the
/// lane once and keeps the k (key, position) pairs that sort first (glsl/topk.comp); for a
/// larger k, the argsort's dispatches (VulkanSort.swift) with only each lane's first k
/// positions written. Both use argsort's keys, so either gives the stable argsort's first k.
extension VulkanQueue {
    /// The largest k the one-pass selection holds per lane (topk.comp's MAX_K, set from this).
    static let topkSelectionLimit = 16

    /// Workgroup size of the selection: an invocation per lane, and lanes are often few.
    static let topkGroupSize = 64

    /// `output` (int64, of the input's shape but `k` long along `axis`) receives for each
    /// lane the first `k` positions of its stable argsort, descending for `largest`
    /// (`torch.topk`'s indices, ties in position order). Throws `invalidArgument` for operands
    /// that do not fit together (`StridedOperand.checkTopk`) or are not buffers of this
    /// device; for k above `topkSelectionLimit`, what `argsort` throws.
    public func topk(input: StridedOperand, axis: Int, k: Int, largest: Bool, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.topk, input.dtype)
        try input.checkTopk(axis: axis, k: k, output: output)
        guard k <= Self.topkSelectionLimit else {
            return try recordArgsort(input: input, axis: axis, descending: largest, output: output, kernel: .topk)
        }
        let operands = try validated(["input": input, "output": output])
        guard output.elementCount > 0 else { return }
        let shaderOperands = try shaderOperands(operands, kernel: .topk, dtype: input.dtype, axis: axis)
        let pipeline = try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_TOPK, constants: [
            Int32(Self.topkGroupSize), input.dtype.shaderCode, input.dtype.isWide ? 2 : 1, Int32(Self.topkSelectionLimit),
        ])
        var laneShape = input.shape
        laneShape.remove(at: axis)
        let walk = StridedWalk(shape: laneShape, operands: shaderOperands.map { (0, $0.strides) })
        try dispatchElements(walk, pipeline: pipeline, groupSize: Self.topkGroupSize, retaining: operands.map(\.buffer)) { words, piece in
            words.address(shaderOperands[0].address)
            words.address(shaderOperands[1].address)
            words.ints(piece.shape)
            words.ints(piece.strides[0])
            words.ints(piece.strides[1])
            words.ints([shaderOperands[0].offset + piece.offsets[0], shaderOperands[1].offset + piece.offsets[1],
                        input.strides[axis], output.strides[axis], input.shape[axis], k])
            words.int(largest ? -1 : 0)  // all ones complements the keys
        }
    }
}
