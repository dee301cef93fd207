import CVulkanShaders
import Testing
@testable import DeviceShimDevices

/// What the conformance suite (lanes of at most 9) does not reach of the Vulkan argsort: one
/// lane of 100 003 elements (padded to 2^17 slots: global network steps between tiled ones)
/// and 300 lanes of 1000 along a middle axis, walked in three dispatches, each with many
/// ties, against the CPU queue's result exactly (any unstable step or misplaced NaN, -0.0 or
/// padding pair changes it); bool bytes other than 0 and 1; the plan of network dispatches;
/// the claim of int64 and float64 without the wide shader variants; and topk.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanSortTests {
    /// One long lane, read backwards (negative stride), each value about 2000 times (floats
    /// also NaN, ±0, ±infinity and the smallest subnormals; wide types values that differ
    /// only in their low 32 bits).
    @Test(arguments: [(DType.float32, false), (.float32, true), (.float64, true), (.int64, false), (.float16, true)])
    func aLongLaneMatchesTheCPU(dtype: DType, descending: Bool) throws {
        var random = SeededGenerator(seed: 0x50E7)
        let specials = Self.specialValues(dtype)
        let input = try TestTensor([100_003], dtype, layout: .reversed, using: &random) { random in
            Int.random(in: 0..<3, using: &random) == 0 ? specials.randomElement(using: &random)!
                : Double(Int.random(in: -20...20, using: &random))
        }
        let output = try TestTensor([100_003], .int64, layout: .stepped, using: &random) { _ in -1 }
        let (differences, times) = try argsortOnBoth(input, axis: 0, descending: descending, output: output)
        #expect(differences.isEmpty, "argsort \(descending ? "descending " : "")\(dtype): \(differences)")
        print("argsort of 100 003 \(dtype)\(descending ? " descending" : ""): vulkan \(times.vulkan), cpu \(times.cpu)")
    }

    /// 300 lanes of 1000 (2^10 slots each) along axis 2 of a transposed rank-6 tensor: the
    /// lanes' walk has 5 dimensions, so three dispatches each load and store 100 lanes.
    @Test(arguments: [(DType.int32, false), (.bfloat16, true), (.uint8, true), (.float64, false)])
    func manyLanesAlongAMiddleAxisMatchTheCPU(dtype: DType, descending: Bool) throws {
        let (shape, axis) = ([3, 2, 1000, 5, 2, 5], 2)
        var random = SeededGenerator(seed: 0x1A7E5)
        let specials = Self.specialValues(dtype)
        let input = try TestTensor(shape, dtype, layout: .transposed, using: &random) { random in
            Int.random(in: 0..<4, using: &random) == 0 ? specials.randomElement(using: &random)!
                : Double(Int.random(in: 0...9, using: &random))
        }
        let output = try TestTensor(shape, .int64, layout: .reversed, using: &random) { _ in -1 }
        let withoutAxis = { (values: [Int]) in values.enumerated().filter { $0.offset != axis }.map(\.element) }
        let walk = StridedWalk(shape: withoutAxis(shape), operands: [input, output].map { (0, withoutAxis($0.operand.strides)) })
        #expect(VulkanLayout.pieces(walk).count == 3)
        let (differences, times) = try argsortOnBoth(input, axis: axis, descending: descending, output: output)
        #expect(differences.isEmpty, "argsort \(descending ? "descending " : "")\(dtype) \(shape) axis \(axis): \(differences)")
        print("argsort of 300 lanes of 1000 \(dtype)\(descending ? " descending" : ""): vulkan \(times.vulkan), cpu \(times.cpu)")
    }

    /// Bool bytes are true when nonzero: 2 and 255 tie with 1, in position order.
    @Test(arguments: [false, true])
    func boolBytesOtherThanOneAreTrue(descending: Bool) throws {
        var random = SeededGenerator(seed: 0xB001)
        let input = try TestTensor([7, 999], .bool, layout: .stepped, using: &random) { _ in 0 }
        for index in input.elementIndices {
            input.buffer.baseAddress.storeBytes(of: [0, 1, 2, 255, 0][Int.random(in: 0..<5, using: &random)], toByteOffset: index, as: UInt8.self)
        }
        let output = try TestTensor([7, 999], .int64, layout: .contiguous, using: &random) { _ in -1 }
        let (differences, _) = try argsortOnBoth(input, axis: 1, descending: descending, output: output)
        #expect(differences.isEmpty, "argsort \(descending ? "descending " : "")of bool bytes: \(differences)")
    }

    /// A lane of 2^17 slots takes one tiled dispatch for blocks up to a tile (2^9 slots), then
    /// for each longer block its global steps and a tiled one: 45 dispatches, not 153.
    @Test func theNetworkRunsShortDistancesInTiles() {
        let steps = BitonicStep.steps(slotsLog2: 17, tileLog2: 9)
        #expect(steps.count == 45)
        #expect(steps.prefix(4) == [.tiled(blocks: 1...9), .global(block: 10, distance: 9), .tiled(blocks: 10...10),
                                    .global(block: 11, distance: 10)])
        #expect(steps.last == .tiled(blocks: 17...17))
        #expect(BitonicStep.steps(slotsLog2: 3, tileLog2: 9) == [.tiled(blocks: 1...3)])
        #expect(BitonicStep.steps(slotsLog2: 0, tileLog2: 9).isEmpty)
    }

    /// Keys are compared as 32-bit words, so argsort and topk claim int64 and float64 without
    /// the wide variants: no sort shader declares the Int64 or the Float64 capability.
    @Test func argsortAndTopkNeedNoWideTypes() {
        for dtype in [DType.int64, .float64] {
            #expect(VulkanSupport.supports(.argsort, dtype, wide: false) && VulkanSupport.supports(.topk, dtype, wide: false))
        }
        for shader in [DS_VULKAN_SHADER_SORT_LANES, DS_VULKAN_SHADER_SORT_NETWORK, DS_VULKAN_SHADER_TOPK] {
            let capabilities = spirvCapabilities(of: shader)
            #expect(!capabilities.isEmpty && !capabilities.contains(SpirvCapability.int64)
                    && !capabilities.contains(SpirvCapability.float64), "\(shader): \(capabilities)")
        }
    }

    /// topk against the CPU's (the stable argsort's first k, CPUTopkTests): the one-pass
    /// selection for k up to 16 and the argsort's first k above, over 21 lanes of 1000 along
    /// the middle axis of a transposed tensor, with many ties and special values, into a
    /// reversed output; largest and smallest.
    @Test(arguments: [DType.float32, .float64, .int64, .float16, .uint8, .bool])
    func topkMatchesTheCPU(dtype: DType) throws {
        let (shape, axis) = ([3, 1000, 7], 1)
        var random = SeededGenerator(seed: 0x70B)
        let specials = Self.specialValues(dtype)
        let input = try TestTensor(shape, dtype, layout: .transposed, using: &random) { random in
            Int.random(in: 0..<4, using: &random) == 0 ? specials.randomElement(using: &random)!
                : Double(Int.random(in: 0...9, using: &random))
        }
        for k in [1, 5, 16, 17, 300] {
            for largest in [true, false] {
                var outputShape = shape
                outputShape[axis] = k
                let output = try TestTensor(outputShape, .int64, layout: .reversed, using: &random) { _ in -1 }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: false) { queue, inputs, output in
                    try queue.topk(input: inputs[0], axis: axis, k: k, largest: largest, output: output)
                }
                #expect(differences.isEmpty, "topk \(k) \(largest ? "largest" : "smallest") of \(dtype): \(differences)")
            }
        }
    }

    /// Values beside small integers that a key could misorder: NaN, ±0, ±infinity and
    /// subnormals for floats; extremes and values apart only in the low word for int64 and
    /// float64.
    private static func specialValues(_ dtype: DType) -> [Double] {
        switch dtype {
        case .float64: [.nan, -0.0, 0.0, .infinity, -.infinity, 1 + 0x1p-52, -1 - 0x1p-52, 0x1p-1074, -0x1p-1074, 0x1.8p1000]
        case .float32: [.nan, -0.0, 0.0, .infinity, -.infinity, 0x1p-149, -0x1p-149, 1 + 0x1p-23, 0x1p100]
        case .float16, .bfloat16: [.nan, -0.0, 0.0, .infinity, -.infinity, 0.5, -0.5, 3.5]
        case .int64: [-0x1p63, 0x1p62, -0x1p32, 0x1p32, 0x1p32 + 1, -(0x1p32 + 1), 0x1p40, -1]
        case .int32: [Double(Int32.min), Double(Int32.max), -1]
        case .uint8: [255, 128, 127]
        case .bool: [1]
        }
    }

    /// The argsort on the Vulkan device and on the CPU (`differencesFromCPU`), each timed
    /// alone (earlier uploads waited for first).
    private func argsortOnBoth(_ input: TestTensor, axis: Int, descending: Bool,
                               output: TestTensor) throws -> (differences: [String], times: (vulkan: Duration, cpu: Duration)) {
        var times: [Duration] = []
        let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: false) { queue, inputs, output in
            try queue.synchronize()
            let start = ContinuousClock.now
            try queue.argsort(input: inputs[0], axis: axis, descending: descending, output: output)
            try queue.synchronize()
            times.append(ContinuousClock.now - start)
        }
        return (differences, (times[0], times[1]))
    }
}
