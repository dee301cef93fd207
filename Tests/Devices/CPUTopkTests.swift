import Testing
@testable import DeviceShimDevices

/// The CPU's topk kernel: the first k positions of the stable argsort, through its heap (k up
/// to a sixteenth of the lane) and through a whole sort (larger k).
@Suite struct CPUTopkTests {
    /// Lanes of 1000 values full of ties (and NaN, ±0, ±infinity for floats), along a dense
    /// and a strided axis, into a transposed output: each k gives the reference argsort's
    /// first k positions.
    @Test(arguments: [DType.float32, .float64, .float16, .int64, .uint8, .bool], [false, true])
    func topkIsTheStableArgsortsPrefix(dtype: DType, largest: Bool) throws {
        var random = SeededGenerator(seed: 0x70B4)
        let queue = try cpuQueue()
        for (shape, axis) in [([3, 1000], 1), ([1000, 2], 0)] {
            let input = try TestTensor(shape, dtype, layout: .contiguous, using: &random) { tiedValue(dtype, using: &$0) }
            let sorted = ConformanceSuite.argsortReference(input.values(), shape: shape, axis: axis, descending: largest)
            // 62 is the largest k for the heap (1000 / 16); 63 sorts the lane.
            for k in [1, 7, 62, 63, 999, 1000] {
                var outputShape = shape
                outputShape[axis] = k
                let output = try TestTensor(outputShape, .int64, layout: .transposed, using: &random) { _ in -1 }
                try queue.topk(input: input.operand, axis: axis, k: k, largest: largest, output: output.operand)
                try queue.synchronize()
                let expected = Self.prefix(sorted, shape: shape, axis: axis, k: k)
                let wrong = zip(output.values(), expected).filter { $0 != $1 }.count
                #expect(wrong == 0, "\(dtype) \(shape) axis \(axis) k \(k): \(wrong) of \(expected.count) positions differ")
                #expect(output.untouchedOutsideOperand())
            }
        }
    }

    /// Lanes already in order, or in reverse, make every item (or none) enter the heap.
    @Test func orderedLanesSelectTheRightEnd() throws {
        var random = SeededGenerator(seed: 0x70B5)
        let queue = try cpuQueue()
        var counter = 0.0
        let ascending = try TestTensor([2, 500], .float32, layout: .contiguous, using: &random) { _ in
            counter += 1
            return counter
        }
        for largest in [false, true] {
            let output = try TestTensor([2, 10], .int64, layout: .contiguous, using: &random) { _ in -1 }
            try queue.topk(input: ascending.operand, axis: 1, k: 10, largest: largest, output: output.operand)
            try queue.synchronize()
            let lane = largest ? Array((490..<500).reversed()) : Array(0..<10)
            #expect(output.values() == (lane + lane).map(Double.init), "largest \(largest)")
        }
    }

    /// k beyond the axis, or an output of the wrong shape or dtype, is refused.
    @Test func badOperandsAreRefused() throws {
        var random = SeededGenerator(seed: 0x70B6)
        let queue = try cpuQueue()
        let input = try TestTensor([4, 5], .float32, layout: .contiguous, using: &random) { _ in 1 }
        let output = try TestTensor([4, 2], .int64, layout: .contiguous, using: &random) { _ in -1 }
        let floats = try TestTensor([4, 2], .float32, layout: .contiguous, using: &random) { _ in -1 }
        let attempts: [(String, () throws(DeviceError) -> Void)] = [
            ("k 6 of 5", { () throws(DeviceError) in try queue.topk(input: input.operand, axis: 1, k: 6, largest: true, output: output.operand) }),
            ("k -1", { () throws(DeviceError) in try queue.topk(input: input.operand, axis: 1, k: -1, largest: true, output: output.operand) }),
            ("shape", { () throws(DeviceError) in try queue.topk(input: input.operand, axis: 1, k: 3, largest: true, output: output.operand) }),
            ("axis", { () throws(DeviceError) in try queue.topk(input: input.operand, axis: 2, k: 2, largest: true, output: output.operand) }),
            ("dtype", { () throws(DeviceError) in try queue.topk(input: input.operand, axis: 1, k: 2, largest: true, output: floats.operand) }),
        ]
        for (name, attempt) in attempts {
            #expect(throws: DeviceError.self, "\(name)") { try attempt() }
        }
        #expect(output.values().allSatisfy { $0 == -1 })
    }

    /// The reference's positions (row-major over `shape`) whose coordinate along `axis` is
    /// below `k`, in row-major order over the output's shape.
    static func prefix(_ sorted: [Double], shape: [Int], axis: Int, k: Int) -> [Double] {
        let strides = StridedOperand.contiguousStrides(for: shape)
        return sorted.indices.filter { ($0 / strides[axis]) % shape[axis] < k }.map { sorted[$0] }
    }
}
