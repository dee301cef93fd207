import CCPUKernels

/// bfloat16 GEMMs on CPUs with AVX512-BF16, through DeviceShim's own tile
/// (`ds_bfloat16_gemm_batch`: pairs of bfloat16 multiplied with `vdpbf16ps`, summed in
/// float32, rounded once), split across the cores: by batch when there are at least as
/// many batches as cores, otherwise by blocks of six columns of C.
///
/// Elsewhere each batch is widened to float32 for the BLAS and rounded back (`CPUGemm`),
/// which for `bmm` of 64 × 128³ took 5.9 ms on two Zen 4 cores, against PyTorch's 0.75 ms.
enum CPUBFloat16Gemm {
    /// Whether this CPU has AVX512-BF16 (read once).
    static let available = ds_bfloat16_gemm_supported() != 0

    /// How an operation's work is divided: `units` items (whole batches when `byBatch`, else
    /// blocks of `columnsPerUnit` columns of C, every batch of them), each core used taking
    /// at least `minimumPerCore`.
    struct Split: Equatable {
        var byBatch: Bool
        var units: Int
        var minimumPerCore: Int
    }

    /// Column blocks: the tile's width, so no core computes padding columns but the last.
    static let columnsPerUnit = 6

    /// The split for `operation`: by batch when its batches' C do not overlap and there are
    /// at least as many as cores; otherwise by column blocks, each core taking every batch
    /// of its columns in order — unless batches' C overlap at a nonzero stride (a column
    /// of one batch may then be another column of the next), when one core takes it all.
    static func split(_ operation: GemmOperation) -> Split {
        let (n, batchCount) = (operation.n, operation.batchCount)
        let overlapping = operation.outputsOverlap
        let perCore = CPUBatchedGemm.multipliesPerCore  // each core used takes at least this
        if !overlapping, batchCount >= Parallel.coreCount {
            let perBatch = operation.multipliesPerBatch
            return Split(byBatch: true, units: batchCount, minimumPerCore: max(1, perCore / max(perBatch, 1)))
        }
        let blocks = (n + columnsPerUnit - 1) / columnsPerUnit
        guard !overlapping || operation.c.batchStride == 0 else {
            return Split(byBatch: false, units: blocks, minimumPerCore: blocks)
        }
        let perBlock = operation.multiplies / max(blocks, 1)
        return Split(byBatch: false, units: blocks, minimumPerCore: max(1, perCore / max(perBlock, 1)))
    }

    /// Computes `plan` and returns true; returns false, having written nothing, without
    /// AVX512-BF16. A part whose scratch cannot be allocated is computed the widened way.
    static func run(_ plan: GemmPlan) -> Bool {
        guard available, plan.operation.dtype == .bfloat16 else { return false }
        let operation = plan.operation
        let split = split(operation)
        Parallel.forEachRange(count: split.units, minimumPerCore: split.minimumPerCore, granularity: 1) { units in
            guard !units.isEmpty else { return }
            if split.byBatch {
                compute(plan, batches: units, columns: 0..<operation.n)
            } else {
                let columns = units.lowerBound * columnsPerUnit..<min(operation.n, units.upperBound * columnsPerUnit)
                compute(plan, batches: 0..<operation.batchCount, columns: columns)
            }
        }
        return true
    }

    private static func compute(_ plan: GemmPlan, batches: Range<Int>, columns: Range<Int>) {
        let operation = plan.operation
        let (a, b, c) = plan.matrices(of: batches.lowerBound, as: UInt16.self)
        let status = ds_bfloat16_gemm_batch(
            operation.transposeA ? 1 : 0, operation.transposeB ? 1 : 0, Int32(operation.m), Int32(operation.k),
            Float(operation.alpha), a, Int32(operation.a.leadingDimension), operation.a.batchStride,
            b, Int32(operation.b.leadingDimension), operation.b.batchStride, Float(operation.beta),
            c, Int32(operation.c.leadingDimension), operation.c.batchStride, Int32(batches.count),
            Int32(columns.lowerBound), Int32(columns.upperBound))
        if status != 0 { CPUGemm.runWidened(plan, BFloat16.self, batches: batches, columns: columns, alone: true) }
    }
}
