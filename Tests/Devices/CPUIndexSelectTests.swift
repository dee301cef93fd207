import Testing
@testable import DeviceShimDevices

/// Gathers whose index is one position along each run (`index_select`'s index, broadcast
/// along the rows it picks): each run is checked once and copied whole.
@Suite struct CPUIndexSelectTests {
    /// Rows 2, 0, 6, 2 and an index 7 out of range, picked from 7 rows of 40 into a
    /// contiguous output (the copied case) and a transposed one (strided): rows land whole,
    /// the missing one is zeros, and the flag says so.
    @Test(arguments: [DType.float32, .float16, .int64, .uint8])
    func broadcastIndexCopiesWholeRows(dtype: DType) throws {
        var random = SeededGenerator(seed: 0x15E1)
        let queue = try cpuQueue()
        let input = try TestTensor([7, 40], dtype, layout: .contiguous, using: &random) { random in
            Double(Int.random(in: 1...100, using: &random))
        }
        let positions: [Int64] = [2, 0, 6, 2, 7]
        let indexBuffer = try #require(try CPUDevice.shared.allocate(byteCount: 8 * positions.count) as? CPUBuffer)
        positions.withUnsafeBytes { indexBuffer.baseAddress.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let index = StridedOperand(indexBuffer, dtype: .int64, offset: 0, shape: [5, 40], strides: [1, 0])
        let rows = input.values()
        for layout in [Layout.contiguous, .transposed] {
            let output = try TestTensor([5, 40], dtype, layout: layout, using: &random) { _ in 99 }
            let flag = try OutOfRangeFlag(on: queue)
            try queue.gather(input: input.operand, index: index, axis: 0, output: output.operand, outOfRange: flag.region)
            try queue.synchronize()
            let expected = positions.flatMap { position in
                position < 7 ? Array(rows[Int(position) * 40..<(Int(position) + 1) * 40]) : [Double](repeating: 0, count: 40)
            }
            #expect(output.values() == expected, "\(dtype) \(layout)")
            #expect(try flag.words(on: queue) == [OutOfRangeFlag.guardWord, 1, OutOfRangeFlag.guardWord])
            #expect(output.untouchedOutsideOperand())
        }
    }
}
