/// `argsort` on OpenCL: the shared operand checks, then a bitonic network over (key, position)
/// pairs in scratch buffers of the queue's own (`OpenCLSortSource`, `BitonicSortPlan`): keys
/// loaded lane by lane, every lane sorted at once, and the positions written to the output.
extension OpenCLQueue {
    /// Writes to `output` (int64) the positions that sort each lane of `input` along `axis`,
    /// stably, ascending or `descending`; NaN sorts above every number and -0.0 equals 0.0.
    /// Throws `invalidArgument` for operands that do not fit together or lanes longer than
    /// 2^32 elements, `outOfMemory` when the scratch buffers (12 bytes a slot) do not fit, and
    /// `unsupported` for float64 without `cl_khr_fp64`.
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.argsort, input.dtype)
        try input.checkArgsort(axis: axis, output: output)
        let inputBuffer = try OpenCLValidation.buffer(input.buffer, role: "input", on: owner)
        let outputBuffer = try OpenCLValidation.buffer(output.buffer, role: "output", on: owner)
        var laneShape = input.shape
        laneShape[axis] = 1
        let lanes = StridedWalk(shape: laneShape, operands: [(output.offset, output.strides), (input.offset, input.strides)])
        let length = input.shape[axis]
        guard lanes.elementCount > 0, length > 0 else { return }
        guard length <= 1 << 32 else {
            throw .invalidArgument("an OpenCL argsort sorts lanes of at most 2^32 elements, not \(length)")
        }
        let plan = BitonicSortPlan(length: length, lanes: lanes.elementCount, maxGroupSize: sortGroupSize)
        let keys = try OpenCLBuffer(device: owner, byteCount: plan.slots * 8)
        let positions = try OpenCLBuffer(device: owner, byteCount: plan.slots * 4)
        let dtype = input.dtype
        let keysProgram = try owner.programs.program(OpenCLSortSource.keysProgramName(dtype), device: owner) {
            OpenCLSortSource.keysSource(dtype)
        }
        let network = try owner.programs.program(OpenCLSortSource.networkProgramName, device: owner) {
            OpenCLSortSource.networkSource
        }
        let group = owner.limits.elementwiseGroupSize
        let (padded, flip) = (Int64(plan.paddedLength), descending ? UInt64.max : 0)
        var firstLane = 0
        let pieces = lanes.pieces(maxRank: OpenCLKernelSource.maxRank)
        for (index, piece) in pieces.enumerated() {
            let first = firstLane * plan.paddedLength
            // The last piece fills the slots past the last lane with padding too.
            let slots = index == pieces.count - 1 ? plan.slots - first : piece.elementCount * plan.paddedLength
            try launch(keysProgram, "argsort_load", [
                .buffer(inputBuffer), .buffer(keys), .buffer(positions), .bytes(piece.openCLLayout), .int64(Int64(length)),
                .int64(Int64(input.strides[axis])), .int64(padded), .int64(Int64(first)), .int64(Int64(slots)),
                .int64(Int64(bitPattern: flip)),
            ], global: Self.gridSize(slots, group), local: group)
            firstLane += piece.elementCount
        }
        for pass in plan.passes {
            switch pass {
            case let .local(firstStage, lastStage):
                try launch(network, "argsort_local", [
                    .buffer(keys), .buffer(positions), .int64(Int64(firstStage)), .int64(Int64(lastStage)),
                    .local(plan.groupSize * 2 * 8), .local(plan.groupSize * 2 * 4),
                ], global: plan.slots / 2, local: plan.groupSize)
            case let .global(stage, distance):
                try launch(network, "argsort_global", [
                    .buffer(keys), .buffer(positions), .int64(Int64(plan.slots / 2)), .int64(Int64(stage)), .int64(Int64(distance)),
                ], global: Self.gridSize(plan.slots / 2, group), local: group)
            }
        }
        firstLane = 0
        for piece in pieces {
            try launch(network, "argsort_store", [
                .buffer(outputBuffer), .buffer(positions), .bytes(piece.openCLLayout), .int64(Int64(length)),
                .int64(Int64(output.strides[axis])), .int64(padded), .int64(Int64(firstLane * plan.paddedLength)),
            ], global: Self.gridSize(piece.elementCount * length, group), local: group)
            firstLane += piece.elementCount
        }
    }

    /// The largest work-group of the local sorting passes: the element-wise group size, made
    /// smaller until a block's pairs (two slots per item, 12 bytes a slot) fit local memory.
    private var sortGroupSize: Int {
        var size = owner.limits.elementwiseGroupSize
        while size > 1, size * 2 * 12 > owner.limits.localMemoryBytes { size /= 2 }
        return size
    }
}
