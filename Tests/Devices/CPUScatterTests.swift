import Testing
@testable import DeviceShimDevices

/// The CPU scatter beyond the conformance suite's small shapes: an index large enough to be
/// split across cores, whose fibers name each of 8 positions about 64 times, so a split
/// along the scattered axis, or any reordering within a fiber, changes the result.
@Suite struct CPUScatterTests {
    @Test(arguments: [(0, ScatterMode.assign), (0, .add), (1, .assign), (1, .add)])
    func aSplitScatterKeepsEachFibersOrder(axis: Int, mode: ScatterMode) throws {
        let indexShape = axis == 0 ? [512, 1024] : [1024, 512]
        var outputShape = indexShape
        outputShape[axis] = 8
        var random = SeededGenerator(seed: 0x5CA7)
        let index = try TestTensor(indexShape, .int64, layout: .contiguous, using: &random) { Double(Int.random(in: 0..<8, using: &$0)) }
        let source = try TestTensor(indexShape, .int64, layout: .transposed, using: &random) { Double(Int.random(in: -999...999, using: &$0)) }
        let output = try TestTensor(outputShape, .int64, layout: .contiguous, using: &random) { Double(Int.random(in: -9...9, using: &$0)) }
        // The last element's index is out of range: it writes nothing and sets the flag.
        TestElements.store(8, as: .int64, at: try #require(index.elementIndices.last), in: index.buffer)
        var expected = output.integers()
        let (positions, values) = (index.integers(), source.integers())
        for element in positions.indices.dropLast() {
            let (row, column) = (element / indexShape[1], element % indexShape[1])
            let target = axis == 0 ? Int(positions[element]) * outputShape[1] + column : row * outputShape[1] + Int(positions[element])
            expected[target] = mode == .assign ? values[element] : expected[target] &+ values[element]
        }
        let queue = try cpuQueue()
        let flag = try OutOfRangeFlag(on: queue)
        try queue.scatter(mode, source: source.operand, index: index.operand, axis: axis, output: output.operand, outOfRange: flag.region)
        try queue.synchronize()
        let wrong = zip(output.integers(), expected).filter { $0 != $1 }.count
        #expect(wrong == 0, "\(wrong) of \(expected.count) output elements differ")
        #expect(output.untouchedOutsideOperand())
        #expect(try flag.words(on: queue) == [OutOfRangeFlag.guardWord, 1, OutOfRangeFlag.guardWord])
    }
}
