import Testing
@testable import DeviceShimDevices

/// bfloat16 GEMMs on DeviceShim's AVX512-BF16 tile (`CPUBFloat16Gemm`): split by batch and by
/// column blocks, every transpose combination, odd k, sums in float32 rounded once to nearest
/// even, NaN, and subnormal inputs counted as zero (as `vdpbf16ps` defines).
extension CPUGemmTests {
    static let noTile = "this CPU has no AVX512-BF16: its bfloat16 GEMMs are widened to float32 instead"

    @Test(.enabled(if: CPUBFloat16Gemm.available, Comment(rawValue: noTile)))
    func bfloat16TileMatchesReference() throws {
        var random = SeededGenerator(seed: 0xBF16)
        let queue = try cpuQueue()
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                // By batch; by columns with odd k and rows past 64; one batch wide enough for
                // every core; k of 1; alpha 0 (A·B unread).
                for (m, n, k, batches, alpha, beta) in [(70, 13, 33, 24, 1.0, 0.0), (130, 50, 67, 1, -0.5, 1.0),
                                                        (64, 200, 128, 1, 2.0, 0.25), (17, 9, 1, 3, 1.0, 0.5),
                                                        (33, 12, 50, 40, 0.0, 0.5)] {
                    try run(Case(m: m, n: n, k: k, batchCount: batches, transposeA: transposeA, transposeB: transposeB,
                                 alpha: alpha, beta: beta), dtype: .bfloat16, queue: queue, using: &random)
                }
            }
        }
    }

    /// Every batch writing the same C (batch stride 0): split by columns, the batches in order.
    @Test(.enabled(if: CPUBFloat16Gemm.available, Comment(rawValue: noTile)))
    func bfloat16TileWithSharedOutputKeepsTheLastBatch() throws {
        var random = SeededGenerator(seed: 0xBF17)
        let a = try Matrix(rows: 90, columns: 40, batchCount: 8, dtype: .bfloat16, using: &random)
        let b = try Matrix(rows: 40, columns: 120, batchCount: 8, dtype: .bfloat16, using: &random)
        let c = try Matrix(rows: 90, columns: 120, batchCount: 8, dtype: .bfloat16, broadcast: true, using: &random)
        let operation = GemmOperation(dtype: .bfloat16, m: 90, n: 120, k: 40, a: a.operand, b: b.operand, c: c.operand,
                                      batchCount: 8)
        #expect(CPUBFloat16Gemm.split(operation).byBatch == false)
        let queue = try cpuQueue()
        try queue.gemm(operation)
        try queue.synchronize()
        var worst = 0.0
        for row in 0..<90 {
            for column in 0..<120 {
                let products = (0..<40).map {
                    a.value(row: row, column: $0, batch: 7) * b.value(row: $0, column: column, batch: 7)
                }
                let (sum, scale) = (products.reduce(0, +), products.reduce(0) { $0 + $1.magnitude })
                worst = max(worst, (c.value(row: row, column: column, batch: 0) - sum).magnitude / max(scale, 1))
            }
        }
        #expect(worst <= tolerance(.bfloat16))
    }

    @Test func bfloat16SplitsByBatchByColumnsOrNotAtAll() throws {
        let buffer = try cpuBuffer([0], .bfloat16)
        func operation(m: Int, n: Int, k: Int, batches: Int, cStride: Int) -> GemmOperation {
            GemmOperation(dtype: .bfloat16, transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, beta: 0,
                          a: MatrixOperand(buffer, leadingDimension: m, batchStride: m * k),
                          b: MatrixOperand(buffer, leadingDimension: k, batchStride: k * n),
                          c: MatrixOperand(buffer, leadingDimension: m, batchStride: cStride), batchCount: batches)
        }
        let many = Parallel.coreCount * 32
        // Enough batches of 128³: one batch is enough work for a core.
        #expect(CPUBFloat16Gemm.split(operation(m: 128, n: 128, k: 128, batches: many, cStride: 128 * 128))
            == .init(byBatch: true, units: many, minimumPerCore: 1))
        // Batches of 16 × 16 × 16 (4,096 multiply-adds): 64 of them make a core's share.
        #expect(CPUBFloat16Gemm.split(operation(m: 16, n: 16, k: 16, batches: many, cStride: 256))
            == .init(byBatch: true, units: many, minimumPerCore: 64))
        // One 1024³ GEMM: 171 blocks of six columns, each worth a core.
        #expect(CPUBFloat16Gemm.split(operation(m: 1024, n: 1024, k: 1024, batches: 1, cStride: 0))
            == .init(byBatch: false, units: 171, minimumPerCore: 1))
        // Every batch writing one C: by columns, each core taking all batches in order.
        #expect(CPUBFloat16Gemm.split(operation(m: 128, n: 128, k: 128, batches: many, cStride: 0)).byBatch == false)
        // C overlapping at a stride of one column: one core takes everything.
        #expect(CPUBFloat16Gemm.split(operation(m: 128, n: 120, k: 128, batches: many, cStride: 128))
            == .init(byBatch: false, units: 20, minimumPerCore: 20))
    }

    /// The widened path for part of a GEMM, which a tile part falls back to when its scratch
    /// cannot be allocated: only that part's batches and columns change.
    @Test(arguments: [false, true])
    func widenedPartWritesOnlyItsBatchesAndColumns(transposeB: Bool) throws {
        var random = SeededGenerator(seed: 0xBF18)
        let (m, n, k, batches) = (20, 20, 9, 4)
        let a = try Matrix(rows: m, columns: k, batchCount: batches, dtype: .bfloat16, using: &random)
        let b = try Matrix(rows: transposeB ? n : k, columns: transposeB ? k : n, batchCount: batches, dtype: .bfloat16,
                           using: &random)
        let c = try Matrix(rows: m, columns: n, batchCount: batches, dtype: .bfloat16, using: &random)
        let before = (0..<c.elementCount).map { TestElements.load(.bfloat16, at: $0, in: c.buffer) }
        let plan = try CPUGemm.validated(GemmOperation(
            dtype: .bfloat16, transposeB: transposeB, m: m, n: n, k: k, alpha: 1.5, beta: 0.5, a: a.operand,
            b: b.operand, c: c.operand, batchCount: batches))
        CPUGemm.runWidened(plan, BFloat16.self, batches: 1..<3, columns: 5..<17, alone: true)
        var worst = 0.0
        for batch in 0..<batches {
            for column in 0..<n {
                for row in 0..<m {
                    let index = c.index(row: row, column: column, batch: batch)
                    let after = TestElements.load(.bfloat16, at: index, in: c.buffer)
                    guard (1..<3).contains(batch), (5..<17).contains(column) else {
                        #expect(after == before[index], "batch \(batch) column \(column) row \(row) changed")
                        continue
                    }
                    let sum = (0..<k).reduce(0.0) { total, p in
                        let y = transposeB ? b.value(row: column, column: p, batch: batch)
                            : b.value(row: p, column: column, batch: batch)
                        return total + a.value(row: row, column: p, batch: batch) * y
                    }
                    // |x|, |y| ≤ 2: the sum's magnitude is at most 1.5 · 4k.
                    let expected = 1.5 * sum + 0.5 * before[index]
                    worst = max(worst, (after - expected).magnitude / (1.5 * Double(k) * 4))
                }
            }
        }
        #expect(worst <= tolerance(.bfloat16))
    }

    /// alpha · Σ A·B summed in float32 and rounded to bfloat16 once, ties to even.
    @Test(.enabled(if: CPUBFloat16Gemm.available, Comment(rawValue: noTile)))
    func bfloat16TileRoundsOnceToNearestEven() throws {
        let step = 1.0 / 256  // half a unit in the last place of bfloat16 at 1
        // 1 + ½ulp is a tie: to 1 (even); 1 + 1½ulp: to 1 + 2ulp (even); just above a tie: up.
        #expect(try bfloat16Product([1], [1], alpha: 1 + step) == [1])
        #expect(try bfloat16Product([1], [1], alpha: 1 + 3 * step) == [1 + 4 * step])
        #expect(try bfloat16Product([1], [1], alpha: 1 + step + 0x1p-20) == [1 + 2 * step])
        // Rounded after each product, 1 + ½ulp + ½ulp would stay 1; summed in float32 it is 1 + 1ulp.
        #expect(try bfloat16Product([1, 1, 1], [1, step, step], alpha: 1) == [1 + 2 * step])
        // A NaN in A makes its row NaN in every column; the other rows are numbers.
        let withNaN = try bfloat16Product([.nan, 1, 2, 3], [1, 2, 3, 4], alpha: 1, m: 2, n: 2)
        #expect(withNaN[0].isNaN && withNaN[2].isNaN && withNaN[1] == 7 && withNaN[3] == 15)
        // Subnormal bfloat16 (2⁻¹³³) counts as zero, as in PyTorch's oneDNN kernels; widened, 2⁻³³.
        #expect(try bfloat16Product([0x1p-133], [0x1p100], alpha: 1) == [0])
        // A subnormal float32 sum (2⁻¹²⁷, a bfloat16 too) becomes zero as well.
        #expect(try bfloat16Product([0x1p-63], [0x1p-64], alpha: 1) == [0])
    }

    /// C (m × n) = alpha · A (m × k) · B (k × n), column-major bfloat16 on the CPU queue.
    private func bfloat16Product(_ a: [Double], _ b: [Double], alpha: Double, m: Int = 1,
                                 n: Int = 1) throws -> [Double] {
        let k = a.count / m
        let (aBuffer, bBuffer) = (try cpuBuffer(a, .bfloat16), try cpuBuffer(b, .bfloat16))
        let c = try cpuBuffer([Double](repeating: .nan, count: m * n), .bfloat16)
        let queue = try cpuQueue()
        try queue.gemm(GemmOperation(dtype: .bfloat16, m: m, n: n, k: k, alpha: alpha,
                                     a: MatrixOperand(aBuffer, leadingDimension: m),
                                     b: MatrixOperand(bBuffer, leadingDimension: k),
                                     c: MatrixOperand(c, leadingDimension: m)))
        try queue.synchronize()
        return contents(c, .bfloat16, count: m * n)
    }
}
