import CVulkanShaders
import Testing
@testable import DeviceShimDevices

/// What the conformance suite does not reach of the Vulkan `select` and `gather` shaders:
/// walks the host splits into several dispatches, grids of many workgroups writing
/// neighbouring bytes of one 32-bit word, int64 indices with the high word set, gather's
/// out-of-range flag set from the last of several dispatches, and the claim of every dtype
/// without the wide shader variants.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanSelectionTests {
    /// Rank 6, not mergeable: the host splits the walk into several dispatches.
    static let shape = [2, 1, 3, 2, 2, 3]

    @Test(arguments: [DType.bool, .float16, .float32, .int64])
    func selectOfRankSixMatchesTheCPU(dtype: DType) throws {
        var random = SeededGenerator(seed: 41)
        for index in 0..<Layout.outputs.count {
            let layouts = VulkanKernelTests.layouts(index, inputs: 3)
            let condition = try TestTensor(Self.shape, .bool, layout: layouts.inputs[0], using: &random) { randomValue(.bool, using: &$0) }
            let values = try (1...2).map { input in
                try TestTensor(Self.shape, dtype, layout: layouts.inputs[input], using: &random) { randomValue(dtype, using: &$0) }
            }
            let output = try TestTensor(Self.shape, dtype, layout: layouts.output, using: &random) { randomValue(dtype, using: &$0) }
            let differences = try differencesFromCPU(inputs: [condition] + values, output: output, tolerant: false) { queue, inputs, output in
                try queue.select(condition: inputs[0], whenTrue: inputs[1], whenFalse: inputs[2], output: output)
            }
            #expect(differences.isEmpty, "select \(dtype) \(layouts): \(differences)")
        }
    }

    @Test(arguments: [DType.uint8, .bfloat16, .int32, .float64])
    func gatherOfRankSixMatchesTheCPU(dtype: DType) throws {
        var random = SeededGenerator(seed: 42)
        for (index, axis) in [0, 2, 4, 5].enumerated() {
            let layouts = VulkanKernelTests.layouts(index, inputs: 1)
            var inputShape = Self.shape.map { $0 + index % 2 }
            inputShape[axis] = 4
            let input = try TestTensor(inputShape, dtype, layout: layouts.inputs[0], using: &random) { randomValue(dtype, using: &$0) }
            let positions = try TestTensor(Self.shape, .int64, layout: Layout.outputs[(index + 1) % 4], using: &random) {
                Double(Int.random(in: -1...4, using: &$0))
            }
            let output = try TestTensor(Self.shape, dtype, layout: layouts.output, using: &random) { randomValue(dtype, using: &$0) }
            let differences = try differencesFromCPU(inputs: [input, positions], output: output, tolerant: false) { queue, inputs, output in
                try queue.gather(input: inputs[0], index: inputs[1], axis: axis, output: output)
            }
            #expect(differences.isEmpty, "gather \(dtype) axis \(axis) \(layouts): \(differences)")
        }
    }

    /// 1- and 2-byte elements, dense from an odd element offset, over thousands of
    /// workgroups: invocations write neighbouring bytes of one 32-bit word, and each must
    /// keep the others' bytes (and the bytes around the output stay as they were).
    @Test(arguments: [DType.bool, .uint8, .float16, .bfloat16])
    func subWordSelectAndGatherKeepNeighbouringBytes(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let (count, width) = (300_001, dtype.byteSize)
        var random = SeededGenerator(seed: 43)
        let condition = (0..<count).map { _ in UInt8.random(in: 0...3, using: &random) }  // 2 and 3 are true too
        let whenTrue = (0..<count * width).map { _ in UInt8.random(in: 1...255, using: &random) }
        let whenFalse: [UInt8] = [0x5A, 0xA5]  // one element, broadcast
        let background = [UInt8](repeating: 0xEE, count: (count + 2) * width)
        let buffers = try [condition, whenTrue, whenFalse, background].map { try upload($0, device: device, queue: queue) }
        let output = StridedOperand(buffers[3], dtype: dtype, offset: 1, shape: [count])
        try queue.select(condition: StridedOperand(buffers[0], dtype: .bool, shape: [count]),
                         whenTrue: StridedOperand(buffers[1], dtype: dtype, shape: [count]),
                         whenFalse: StridedOperand(buffers[2], dtype: dtype, shape: [count], strides: [0]), output: output)
        var expected = background
        for element in 0..<count {
            let source = condition[element] != 0 ? Array(whenTrue[element * width..<(element + 1) * width]) : Array(whenFalse[0..<width])
            expected.replaceSubrange((element + 1) * width..<(element + 2) * width, with: source)
        }
        #expect(try contents(of: buffers[3], queue: queue) == expected, "select \(dtype)")

        // Gather the reversed whenTrue into the same output: index[i] = count - 1 - i, and
        // every 7th index is count (out of range, zero).
        let positions = (0..<count).map { $0 % 7 == 0 ? Int64(count) : Int64(count - 1 - $0) }
        let index = try positions.withUnsafeBytes { try upload(Array($0), device: device, queue: queue) }
        try queue.gather(input: StridedOperand(buffers[1], dtype: dtype, shape: [count]),
                         index: StridedOperand(index, dtype: .int64, shape: [count]), axis: 0, output: output)
        for (element, position) in positions.enumerated() {
            let source = position < count ? Array(whenTrue[Int(position) * width..<(Int(position) + 1) * width])
                : [UInt8](repeating: 0, count: width)
            expected.replaceSubrange((element + 1) * width..<(element + 2) * width, with: source)
        }
        #expect(try contents(of: buffers[3], queue: queue) == expected, "gather \(dtype)")
    }

    /// Indices outside 0..<length whose low word alone would be in range (2^32, 2^32 + 1,
    /// Int64.min, …) give zero, as -1 and the length do; in-range ones pick their element.
    @Test(arguments: [DType.uint8, .float32, .int64])
    func gatherReadsTheWholeInt64Index(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let positions: [Int64] = [0, 1 << 32, 3, (1 << 32) + 1, -1, .min, 4, .max, -(1 << 32) + 2, 1 << 31, 2, (3 << 32) + 3]
        let input = (0..<4 * dtype.byteSize).map { UInt8($0 + 1) }
        let buffers = try [input, [UInt8](repeating: 0xEE, count: positions.count * dtype.byteSize)].map {
            try upload($0, device: device, queue: queue)
        }
        let index = try positions.withUnsafeBytes { try upload(Array($0), device: device, queue: queue) }
        try queue.gather(input: StridedOperand(buffers[0], dtype: dtype, shape: [1, 4]),
                         index: StridedOperand(index, dtype: .int64, shape: [1, positions.count]), axis: 1,
                         output: StridedOperand(buffers[1], dtype: dtype, shape: [1, positions.count]))
        let width = dtype.byteSize
        let expected = positions.flatMap { position in
            (0..<4).contains(position) ? Array(input[Int(position) * width..<(Int(position) + 1) * width])
                : [UInt8](repeating: 0, count: width)
        }
        #expect(try contents(of: buffers[1], queue: queue) == expected)
    }

    /// The out-of-range flag over a rank-6 walk that the host splits into six dispatches of
    /// many workgroups each: one index out of range, the very last (so the last dispatch's
    /// last invocation), sets the flag and leaves the words around it; with every index in
    /// range the flag stays 0.
    @Test func gatherSetsTheOutOfRangeFlagFromItsLastDispatch() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let (shape, axis, length) = ([2, 3, 2, 3, 4, 257], 3, 5)
        var inputShape = shape
        inputShape[axis] = length
        // The output has room for one more along every dimension, so no two dimensions merge.
        let padded = shape.map { $0 + 1 }
        let (outputStrides, indexStrides) = (StridedOperand.contiguousStrides(for: padded), StridedOperand.contiguousStrides(for: shape))
        var inputStrides = StridedOperand.contiguousStrides(for: inputShape)
        inputStrides[axis] = 0
        let walk = StridedWalk(shape: shape, operands: [(0, outputStrides), (0, indexStrides), (0, inputStrides)])
        #expect(VulkanLayout.pieces(walk).count == 6)

        let count = shape.reduce(1, *)
        let input = try upload([UInt8](repeating: 0x11, count: inputShape.reduce(1, *) * 4), device: device, queue: queue)
        let output = try upload([UInt8](repeating: 0xEE, count: padded.reduce(1, *) * 4), device: device, queue: queue)
        let last = zip(shape, outputStrides).reduce(0) { $0 + ($1.0 - 1) * $1.1 } * 4
        for outside in [true, false] {
            let positions = (0..<count).map { $0 < count - 1 ? Int64($0 % length) : outside ? Int64(length) : 0 }
            let index = try positions.withUnsafeBytes { try upload(Array($0), device: device, queue: queue) }
            let flag = try OutOfRangeFlag(on: queue)
            try queue.gather(input: StridedOperand(input, dtype: .int32, shape: inputShape),
                             index: StridedOperand(index, dtype: .int64, shape: shape), axis: axis,
                             output: StridedOperand(output, dtype: .int32, shape: shape, strides: outputStrides),
                             outOfRange: flag.region)
            let words = try flag.words(on: queue)
            #expect((words[1] != 0) == outside, "flag words \(words), an index out of range: \(outside)")
            #expect(words[0] == OutOfRangeFlag.guardWord && words[2] == OutOfRangeFlag.guardWord, "flag words \(words)")
            let lastElement = Array(try contents(of: output, queue: queue)[last..<last + 4])
            #expect(lastElement == [UInt8](repeating: outside ? 0 : 0x11, count: 4))
        }
    }

    /// The claim of int64 and float64 on devices without the wide variants holds because the
    /// selection shaders declare neither the Int64 nor the Float64 capability.
    @Test func selectionShadersNeedNoWideTypes() {
        for dtype in [DType.int64, .float64] {
            #expect(VulkanSupport.supports(.select, dtype, wide: false))
            #expect(VulkanSupport.supports(.gather, dtype, wide: false))
            #expect(!VulkanSupport.supports(.binary(.add), dtype, wide: false))
        }
        for shader in [DS_VULKAN_SHADER_SELECT, DS_VULKAN_SHADER_GATHER] {
            let capabilities = spirvCapabilities(of: shader)
            #expect(!capabilities.isEmpty)
            #expect(!capabilities.contains(SpirvCapability.float64) && !capabilities.contains(SpirvCapability.int64),
                    "shader \(shader.rawValue): \(capabilities)")
        }
    }

    /// A new buffer of `device` holding `bytes`.
    private func upload(_ bytes: [UInt8], device: VulkanDevice, queue: any DeviceQueue) throws -> any DeviceBuffer {
        let buffer = try device.allocate(byteCount: bytes.count)
        try bytes.withUnsafeBytes { try copyIn($0, to: buffer, queue: queue) }
        return buffer
    }
}
