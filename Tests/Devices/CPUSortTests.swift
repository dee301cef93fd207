import Testing
@testable import DeviceShimDevices

/// The CPU's argsort on lanes long enough for its radix sort (the conformance suite's random
/// shapes are mostly shorter than `RadixSort.minimumCount`), and the radix sort itself.
@Suite struct CPUSortTests {
    /// Lanes of 1000 values full of ties (small integers; for floats also NaN, ±0, ±infinity),
    /// along either axis and in both orders, against the reference's stable comparison sort.
    @Test(arguments: [DType.float32, .float64, .float16, .bfloat16, .int32, .int64, .uint8, .bool], [false, true])
    func longLanesSortStablyAsPyTorch(dtype: DType, descending: Bool) throws {
        var random = SeededGenerator(seed: 0x5047)
        for (shape, axis) in [([3, 1000], 1), ([1000, 2], 0)] {
            let input = try TestTensor(shape, dtype, layout: .contiguous, using: &random) { tiedValue(dtype, using: &$0) }
            let output = try TestTensor(shape, .int64, layout: .contiguous, using: &random) { _ in -1 }
            let queue = try cpuQueue()
            try queue.argsort(input: input.operand, axis: axis, descending: descending, output: output.operand)
            try queue.synchronize()
            let expected = ConformanceSuite.argsortReference(input.values(), shape: shape, axis: axis, descending: descending)
            let wrong = zip(output.values(), expected).filter { $0 != $1 }.count
            #expect(wrong == 0, "\(dtype) \(shape) axis \(axis): \(wrong) of \(expected.count) positions differ")
        }
    }

    /// 64-bit keys with positions beside them (float64 and int64 lanes), some bytes constant.
    @Test(arguments: [RadixSort.minimumCount - 1, 500])
    func radixSortOrdersWideKeysStably(count: Int) {
        var random = SeededGenerator(seed: UInt64(count) &+ 64)
        for mask: UInt64 in [.max, 0x00FF_0000_0000_00F0, 0x3] {
            let keys = (0..<count).map { _ in UInt64.random(in: .min ... .max, using: &random) & mask | 0x4200_0000_0000_0000 }
            var items = keys.enumerated().map { (key: $0.element, position: $0.offset) }
            RadixSort.sort(&items, keyBytes: 8, key: \.key) { $0.sort { ($0.key, $0.position) < ($1.key, $1.position) } }
            let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            #expect(items.map(\.position) == expected, "mask \(String(mask, radix: 16)), \(count) keys")
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

/// A value of `dtype` for sorting tests, full of ties: half are 0...3, a quarter of float
/// ones are NaN, ±0 or ±infinity, the rest spread over the dtype.
func tiedValue(_ dtype: DType, using random: inout SeededGenerator) -> Double {
    switch Int.random(in: 0..<4, using: &random) {
    case 0 where dtype.isFloatingPoint: [.nan, -0.0, 0.0, .infinity, -.infinity].randomElement(using: &random)!
    case 0, 1: Double(Int.random(in: 0...3, using: &random))
    default: dtype == .bool ? 1 : Double(Int.random(in: dtype == .uint8 ? 0...255 : -500...500, using: &random))
    }
}
