import Testing
@testable import DeviceShimDevices

/// The CPU scatter beyond the conformance suite's small shapes: an index large enough to be
/// split across cores, whose fibers name each of 8 positions about 64 times, so a split
/// along the scattered axis, or any reordering within a fiber, changes the result. With a
/// contiguous source along axis 1 every fiber takes the kernel's contiguous loop; otherwise
/// the general one.
@Suite struct CPUScatterTests {
    @Test(arguments: [(0, ScatterMode.assign, Layout.transposed), (0, .add, .transposed), (1, .assign, .transposed),
                      (1, .add, .transposed), (1, .assign, .contiguous), (1, .add, .contiguous)])
    func aSplitScatterKeepsEachFibersOrder(axis: Int, mode: ScatterMode, sourceLayout: Layout) throws {
        let indexShape = axis == 0 ? [512, 1024] : [1024, 512]
        var outputShape = indexShape
        outputShape[axis] = 8
        var random = SeededGenerator(seed: 0x5CA7)
        let index = try TestTensor(indexShape, .int64, layout: .contiguous, using: &random) { Double(Int.random(in: 0..<8, using: &$0)) }
        let source = try TestTensor(indexShape, .int64, layout: sourceLayout, using: &random) { Double(Int.random(in: -999...999, using: &$0)) }
        let output = try TestTensor(outputShape, .int64, layout: .contiguous, using: &random) { Double(Int.random(in: -9...9, using: &$0)) }
        // Indices out of range (the first, one mid-fiber, the last) write nothing and set the
        // flag; the elements after them still land.
        let missed = [0, 700, index.elementIndices.count - 1]
        for (element, position) in zip(missed, [8, -1, 8]) {
            TestElements.store(Double(position), as: .int64, at: index.elementIndices[element], in: index.buffer)
        }
        var expected = output.integers()
        let (positions, values) = (index.integers(), source.integers())
        for element in positions.indices where !missed.contains(element) {
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
