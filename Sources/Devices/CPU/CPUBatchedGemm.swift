import CBLAS
import CCPUKernels

/// A batch of small float32 or float64 GEMMs (a batched matmul of many small matrices) split
/// across the cores by batch: each core computes whole GEMMs on its own, one after another.
///
/// The BLAS called per batch runs every GEMM on all its threads: 64 fork-joins for 64
/// batches, each of a few microseconds of work per thread. Split by batch, `bmm` of 64 × 128³
/// took 1.47–1.89 ms in the tensor benchmark, against 2.29–2.53 ms called per batch with
/// OpenBLAS and 5.6–6.1 ms with MKL (2 cores, Zen 4). Each core then computes alone: with MKL
/// through `ds_blas_sgemm` / `ds_blas_dgemm` (which limit MKL to the calling thread), with
/// OpenBLAS, which has no per-thread setting, through DeviceShim's own tiles
/// (`ds_float_gemm_batch`, `ds_double_gemm_batch`, where the CPU has AVX-512F). float64 `bmm`
/// with MKL went from 0.47× PyTorch to 0.77–1.06× split. With OpenBLAS, 64 GEMMs of 128³ in
/// double took a median 4.8 ms split through the tile, 5.0 ms per batch (C harness, 24
/// alternating rounds; the tile was faster in 18). Without AVX-512F, OpenBLAS keeps every batch.
enum CPUBatchedGemm {
    /// GEMMs of at most this many multiply-adds each (128³) are split by batch; larger ones
    /// keep the BLAS's own threads, which then have enough work each.
    static let largestSplitGemm = 1 << 21

    /// Each core used takes at least this many multiply-adds, about 10 µs: less is not
    /// worth waking a worker for.
    static let multipliesPerCore = 1 << 18

    /// How one core computes its GEMMs alone, or nil when none can (OpenBLAS without AVX-512F).
    enum Solo { case mkl, tile }
    static let solo: Solo? = CPUGemm.computesAloneOnHostThread ? .mkl : ds_float_gemm_vectorised() != 0 ? .tile : nil

    /// The batches each core takes at least, or nil when `operation` is not split: not
    /// float32 or float64, a single batch, batches whose C overlap (two cores
    /// would write the same elements; in order, each batch sees the one before), GEMMs above
    /// `largestSplitGemm`, too little work for two cores, or no way to compute alone.
    static func minimumBatchesPerCore(_ operation: GemmOperation) -> Int? {
        guard operation.dtype == .float32 || operation.dtype == .float64, solo != nil,
              operation.m > 0, operation.n > 0, operation.batchCount > 1, operation.batchCount <= Int(Int32.max)
        else { return nil }
        guard !operation.outputsOverlap else { return nil }
        let multiplies = operation.multipliesPerBatch
        guard multiplies <= largestSplitGemm else { return nil }
        let minimum = max(1, multipliesPerCore / max(multiplies, 1))
        return Parallel.partCount(for: operation.batchCount, minimumPerCore: minimum) > 1 ? minimum : nil
    }

    /// Computes `plan` split by batch and returns true, or returns false (nothing computed)
    /// when it is not split (`minimumBatchesPerCore`).
    static func run(_ plan: GemmPlan) -> Bool {
        guard let minimum = minimumBatchesPerCore(plan.operation), let solo else { return false }
        Parallel.forEachRange(count: plan.operation.batchCount, minimumPerCore: minimum, granularity: 1) { batches in
            // The tile's scratch (about 300 bytes per unit of k) not allocated: the BLAS computes
            // these batches instead.
            if solo == .tile, tile(plan, batches) { return }
            if plan.operation.dtype == .float64 {
                CPUGemm.runFloat64(plan, batches: batches, alone: true)
            } else {
                CPUGemm.runFloat32(plan, batches: batches, alone: true)
            }
        }
        return true
    }

    /// `batches` through `ds_float_gemm_batch` or `ds_double_gemm_batch`; false when it could
    /// not allocate its scratch.
    private static func tile(_ plan: GemmPlan, _ batches: Range<Int>) -> Bool {
        guard !batches.isEmpty else { return true }
        let gemm = plan.operation
        let (transposeA, transposeB): (Int32, Int32) = (gemm.transposeA ? 1 : 0, gemm.transposeB ? 1 : 0)
        let (m, n, k, count) = (Int32(gemm.m), Int32(gemm.n), Int32(gemm.k), Int32(batches.count))
        let (lda, ldb, ldc) = (Int32(gemm.a.leadingDimension), Int32(gemm.b.leadingDimension),
                               Int32(gemm.c.leadingDimension))
        let (aStride, bStride, cStride) = (gemm.a.batchStride, gemm.b.batchStride, gemm.c.batchStride)
        if gemm.dtype == .float64 {
            let (a, b, c) = plan.matrices(of: batches.lowerBound, as: Double.self)
            return ds_double_gemm_batch(transposeA, transposeB, m, n, k, gemm.alpha, a, lda, aStride, b, ldb, bStride,
                                        gemm.beta, c, ldc, cStride, count) == 0
        }
        let (a, b, c) = plan.matrices(of: batches.lowerBound, as: Float.self)
        return ds_float_gemm_batch(transposeA, transposeB, m, n, k, Float(gemm.alpha), a, lda, aStride, b, ldb, bStride,
                                   Float(gemm.beta), c, ldc, cStride, count) == 0
    }
}
