import CCPUKernels
import Testing
@testable import DeviceShimDevices

/// Element-wise work whose input rows run across its memory (`x.t().contiguous()`): same-dtype
/// copies go to the C transposing copy, other functions to the Swift loop in the same order.
@Suite struct CPUTransposedCopyTests {
    /// Transposed inputs copied or converted into contiguous outputs, shapes with partial
    /// blocks of rows and chunks of columns, rank 3 (rows in spans of 20 under a prefix):
    /// every element lands where element-by-element order puts it.
    @Test(arguments: [(DType.uint8, DType.uint8), (.float16, .float16), (.float32, .float32), (.int64, .int64),
                      (.float32, .float64), (.int32, .float32)])
    func transposedInputsCopyAndConvertElementByElement(from source: DType, to destination: DType) throws {
        var random = SeededGenerator(seed: 0x7A05)
        let queue = try cpuQueue()
        for shape in [[70, 300], [3, 20, 90], [17, 513], [70, 0], [0, 300]] {
            let input = try TestTensor(shape, source, layout: .transposed, using: &random) { random in
                Double(Int.random(in: 0...250, using: &random))
            }
            let output = try TestTensor(shape, destination, layout: .contiguous, using: &random) { _ in 7 }
            let space = IterationSpace(shape: shape, origin: SIMD4(0, 0, 0, 0)) { SIMD4(output.operand.strides[$0], input.operand.strides[$0], 0, 0) }
            // Across runs where a column step is a cache line or more: all but uint8 at 60 and 17
            // rows, and 2-byte elements at 17.
            #expect(ElementwiseKernels.readsAcrossRuns(space, elementBytes: source.byteSize)
                    == (input.operand.strides[shape.count - 1] * source.byteSize >= 64 && !shape.contains(0)))
            try queue.convert(input: input.operand, output: output.operand)
            try queue.synchronize()
            #expect(output.values() == input.values(), "\(source) to \(destination), shape \(shape)")
            #expect(output.untouchedOutsideOperand())
        }
    }

    /// A function other than a copy (neg) on a transposed input takes the Swift loop.
    @Test func negationOfATransposedInput() throws {
        var random = SeededGenerator(seed: 0x7A06)
        let queue = try cpuQueue()
        let input = try TestTensor([40, 100], .float32, layout: .transposed, using: &random) { random in
            Double(Int.random(in: -100...100, using: &random))
        }
        let output = try TestTensor([40, 100], .float32, layout: .contiguous, using: &random) { _ in 7 }
        try queue.unary(.neg, input: input.operand, output: output.operand)
        try queue.synchronize()
        #expect(output.values() == input.values().map { -$0 })
    }

    /// The C copy with negative strides on both sides, and an unsupported width.
    @Test func theCopyTakesNegativeStrides() {
        let (rows, columns) = (19, 37)
        let input = (0..<rows * columns).map { UInt16($0) }
        var output = [UInt16](repeating: 0, count: rows * columns)
        // Output row r, column c at (rows-1-r)·columns + (columns-1-c); input (r, c) at r + c·rows, read from the end.
        input.withUnsafeBytes { from in
            output.withUnsafeMutableBytes { to in
                let last = rows * columns - 1
                #expect(ds_copy_transposed(2, to.baseAddress! + 2 * last, -columns, -1, from.baseAddress! + 2 * last, -1, -rows,
                                           rows, columns) == 0)
                #expect(ds_copy_transposed(3, to.baseAddress!, columns, 1, from.baseAddress!, 1, rows, rows, columns) != 0)
            }
        }
        let last = rows * columns - 1
        let expected = (0..<rows * columns).map { index -> UInt16 in
            let (r, c) = ((last - index) / columns, (last - index) % columns)
            return input[last - (r + c * rows)]
        }
        #expect(output == expected)
    }
}
