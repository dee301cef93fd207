import Testing
@testable import DeviceShimDevices

/// OpenCL GEMM against a float64 reference computed here: every transpose, leading
/// dimensions larger than the rows, batches with strides, alpha and beta (beta 0 over a C
/// full of NaN), edges that are not multiples of the tile, and every tile variant.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLGemmTests {
    struct Shape: CustomStringConvertible {
        var m: Int, n: Int, k: Int, batches: Int
        var description: String { "\(m)×\(n)×\(k) ×\(batches)" }
    }

    static let shapes = [Shape(m: 37, n: 29, k: 45, batches: 1), Shape(m: 70, n: 131, k: 33, batches: 3), Shape(m: 1, n: 5, k: 0, batches: 1)]

    /// The device's own choice, and each variant it could run.
    static func tiles(_ device: OpenCLDevice, queue: OpenCLQueue, dtype: DType) -> [OpenCLGemmTile] {
        let variants = OpenCLGemmTile.gpuCandidates + [
            OpenCLGemmTile(tileRows: 64, tileColumns: 64, depth: 32, rowsPerItem: 16, columnsPerItem: 4, vectorRows: true),
        ]
        return [queue.gemmTile(dtype)] + variants.filter { $0.workGroup.0 * $0.workGroup.1 <= device.limits.maxWorkGroupSize }
    }

    @Test(arguments: [DType.float32, .float64])
    func gemmMatchesReference(dtype: DType) throws {
        let device = try OpenCLTestDevice.device()
        guard device.supports(.gemm, dtype) else { return }
        let queue = try #require(try device.makeQueue() as? OpenCLQueue)
        var random = SeededGenerator(seed: 0x6E_0000 + UInt64(dtype.byteSize))
        for tile in Self.tiles(device, queue: queue, dtype: dtype) {
            for shape in Self.shapes {
                for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                    for beta in [0.0, 0.5] {
                        try check(shape, dtype: dtype, transposeA: transposeA, transposeB: transposeB, beta: beta, tile: tile,
                                  device: device, queue: queue, random: &random)
                    }
                }
            }
        }
    }

    private func check(
        _ shape: Shape, dtype: DType, transposeA: Bool, transposeB: Bool, beta: Double, tile: OpenCLGemmTile,
        device: OpenCLDevice, queue: OpenCLQueue, random: inout SeededGenerator
    ) throws {
        let (m, n, k, batches) = (shape.m, shape.n, shape.k, shape.batches)
        let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (aRows + 3, bRows + 1, m + 2)
        let (aStride, bStride, cStride) = (lda * aColumns + 5, ldb * bColumns, ldc * n + 7)
        let a = (0..<(aStride * batches + 2)).map { _ in Double.random(in: -1...1, using: &random) }
        let b = (0..<(bStride * batches + 1)).map { _ in Double.random(in: -1...1, using: &random) }
        let c = (0..<(cStride * batches + 4)).map { _ in beta == 0 ? Double.nan : Double.random(in: -1...1, using: &random) }
        let (aBuffer, bBuffer, cBuffer) = (try upload(a, dtype, device, queue), try upload(b, dtype, device, queue),
                                           try upload(c, dtype, device, queue))
        let alpha = 1.5
        let operation = GemmOperation(
            dtype: dtype, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta,
            a: MatrixOperand(aBuffer, offset: 2, leadingDimension: lda, batchStride: aStride),
            b: MatrixOperand(bBuffer, offset: 1, leadingDimension: ldb, batchStride: bStride),
            c: MatrixOperand(cBuffer, offset: 4, leadingDimension: ldc, batchStride: cStride), batchCount: batches)
        try queue.gemm(operation, tile: tile)
        let result = try download(cBuffer, count: c.count, dtype, queue)
        var mismatches = 0
        for batch in 0..<batches {
            for column in 0..<n {
                for row in 0..<m {
                    var sum = 0.0
                    for p in 0..<k {
                        let aValue = a[2 + batch * aStride + (transposeA ? p + row * lda : row + p * lda)]
                        let bValue = b[1 + batch * bStride + (transposeB ? column + p * ldb : p + column * ldb)]
                        sum += aValue * bValue
                    }
                    let index = 4 + batch * cStride + row + column * ldc
                    let expected = alpha * sum + (beta == 0 ? 0 : beta * c[index])
                    let tolerance = dtype == .float64 ? 1e-12 : 1e-4
                    if !((result[index] - expected).magnitude <= tolerance * (1 + expected.magnitude)) {
                        mismatches += 1
                        if mismatches <= 3 {
                            let context = "\(dtype) \(shape) tA \(transposeA) tB \(transposeB) beta \(beta) tile \(tile)"
                            Issue.record("\(context): C[\(row), \(column)] of batch \(batch) is \(result[index]), expected \(expected)")
                        }
                    }
                }
            }
        }
        // Elements between columns (ld padding) are left alone.
        if m < ldc, n > 0 { #expect(result[4 + m].isNaN == c[4 + m].isNaN) }
    }

    private func upload(_ values: [Double], _ dtype: DType, _ device: OpenCLDevice, _ queue: OpenCLQueue) throws -> any DeviceBuffer {
        let buffer = try device.allocate(byteCount: values.count * dtype.byteSize)
        if dtype == .float64 {
            try values.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
        } else {
            try values.map { Float($0) }.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
        }
        return buffer
    }

    private func download(_ buffer: any DeviceBuffer, count: Int, _ dtype: DType, _ queue: OpenCLQueue) throws -> [Double] {
        if dtype == .float64 {
            var values = [Double](repeating: 0, count: count)
            try values.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(buffer), to: $0.baseAddress!) }
            try queue.synchronize()
            return values
        }
        var values = [Float](repeating: 0, count: count)
        try values.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(buffer), to: $0.baseAddress!) }
        try queue.synchronize()
        return values.map(Double.init)
    }

    @Test func gemmRejectsMatricesOutsideTheirBuffers() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let small = try device.allocate(byteCount: 16)
        let operation = GemmOperation(dtype: .float32, m: 4, n: 4, k: 4, a: MatrixOperand(small, leadingDimension: 4),
                                      b: MatrixOperand(small, leadingDimension: 4), c: MatrixOperand(small, leadingDimension: 4))
        #expect(throws: DeviceError.self) { try queue.gemm(operation) }
        let badLeading = GemmOperation(dtype: .float32, m: 4, n: 1, k: 1, a: MatrixOperand(small, leadingDimension: 2),
                                       b: MatrixOperand(small, leadingDimension: 1), c: MatrixOperand(small, leadingDimension: 4))
        #expect(throws: DeviceError.self) { try queue.gemm(badLeading) }
    }
}
