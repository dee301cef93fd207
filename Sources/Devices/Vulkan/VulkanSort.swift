import CVulkan
import CVulkanShaders

/// Recording of argsort (glsl/sort_lanes.comp, sort_network.comp, sort.glsl): every lane's
/// elements become (key, position) pairs in a scratch buffer, each lane padded to a power of
/// two P of slots; a bitonic network sorts all lanes at once, by key then position (so the
/// sort is stable); the positions in each lane's first slots become the output. Keys and
/// comparisons are 32-bit words (two for int64 and float64), so one shader serves every
/// dtype, with or without the wide variants. All of it is one recorded command: the
/// dispatches in order, a barrier between stages.
extension VulkanQueue {
    /// `output` (int64, of the input's shape) receives for each lane of `axis` the positions
    /// that sort the input's lane, ascending or `descending`, stably; NaN sorts above every
    /// number and -0.0 equals 0.0 (`torch.argsort(stable=True)`). Throws `invalidArgument`
    /// for operands that do not fit together (`StridedOperand.checkArgsort`) or are not
    /// buffers of this device, `outOfMemory` when the scratch pairs (8 bytes per slot, 16
    /// for int64 and float64) do not fit, and `unsupported` beyond 2^31 - 1 slots.
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.argsort, input.dtype)
        try input.checkArgsort(axis: axis, output: output)
        try recordArgsort(input: input, axis: axis, descending: descending, output: output, kernel: .argsort)
    }

    /// Records the argsort of `input`'s lanes along `axis`, writing each lane's first
    /// `output.shape[axis]` positions (all of them for argsort, k for topk). The operands have
    /// been checked against each other.
    func recordArgsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand,
                       kernel: KernelOp) throws(DeviceError) {
        let operands = try validated(["input": input, "output": output])
        guard output.elementCount > 0 else { return }
        let shaderOperands = try shaderOperands(operands, kernel: kernel, dtype: input.dtype, axis: axis)
        let length = input.shape[axis]
        let slotsLog2 = length <= 1 ? 0 : Int.bitWidth - (length - 1).leadingZeroBitCount
        let slotCount = (output.elementCount / output.shape[axis]) << slotsLog2
        guard slotCount <= Int(Int32.max) else { throw .unsupported(device: vulkan.id, op: kernel, dtype: input.dtype) }
        let keyWords: Int32 = input.dtype.isWide ? 2 : 1
        let pairs = try VulkanBuffer(device: vulkan, byteCount: slotCount * (keyWords == 2 ? 16 : 8), kind: .device)
        let layout = SortLayout(pairs: pairs.deviceAddress, length: length, written: output.shape[axis], slotsLog2: slotsLog2,
                                slotCount: slotCount, keyWords: keyWords)
        var laneShape = input.shape
        laneShape.remove(at: axis)
        let walk = StridedWalk(shape: laneShape, operands: shaderOperands.map { (0, $0.strides) })
        let axisStrides = [input.strides[axis], output.strides[axis]]
        let (keys, positions) = try laneLaunches(layout, walk: walk, shaderOperands: shaderOperands, axisStrides: axisStrides,
                                                 dtype: input.dtype, descending: descending)
        let network = try networkLaunches(layout)
        let stages = [keys] + network.map { [$0] } + [positions]
        try stream.record(retaining: operands.map(\.buffer) + [pairs]) { commands in
            for (index, stage) in stages.enumerated() {
                if index > 0 { VulkanCommands.barrier(vulkan, commands) }
                for launch in stage {
                    VulkanCommands.dispatch(vulkan, commands, pipeline: launch.pipeline, words: launch.words, groups: launch.groups)
                }
            }
        }
    }

    /// The dispatches that make the pairs from the input's lanes and that write the sorted
    /// positions to the output's, one of each per piece of `walk` (the lanes; operand 0 the
    /// input, 1 the output).
    private func laneLaunches(
        _ layout: SortLayout, walk: StridedWalk, shaderOperands: [VulkanLayout.ShaderOperand], axisStrides: [Int],
        dtype: DType, descending: Bool
    ) throws(DeviceError) -> (keys: [SortLaunch], positions: [SortLaunch]) {
        let group = Int32(Self.groupSize)
        let pipelines = [
            try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_SORT_LANES, constants: [group, 0, dtype.shaderCode, layout.keyWords]),
            try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_SORT_LANES, constants: [group, 1, 0, layout.keyWords]),
        ]
        var launches: [[SortLaunch]] = [[], []]
        var firstLane = 0
        for piece in VulkanLayout.pieces(walk) {
            let invocations = [piece.elementCount << layout.slotsLog2, piece.elementCount * layout.written]
            for operand in 0..<2 {
                var words = PushWords()
                words.address(layout.pairs)
                words.address(shaderOperands[operand].address)
                words.ints(piece.shape)
                words.ints(piece.strides[operand])
                words.ints([layout.length, layout.slotsLog2, axisStrides[operand],
                            shaderOperands[operand].offset + piece.offsets[operand], firstLane])
                words.int(descending ? -1 : 0)  // all ones complements the keys
                words.int(layout.written)
                launches[operand].append(SortLaunch(pipeline: pipelines[operand], words: words.words,
                                                    groups: Self.groups(invocations: invocations[operand])))
            }
            firstLane += piece.elementCount
        }
        return (launches[0], launches[1])
    }

    /// The dispatches of the bitonic network, in order (`BitonicStep.steps`).
    private func networkLaunches(_ layout: SortLayout) throws(DeviceError) -> [SortLaunch] {
        let group = Int32(Self.groupSize)
        let global = try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_SORT_NETWORK, constants: [group, 0, layout.keyWords])
        let tiled = try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_SORT_NETWORK, constants: [group, 1, layout.keyWords])
        let tileLog2 = (2 * Self.groupSize).trailingZeroBitCount
        return BitonicStep.steps(slotsLog2: layout.slotsLog2, tileLog2: tileLog2).map { step in
            var words = PushWords()
            words.address(layout.pairs)
            switch step {
            case let .global(block, distance):
                words.ints([layout.slotCount, layout.slotsLog2, block, 0, distance])
                return SortLaunch(pipeline: global, words: words.words, groups: Self.groups(invocations: layout.slotCount / 2))
            case let .tiled(blocks):
                words.ints([layout.slotCount, layout.slotsLog2, blocks.lowerBound, blocks.upperBound, 0])
                let tiles = (layout.slotCount + (1 << tileLog2) - 1) >> tileLog2
                return SortLaunch(pipeline: tiled, words: words.words, groups: VulkanLayout.groups(items: tiles, groupSize: 1, exact: true))
            }
        }
    }

    /// Workgroups of `groupSize` for an invocation each of `invocations` (a 2-D grid).
    private static func groups(invocations: Int) -> (x: UInt32, y: UInt32, z: UInt32) {
        VulkanLayout.groups(items: (invocations + groupSize - 1) / groupSize, groupSize: 1, exact: true)
    }
}

/// Where an argsort's pairs are and how lanes fill them (sort.glsl).
private struct SortLayout {
    /// The device address of the scratch pairs.
    let pairs: UInt64
    /// The axis's length, n.
    let length: Int
    /// The positions written per lane: n for argsort, k for topk.
    let written: Int
    /// log2 of P, the slots per lane (the power of two from n).
    let slotsLog2: Int
    /// Lanes · P.
    let slotCount: Int
    /// 32-bit words per key: 2 for int64 and float64, else 1.
    let keyWords: Int32
}

/// One dispatch of the argsort shaders.
private struct SortLaunch {
    let pipeline: VkPipeline
    let words: [UInt32]
    let groups: (x: UInt32, y: UInt32, z: UInt32)
}

/// The dispatches of the bitonic network over lanes of 2^slotsLog2 slots (sort_network.comp):
/// one tiled dispatch for every block up to a tile of 2^tileLog2 slots, then for each longer
/// block its steps of distances of a tile or more, one global dispatch each, and a tiled
/// dispatch for the shorter distances.
enum BitonicStep: Equatable {
    /// One step over the whole scratch: blocks of 2^block slots, distance 2^distance.
    case global(block: Int, distance: Int)
    /// For each block 2^b, b in `blocks`, the steps of distances below a tile, in shared memory.
    case tiled(blocks: ClosedRange<Int>)

    static func steps(slotsLog2: Int, tileLog2: Int) -> [BitonicStep] {
        guard slotsLog2 > 0 else { return [] }
        var steps: [BitonicStep] = [.tiled(blocks: 1...min(slotsLog2, tileLog2))]
        for block in stride(from: tileLog2 + 1, through: slotsLog2, by: 1) {
            steps += stride(from: block - 1, through: tileLog2, by: -1).map { .global(block: block, distance: $0) }
            steps.append(.tiled(blocks: block...block))
        }
        return steps
    }
}
