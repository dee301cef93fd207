/// `argsort` and `topk` on OpenCL: the shared operand checks, then a bitonic network over
/// (key, position) pairs in scratch buffers of the queue's own (`OpenCLSortSource`,
/// `BitonicSortPlan`): keys loaded lane by lane, every lane sorted at once, and the positions
/// (a topk's first k) written to the output. A topk of up to 16 selects in one pass instead.
extension OpenCLQueue {
    /// Writes to `output` (int64) the positions that sort each lane of `input` along `axis`,
    /// stably, ascending or `descending`; NaN sorts above every number and -0.0 equals 0.0.
    /// Throws `invalidArgument` for operands that do not fit together or lanes longer than
    /// 2^32 elements, `outOfMemory` when the scratch buffers (12 bytes a slot) do not fit, and
    /// `unsupported` for float64 without `cl_khr_fp64`.
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.argsort, input.dtype)
        try input.checkArgsort(axis: axis, output: output)
        try enqueueArgsort(input: input, axis: axis, descending: descending, output: output)
    }

    /// Writes to `output` (int64) the first k positions of each lane's stable argsort along
    /// `axis` (k = `output.shape[axis]`), descending for `largest` (`torch.topk`'s indices,
    /// ties in position order): for k up to 16 one work-item per lane selects them in one
    /// read of the lane (`topk_select`), above that the argsort's network runs and writes
    /// each lane's first k. Throws as `argsort` does.
    public func topk(input: StridedOperand, axis: Int, k: Int, largest: Bool, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.topk, input.dtype)
        try input.checkTopk(axis: axis, k: k, output: output)
        guard k <= OpenCLSortSource.topkSelectionLimit else {
            return try enqueueArgsort(input: input, axis: axis, descending: largest, output: output)
        }
        let (inputBuffer, outputBuffer, lanes) = try laneOperands(input: input, axis: axis, output: output)
        guard lanes.elementCount > 0, k > 0 else { return }
        let program = try keysProgram(input.dtype)
        let group = owner.limits.elementwiseGroupSize
        for piece in lanes.pieces(maxRank: OpenCLKernelSource.maxRank) {
            try launch(program, "topk_select", [
                .buffer(inputBuffer), .buffer(outputBuffer), .bytes(piece.openCLLayout), .int64(Int64(input.shape[axis])),
                .int64(Int64(input.strides[axis])), .int64(Int64(output.strides[axis])), .int64(Int64(k)),
                .int64(largest ? -1 : 0),
            ], global: Self.gridSize(piece.elementCount, group), local: group)
        }
    }

    /// The argsort of each lane of `input` along `axis`, writing the first
    /// `output.shape[axis]` positions of each (all for argsort, k for topk); the operands have
    /// been checked against each other.
    private func enqueueArgsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        let (inputBuffer, outputBuffer, lanes) = try laneOperands(input: input, axis: axis, output: output)
        let length = input.shape[axis]
        guard lanes.elementCount > 0, length > 0 else { return }
        guard length <= 1 << 32 else {
            throw .invalidArgument("an OpenCL argsort sorts lanes of at most 2^32 elements, not \(length)")
        }
        let plan = BitonicSortPlan(length: length, lanes: lanes.elementCount, maxGroupSize: sortGroupSize)
        let keys = try OpenCLBuffer(device: owner, byteCount: plan.slots * 8)
        let positions = try OpenCLBuffer(device: owner, byteCount: plan.slots * 4)
        let dtype = input.dtype
        let keysProgram = try keysProgram(dtype)
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
        let written = output.shape[axis]
        for piece in pieces {
            try launch(network, "argsort_store", [
                .buffer(outputBuffer), .buffer(positions), .bytes(piece.openCLLayout), .int64(Int64(written)),
                .int64(Int64(output.strides[axis])), .int64(padded), .int64(Int64(firstLane * plan.paddedLength)),
            ], global: Self.gridSize(piece.elementCount * written, group), local: group)
            firstLane += piece.elementCount
        }
    }

    /// The input's and output's buffers on this device, and the walk over their lanes along
    /// `axis` (operand 0 the output's first element of each lane, 1 the input's).
    private func laneOperands(input: StridedOperand, axis: Int, output: StridedOperand) throws(DeviceError)
        -> (input: OpenCLBuffer, output: OpenCLBuffer, lanes: StridedWalk) {
        var laneShape = input.shape
        laneShape[axis] = 1
        return (try OpenCLValidation.buffer(input.buffer, role: "input", on: owner),
                try OpenCLValidation.buffer(output.buffer, role: "output", on: owner),
                StridedWalk(shape: laneShape, operands: [(output.offset, output.strides), (input.offset, input.strides)]))
    }

    /// The program that makes `dtype`'s keys (`argsort_load`, `topk_select`).
    private func keysProgram(_ dtype: DType) throws(DeviceError) -> OpenCLProgram {
        try owner.programs.program(OpenCLSortSource.keysProgramName(dtype), device: owner) { OpenCLSortSource.keysSource(dtype) }
    }

    /// The largest work-group of the local sorting passes: the element-wise group size, made
    /// smaller until a block's pairs (two slots per item, 12 bytes a slot) fit local memory.
    private var sortGroupSize: Int {
        var size = owner.limits.elementwiseGroupSize
        while size > 1, size * 2 * 12 > owner.limits.localMemoryBytes { size /= 2 }
        return size
    }
}
