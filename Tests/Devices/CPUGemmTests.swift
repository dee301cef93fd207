import Testing
@testable import DeviceShimDevices

/// GEMM (column-major, as BLAS) against a float64 reference: every transpose combination,
/// leading dimensions larger than the matrices, offsets, strided and broadcast batches,
/// alpha and beta, and C never read when beta is 0.
@Suite struct CPUGemmTests {
    struct Case: CustomStringConvertible {
        var m: Int, n: Int, k: Int, batchCount: Int
        var transposeA: Bool, transposeB: Bool
        var alpha: Double, beta: Double
        var description: String {
            "m \(m) n \(n) k \(k) batches \(batchCount) \(transposeA ? "T" : "N")\(transposeB ? "T" : "N") alpha \(alpha) beta \(beta)"
        }
    }

    @Test(arguments: [DType.float32, .float64, .float16, .bfloat16])
    func gemmMatchesReference(dtype: DType) throws {
        #expect(CPUDevice.shared.supports(.gemm, dtype))
        var random = SeededGenerator(seed: 0x6E_0000 + UInt64(DType.allCases.firstIndex(of: dtype)!))
        var cases: [Case] = []
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for sizes in [(1, 1, 1, 1), (0, 3, 2, 2), (3, 2, 0, 2), (5, 7, 3, 3), (17, 9, 33, 2), (40, 31, 27, 1)] {
                    let (alpha, beta) = [(1.0, 0.0), (-0.5, 1.0), (2.0, 0.25)].randomElement(using: &random)!
                    cases.append(Case(m: sizes.0, n: sizes.1, k: sizes.2, batchCount: sizes.3, transposeA: transposeA,
                                      transposeB: transposeB, alpha: alpha, beta: beta))
                }
            }
        }
        let queue = try cpuQueue()
        for testCase in cases {
            try run(testCase, dtype: dtype, queue: queue, using: &random)
        }
    }

    /// Large enough for OpenBLAS to use its threads.
    @Test func largeFloat32Gemm() throws {
        var random = SeededGenerator(seed: 0x256)
        try run(Case(m: 256, n: 192, k: 320, batchCount: 1, transposeA: true, transposeB: false, alpha: 1, beta: 0),
                dtype: .float32, queue: try cpuQueue(), using: &random)
    }

    /// Many small float32 GEMMs, split by batch across the cores (`CPUBatchedGemm`): every
    /// transpose combination, rows and columns past the 64 × 6 tile, alpha 0 (A·B unread),
    /// beta 0 (C unread), and B shared by every batch in some.
    @Test func smallBatchesSplitAcrossCoresMatchReference() throws {
        var random = SeededGenerator(seed: 0xBA7C)
        let queue = try cpuQueue()
        // Both dtypes split, with MKL or the tiles.
        let splits = CPUBatchedGemm.solo != nil && Parallel.coreCount > 1
        for dtype in [DType.float32, .float64] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    for (m, n, k, batches, alpha, beta) in [(70, 13, 33, 24, 1.0, 0.0), (130, 6, 40, 32, -0.5, 1.0),
                                                            (64, 20, 8, 60, 2.0, 0.25), (33, 12, 50, 40, 0.0, 0.5)] {
                        try run(Case(m: m, n: n, k: k, batchCount: batches, transposeA: transposeA, transposeB: transposeB,
                                     alpha: alpha, beta: beta), dtype: dtype, queue: queue, split: splits, using: &random)
                    }
                }
            }
        }
        // Not split: a half-precision dtype, one batch, GEMMs above 128³, too little work for two
        // cores, every batch writing the same C.
        for (dtype, m, batches, sharedC) in [(DType.bfloat16, 70, 24, false), (.float32, 70, 1, false),
                                             (.float32, 2000, 24, false), (.float32, 2, 24, false), (.float32, 70, 24, true)] {
            let a = try Matrix(rows: m, columns: 33, batchCount: batches, dtype: dtype, using: &random)
            let b = try Matrix(rows: 33, columns: 40, batchCount: batches, dtype: dtype, using: &random)
            let c = try Matrix(rows: m, columns: 40, batchCount: batches, dtype: dtype, broadcast: sharedC, using: &random)
            let operation = GemmOperation(dtype: dtype, transposeA: false, transposeB: false, m: m, n: 40, k: 33, alpha: 1,
                                          beta: 0, a: a.operand, b: b.operand, c: c.operand, batchCount: batches)
            #expect(CPUBatchedGemm.minimumBatchesPerCore(operation) == nil, "\(dtype) m \(m) batches \(batches)")
        }
    }

    func run(_ c: Case, dtype: DType, queue: any DeviceQueue, split: Bool? = nil,
             using random: inout SeededGenerator) throws {
        let (aRows, aColumns) = c.transposeA ? (c.k, c.m) : (c.m, c.k)
        let (bRows, bColumns) = c.transposeB ? (c.n, c.k) : (c.k, c.n)
        let a = try Matrix(rows: aRows, columns: aColumns, batchCount: c.batchCount, dtype: dtype, using: &random)
        // B is shared by every batch (batch stride 0) in half the cases.
        let b = try Matrix(rows: bRows, columns: bColumns, batchCount: c.batchCount, dtype: dtype,
                           broadcast: Bool.random(using: &random), using: &random)
        let cMatrix = try Matrix(rows: c.m, columns: c.n, batchCount: c.batchCount, dtype: dtype,
                                 fill: c.beta == 0 ? .nan : nil, using: &random)
        let before = (0..<cMatrix.elementCount).map { TestElements.load(dtype, at: $0, in: cMatrix.buffer) }
        let operation = GemmOperation(dtype: dtype, transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                                      alpha: c.alpha, beta: c.beta, a: a.operand, b: b.operand, c: cMatrix.operand,
                                      batchCount: c.batchCount)
        if let split { #expect((CPUBatchedGemm.minimumBatchesPerCore(operation) != nil) == split, "split: \(c)") }
        try queue.gemm(operation)
        try queue.synchronize()

        var expected = before
        var scales = [Double](repeating: 0, count: before.count)
        var inside = Set<Int>()
        for batch in 0..<c.batchCount {
            for row in 0..<c.m {
                for column in 0..<c.n {
                    var sum = 0.0, magnitude = 0.0
                    for index in 0..<c.k {
                        let x = c.transposeA ? a.value(row: index, column: row, batch: batch) : a.value(row: row, column: index, batch: batch)
                        let y = c.transposeB ? b.value(row: column, column: index, batch: batch) : b.value(row: index, column: column, batch: batch)
                        sum += x * y
                        magnitude += (x * y).magnitude
                    }
                    let element = cMatrix.index(row: row, column: column, batch: batch)
                    let old = c.beta == 0 ? 0 : c.beta * before[element]
                    expected[element] = TestElements.rounded(c.alpha * sum + old, to: dtype)
                    scales[element] = (c.alpha * magnitude).magnitude + old.magnitude
                    inside.insert(element)
                }
            }
        }
        let after = (0..<cMatrix.elementCount).map { TestElements.load(dtype, at: $0, in: cMatrix.buffer) }
        let insideIndices = inside.sorted()
        let worst = worstError(insideIndices.map { after[$0] }, insideIndices.map { expected[$0] },
                               scales: insideIndices.map { scales[$0] })
        #expect(worst.error <= tolerance(dtype), "\(dtype) \(c): element \(worst.index) is off by \(worst.error)")
        let outside = (0..<after.count).filter { !inside.contains($0) }
        #expect(outside.allSatisfy { after[$0].bitPattern == before[$0].bitPattern }, "\(dtype) \(c) wrote outside C")
    }
}

/// A batch of column-major matrices in one buffer, with a leading dimension, offset and
/// batch stride all larger than needed (or a batch stride of 0).
struct Matrix {
    let buffer: CPUBuffer
    let operand: MatrixOperand
    let dtype: DType
    let elementCount: Int

    init(rows: Int, columns: Int, batchCount: Int, dtype: DType, broadcast: Bool = false, fill: Double? = nil,
         using random: inout SeededGenerator) throws {
        let leading = max(1, rows) + Int.random(in: 0...3, using: &random)
        let offset = Int.random(in: 0...5, using: &random)
        let batchStride = broadcast ? 0 : leading * columns + Int.random(in: 0...4, using: &random)
        elementCount = offset + batchStride * max(batchCount - 1, 0) + leading * columns + 3
        buffer = try #require(try CPUDevice.shared.allocate(byteCount: elementCount * dtype.byteSize) as? CPUBuffer)
        for index in 0..<elementCount {
            TestElements.store(fill ?? Double.random(in: -2...2, using: &random), as: dtype, at: index, in: buffer)
        }
        operand = MatrixOperand(buffer, offset: offset, leadingDimension: leading, batchStride: batchStride)
        self.dtype = dtype
    }

    func index(row: Int, column: Int, batch: Int) -> Int {
        operand.offset + batch * operand.batchStride + row + column * operand.leadingDimension
    }

    func value(row: Int, column: Int, batch: Int) -> Double {
        TestElements.load(dtype, at: index(row: row, column: column, batch: batch), in: buffer)
    }
}
