import CVulkanShaders

/// GEMM with the tiled shared-memory shader (gemm.comp): float32, float16 and bfloat16
/// (float32 arithmetic, rounded once), and float64 on devices with shaderFloat64. Tile sizes are specialization constants: 8 × 8 invocations, each
/// computing 8 × 8 elements of C, over slices 16 deep (the best of the shapes tried on lavapipe).
extension VulkanQueue {
    static let gemmTile = (x: 8, y: 8, perInvocationM: 8, perInvocationN: 8, depth: 16)

    public func gemm(_ operation: GemmOperation) throws(DeviceError) {
        try requireSupport(.gemm, operation.dtype)
        let (m, n, k, batchCount) = (operation.m, operation.n, operation.k, operation.batchCount)
        try operation.checkSizes()
        let touched = m > 0 && n > 0 && batchCount > 0
        let reads = touched && k > 0 && operation.alpha != 0
        let a = try matrix("A", operation.a, rows: operation.transposeA ? k : m, columns: operation.transposeA ? m : k,
                           batchCount: batchCount, dtype: operation.dtype, touched: reads)
        let b = try matrix("B", operation.b, rows: operation.transposeB ? n : k, columns: operation.transposeB ? k : n,
                           batchCount: batchCount, dtype: operation.dtype, touched: reads)
        let c = try matrix("C", operation.c, rows: m, columns: n, batchCount: batchCount, dtype: operation.dtype, touched: touched)
        guard touched else { return }
        let tile = Self.gemmTile
        let double = operation.dtype == .float64
        let shader = switch operation.dtype {
        case .float64: DS_VULKAN_SHADER_GEMM_FLOAT64
        case .float16: DS_VULKAN_SHADER_GEMM_FLOAT16
        case .bfloat16: DS_VULKAN_SHADER_GEMM_BFLOAT16
        default: DS_VULKAN_SHADER_GEMM_FLOAT32
        }
        let pipeline = try vulkan.pipelines.pipeline(shader,
                                                     constants: [tile.x, tile.y, tile.perInvocationM, tile.perInvocationN, tile.depth].map { Int32($0) })
        let flags = (operation.transposeA ? 1 : 0) | (operation.transposeB ? 2 : 0) | (operation.beta == 0 ? 4 : 0)
        let groupsX = UInt32((m + tile.x * tile.perInvocationM - 1) / (tile.x * tile.perInvocationM))
        let groupsY = UInt32((n + tile.y * tile.perInvocationN - 1) / (tile.y * tile.perInvocationN))
        var launches: [([UInt32], (UInt32, UInt32, UInt32))] = []
        for first in stride(from: 0, to: batchCount, by: 65535) {
            var words = PushWords()
            words.address(a.address)
            words.address(b.address)
            words.address(c.address)
            words.ints([m, n, reads ? k : 0, operation.a.leadingDimension, operation.b.leadingDimension, operation.c.leadingDimension])
            words.ints([operation.a.batchStride, operation.b.batchStride, operation.c.batchStride, flags])
            words.ints([a.offset + first * operation.a.batchStride, b.offset + first * operation.b.batchStride,
                        c.offset + first * operation.c.batchStride, 0])
            if double {
                words.double(operation.alpha)
                words.double(operation.beta)
            } else {
                words.float(Float(operation.alpha))
                words.float(Float(operation.beta))
            }
            launches.append((words.words, (groupsX, groupsY, UInt32(min(65535, batchCount - first)))))
        }
        try stream.record(retaining: [a.buffer, b.buffer, c.buffer]) { commands in
            for (words, groups) in launches {
                VulkanCommands.dispatch(vulkan, commands, pipeline: pipeline, words: words, groups: groups)
            }
        }
    }

    /// Checks one matrix as BLAS would and gives its base: the address of the lowest element
    /// any batch touches, and the operand's offset from there.
    private func matrix(_ name: String, _ matrix: MatrixOperand, rows: Int, columns: Int, batchCount: Int, dtype: DType,
                        touched: Bool) throws(DeviceError) -> (buffer: VulkanBuffer, address: UInt64, offset: Int) {
        let buffer = try VulkanValidation.buffer(matrix.buffer, role: "gemm matrix \(name)", device: vulkan)
        let leading = matrix.leadingDimension
        guard leading >= max(1, rows), leading <= Int(Int32.max) else {
            throw .invalidArgument("gemm leading dimension of \(name) is \(leading), it must be at least \(max(1, rows))")
        }
        guard touched else { return (buffer, buffer.deviceAddress, 0) }
        let (lastBatch, overflow1) = (batchCount - 1).multipliedReportingOverflow(by: matrix.batchStride)
        let (lastColumn, overflow2) = (columns - 1).multipliedReportingOverflow(by: leading)
        let lowest = matrix.offset &+ min(0, lastBatch)
        let highest = matrix.offset &+ max(0, lastBatch) &+ (rows - 1) &+ lastColumn
        let (endByte, overflow3) = (highest &+ 1).multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow1, !overflow2, !overflow3, lowest >= 0, endByte <= buffer.byteCount else {
            throw .invalidArgument("gemm matrix \(name) (\(rows)×\(columns), leading dimension \(leading), offset \(matrix.offset), "
                + "batch stride \(matrix.batchStride) × \(batchCount)) lies outside its \(buffer.byteCount)-byte buffer")
        }
        guard highest - lowest < Int(Int32.max) else {
            throw .unsupported(device: vulkan.id, op: .gemm, dtype: dtype)
        }
        return (buffer, buffer.deviceAddress + UInt64(lowest * dtype.byteSize), matrix.offset - lowest)
    }
}
