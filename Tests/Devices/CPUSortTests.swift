import Testing
@testable import DeviceShimDevices

/// The CPU's argsort on lanes long enough for its radix sort (the conformance suite's random
/// shapes are mostly shorter than `RadixSort.minimumCount`), and the radix sort itself.
@Suite struct CPUSortTests {
    /// Lanes of 1000 values full of ties (small integers; for floats also NaN, ±0, ±infinity),
    /// along either axis and in both orders, against the reference's stable comparison sort.
    @Test(arguments: [DType.float32, .float16, .bfloat16, .int32, .uint8, .bool], [false, true])
    func longLanesSortStablyAsPyTorch(dtype: DType, descending: Bool) throws {
        var random = SeededGenerator(seed: 0x5047)
        for (shape, axis) in [([3, 1000], 1), ([1000, 2], 0)] {
            let input = try TestTensor(shape, dtype, layout: .contiguous, using: &random) { random in
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where dtype.isFloatingPoint: [.nan, -0.0, 0.0, .infinity, -.infinity].randomElement(using: &random)!
                case 0, 1: Double(Int.random(in: 0...3, using: &random))
                default: dtype == .bool ? 1 : Double(Int.random(in: dtype == .uint8 ? 0...255 : -500...500, using: &random))
                }
            }
            let output = try TestTensor(shape, .int64, layout: .contiguous, using: &random) { _ in -1 }
            let queue = try cpuQueue()
            try queue.argsort(input: input.operand, axis: axis, descending: descending, output: output.operand)
            try queue.synchronize()
            let expected = ConformanceSuite.argsortReference(input.values(), shape: shape, axis: axis, descending: descending)
            let wrong = zip(output.values(), expected).filter { $0 != $1 }.count
            #expect(wrong == 0, "\(dtype) \(shape) axis \(axis): \(wrong) of \(expected.count) positions differ")
        }
    }

    /// Keys whose bytes vary in some positions only (so some passes are skipped), with ties,
    /// at lengths on both sides of the comparison-sort cutoff.
    @Test(arguments: [5, RadixSort.minimumCount - 1, RadixSort.minimumCount, 777, 4096])
    func radixSortOrdersByKeyKeepingTheOrderOfTies(count: Int) {
        var random = SeededGenerator(seed: UInt64(count))
        let masks: [UInt32] = [0xFFFF_FFFF, 0x00FF_00F0, 0x0000_0003, 0x8000_0000]
        for mask in masks {
            let keys = (0..<count).map { _ in UInt32.random(in: .min ... .max, using: &random) & mask | 0x1200_0000 }
            var values = keys.enumerated().map { UInt64($0.element) << 32 | UInt64($0.offset) }
            RadixSort.sortByHighWord(&values)
            let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            #expect(values.map { Int($0 & 0xFFFF_FFFF) } == expected, "mask \(String(mask, radix: 16)), \(count) keys")
        }
    }
}
