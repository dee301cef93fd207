import Testing
@testable import DeviceShimDevices

/// GEMM on the Vulkan device against a float64 reference: transposes, padded leading
/// dimensions, offsets, batches with strides, alpha / beta, and beta == 0 not reading C.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanGemmTests {
    struct Case: CustomStringConvertible, Sendable {
        var m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
        var padding = 0, batchCount = 1
        var alpha = 1.0, beta = 0.0
        var description: String { "\(m)×\(n)×\(k) tA \(transposeA) tB \(transposeB) pad \(padding) batch \(batchCount) α \(alpha) β \(beta)" }
    }

    static let cases: [Case] = [
        Case(m: 1, n: 1, k: 1), Case(m: 64, n: 64, k: 64), Case(m: 70, n: 33, k: 129, transposeA: true),
        Case(m: 17, n: 90, k: 5, transposeB: true, padding: 3), Case(m: 65, n: 65, k: 17, transposeA: true, transposeB: true, padding: 1),
        Case(m: 20, n: 30, k: 40, padding: 2, batchCount: 3, alpha: 0.5, beta: 2), Case(m: 8, n: 8, k: 0, beta: 1.5),
        Case(m: 128, n: 96, k: 200, alpha: -1, beta: 0.25),
    ]

    @Test(arguments: cases, [DType.float32, .float64, .float16, .bfloat16])
    func gemmMatchesAReference(testCase: Case, dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        guard device.supports(.gemm, dtype) else { return }
        let queue = try device.makeQueue()
        var random = SeededGenerator(seed: 21)
        let (m, n, k) = (testCase.m, testCase.n, testCase.k)
        let (rowsA, columnsA) = testCase.transposeA ? (k, m) : (m, k)
        let (rowsB, columnsB) = testCase.transposeB ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (max(rowsA, 1) + testCase.padding, max(rowsB, 1) + testCase.padding, m + testCase.padding)
        let (strideA, strideB, strideC) = (lda * columnsA + 5, ldb * columnsB + 2, ldc * n + 7)
        let offset = 3
        func values(_ count: Int) -> [Double] { (0..<count).map { _ in Double.random(in: -1...1, using: &random) } }
        let a = values(offset + strideA * testCase.batchCount), b = values(offset + strideB * testCase.batchCount)
        var c = values(offset + strideC * testCase.batchCount)
        if testCase.beta == 0 { c = c.map { _ in .nan } }  // must not be read
        func upload(_ values: [Double]) throws -> any DeviceBuffer {
            let buffer = try device.allocate(byteCount: values.count * dtype.byteSize)
            if dtype == .float32 {
                try values.map { Float($0) }.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
            } else if dtype != .float64 {
                let bits = values.map { value -> UInt16 in
                    dtype == .float16 ? Float16(Float(value)).bitPattern
                        : value.isNaN ? 0x7FC0 : UInt16(Float(TestElements.rounded(value, to: .bfloat16)).bitPattern >> 16)
                }
                try bits.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
            } else {
                try values.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
            }
            return buffer
        }
        let (bufferA, bufferB, bufferC) = (try upload(a), try upload(b), try upload(c))
        try queue.gemm(GemmOperation(
            dtype: dtype, transposeA: testCase.transposeA, transposeB: testCase.transposeB, m: m, n: n, k: k,
            alpha: testCase.alpha, beta: testCase.beta,
            a: MatrixOperand(bufferA, offset: offset, leadingDimension: lda, batchStride: strideA),
            b: MatrixOperand(bufferB, offset: offset, leadingDimension: ldb, batchStride: strideB),
            c: MatrixOperand(bufferC, offset: offset, leadingDimension: ldc, batchStride: strideC),
            batchCount: testCase.batchCount))
        let bytes = try contents(of: bufferC, queue: queue)
        let stored = { (values: [Double], index: Int) in dtype == .float64 ? values[index] : TestElements.rounded(values[index], to: dtype) }
        var worst = 0.0
        for batch in 0..<testCase.batchCount {
            for column in 0..<n {
                for row in 0..<m {
                    var sum = 0.0
                    for depth in 0..<k {
                        let aIndex = offset + batch * strideA + (testCase.transposeA ? depth + row * lda : row + depth * lda)
                        let bIndex = offset + batch * strideB + (testCase.transposeB ? column + depth * ldb : depth + column * ldb)
                        sum += stored(a, aIndex) * stored(b, bIndex)
                    }
                    let cIndex = offset + batch * strideC + row + column * ldc
                    let expected = testCase.alpha * sum + (testCase.beta == 0 ? 0 : testCase.beta * stored(c, cIndex))
                    // float16 / bfloat16: C is rounded once (half an ulp, relative), after float32 sums.
                    let rounding: Double = dtype == .float16 ? 0x1p-11 : dtype == .bfloat16 ? 0x1p-8 : 0
                    let error = (element(dtype, at: cIndex, in: bytes) - expected).magnitude - rounding * expected.magnitude
                    worst = error.isNaN ? .infinity : max(worst, error)
                }
            }
        }
        let tolerance: Double = switch dtype {
        case .float64: 1e-12 * Double(max(k, 1))
        case .float32: 1e-4 * Double(max(k, 1))
        default: 1e-4 * Double(max(k, 1))
        }
        #expect(worst <= tolerance, "\(testCase) \(dtype): largest error \(worst)")
        // Elements outside C's matrices keep their values (the gap after each column's m rows).
        if testCase.padding > 0, m > 0, n > 0 {
            #expect(element(dtype, at: offset + m, in: bytes).isNaN == stored(c, offset + m).isNaN)
        }
    }

    @Test func badLeadingDimensionsAndRegionsAreInvalidArguments() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 16 * 4)
        let matrix = MatrixOperand(buffer, leadingDimension: 4)
        #expect(throws: DeviceError.self) {
            try queue.gemm(GemmOperation(dtype: .float32, m: 5, n: 4, k: 4, a: matrix, b: matrix, c: matrix))
        }
        #expect(throws: DeviceError.self) {
            let batched = MatrixOperand(buffer, leadingDimension: 4, batchStride: 16)
            try queue.gemm(GemmOperation(dtype: .float32, m: 4, n: 4, k: 4, a: batched, b: batched, c: batched, batchCount: 2))
        }
        #expect(throws: DeviceError.self) {
            try queue.gemm(GemmOperation(dtype: .int32, m: 4, n: 4, k: 4, a: matrix, b: matrix, c: matrix))
        }
    }
}
