import CVulkanShaders
import Testing
@testable import DeviceShimDevices

/// What the conformance suite does not reach of the Vulkan scatter shader: an index of
/// 604 800 elements (rank 6) whose fibers of 32 name each of 4 positions about 8 times,
/// walked in three dispatches of many workgroups, against the CPU's result (any reordering
/// within a fiber changes it); additions that wrap int64; the out-of-range flag set by the
/// last index of the last dispatch alone, from the high word of its int64; and the claim of
/// assignment on int64 and float64 without the wide shader variants.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanScatterTests {
    /// Every output element and every byte around them as the CPU leaves them; the last
    /// index, out of range, sets the flag.
    @Test(arguments: [(ScatterMode.assign, DType.int32), (.assign, .uint8), (.add, .int32), (.add, .int64), (.add, .float16)])
    func aLargeScatterMatchesTheCPU(mode: ScatterMode, dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        guard device.supports(.scatter(mode), dtype) else { return }  // int64 addition needs the wide variants
        let (indexShape, axis, length) = ([3, 4, 7, 32, 9, 25], 3, 4)
        var random = SeededGenerator(seed: 0x5CA7_7E25)
        let index = try TestTensor(indexShape, .int64, layout: .reversed, using: &random) { Double(Int.random(in: 0..<length, using: &$0)) }
        // The last index (the last fiber's last element) is out of range: it writes nothing.
        TestElements.store(Double(length), as: .int64, at: try #require(index.elementIndices.last), in: index.buffer)
        // Values that differ (so the last assignment shows); float16 sums round differently in another order.
        let source = try TestTensor(indexShape, dtype, layout: .transposed, using: &random) { random in
            switch dtype {
            case .int32, .int64: Double(Int.random(in: -100_000...100_000, using: &random))
            case .uint8: Double(Int.random(in: 0...255, using: &random))
            default: Double.random(in: -4...4, using: &random)
            }
        }
        var outputShape = indexShape.map { $0 + 1 }  // larger outside the axis
        outputShape[axis] = length
        let output = try TestTensor(outputShape, dtype, layout: .transposed, using: &random) { randomValue(dtype, using: &$0) }
        if dtype == .int64 {  // near the maximum, so additions wrap
            for element in output.elementIndices {
                TestElements.storeInteger(.max - Int64(element % 50_000), as: .int64, at: element, in: output.buffer)
            }
        }
        // The fibers' walk as the queue builds it: nothing merges, so rank 5 takes three dispatches.
        let withoutAxis = { (values: [Int]) in values.enumerated().filter { $0.offset != axis }.map(\.element) }
        let walk = StridedWalk(shape: withoutAxis(indexShape), operands: [output, index, source].map { (0, withoutAxis($0.operand.strides)) })
        #expect(VulkanLayout.pieces(walk).count == 3)

        let result = try scatterOnBoth(mode, source: source, index: index, axis: axis, output: output)
        #expect(result.differences.isEmpty, "scatter.\(mode) \(dtype): \(result.differences)")
        #expect(output.untouchedOutsideOperand())
        #expect(result.vulkanFlag[1] != 0 && result.cpuFlag[1] != 0, "flag words: vulkan \(result.vulkanFlag), cpu \(result.cpuFlag)")
        #expect(result.vulkanFlag[0] == OutOfRangeFlag.guardWord && result.vulkanFlag[2] == OutOfRangeFlag.guardWord)
    }

    /// One index out of range, the very last (the last dispatch's last invocation, at the end
    /// of its fiber), sets the flag and leaves the words around it: 2^32, whose low word alone
    /// would name position 0. With every index in range the flag stays 0.
    @Test func scatterSetsTheOutOfRangeFlagFromItsLastDispatch() throws {
        let (indexShape, axis, length) = ([2, 3, 2, 16, 5, 7], 3, 3)
        var random = SeededGenerator(seed: 0xF1A6)
        for outside in [true, false] {
            let index = try TestTensor(indexShape, .int64, layout: .contiguous, using: &random) { Double(Int.random(in: 0..<length, using: &$0)) }
            let last = try #require(index.elementIndices.last)
            TestElements.store(outside ? Double(1 << 32) : 0, as: .int64, at: last, in: index.buffer)
            let source = try TestTensor(indexShape, .int32, layout: .stepped, using: &random) { Double(Int.random(in: 1...999, using: &$0)) }
            var outputShape = indexShape.map { $0 + 1 }
            outputShape[axis] = length
            let output = try TestTensor(outputShape, .int32, layout: .transposed, using: &random) { _ in 0 }
            let result = try scatterOnBoth(.assign, source: source, index: index, axis: axis, output: output)
            #expect(result.differences.isEmpty, "an index out of range: \(outside): \(result.differences)")
            #expect((result.vulkanFlag[1] != 0) == outside, "flag words \(result.vulkanFlag), an index out of range: \(outside)")
            #expect(result.vulkanFlag[0] == OutOfRangeFlag.guardWord && result.vulkanFlag[2] == OutOfRangeFlag.guardWord,
                    "flag words \(result.vulkanFlag)")
        }
    }

    /// Assignment moves bits, so it claims int64 and float64 without the wide variants: the
    /// narrow shader declares neither the Int64 nor the Float64 capability. Addition of those
    /// needs the wide variant, which has them.
    @Test func scatterAssignmentNeedsNoWideTypes() {
        for dtype in [DType.int64, .float64] {
            #expect(VulkanSupport.supports(.scatter(.assign), dtype, wide: false))
            #expect(!VulkanSupport.supports(.scatter(.add), dtype, wide: false))
            #expect(VulkanSupport.supports(.scatter(.add), dtype, wide: true))
        }
        let narrow = spirvCapabilities(of: DS_VULKAN_SHADER_SCATTER)
        #expect(!narrow.isEmpty && !narrow.contains(SpirvCapability.int64) && !narrow.contains(SpirvCapability.float64), "\(narrow)")
        let wide = spirvCapabilities(of: DS_VULKAN_SHADER_SCATTER_WIDE)
        #expect(wide.contains(SpirvCapability.int64) && wide.contains(SpirvCapability.float64), "\(wide)")
    }

    /// Runs the scatter on the CPU (in place on `output`) and on the Vulkan device over
    /// mirrors of the operands, each with an out-of-range flag. Returns the output elements
    /// that differ, described (at most 5), and the two flags' words.
    private func scatterOnBoth(_ mode: ScatterMode, source: TestTensor, index: TestTensor, axis: Int,
                               output: TestTensor) throws -> (differences: [String], vulkanFlag: [UInt32], cpuFlag: [UInt32]) {
        let device = try VulkanTests.requireDevice()
        let (queue, cpu) = (try device.makeQueue(), try cpuQueue())
        func mirrored(_ tensor: TestTensor) throws -> StridedOperand {
            var operand = tensor.operand
            operand.buffer = try vulkanMirror(of: tensor.buffer, on: device, queue: queue)
            return operand
        }
        let vulkanOutput = try mirrored(output)
        let (vulkanFlag, cpuFlag) = (try OutOfRangeFlag(on: queue), try OutOfRangeFlag(on: cpu))
        try queue.scatter(mode, source: try mirrored(source), index: try mirrored(index), axis: axis, output: vulkanOutput,
                          outOfRange: vulkanFlag.region)
        let vulkanBytes = try contents(of: vulkanOutput.buffer, queue: queue)
        try cpu.scatter(mode, source: source.operand, index: index.operand, axis: axis, output: output.operand, outOfRange: cpuFlag.region)
        try cpu.synchronize()
        let cpuBytes = Array(UnsafeRawBufferPointer(start: output.buffer.baseAddress, count: output.buffer.byteCount))
        var differences: [String] = []
        let width = output.dtype.byteSize
        for element in 0..<cpuBytes.count / width {
            let bytes = element * width..<(element + 1) * width
            guard cpuBytes[bytes] != vulkanBytes[bytes] else { continue }
            differences.append("buffer element \(element): vulkan \(Array(vulkanBytes[bytes])), cpu \(Array(cpuBytes[bytes]))")
            if differences.count == 5 { break }
        }
        return (differences, try vulkanFlag.words(on: queue), try cpuFlag.words(on: cpu))
    }
}
