import Testing
@testable import DeviceShimDevices

/// Every op and dtype the Vulkan device claims, against the CPU backend on random strided
/// operands: broadcast (stride 0), negative strides, offsets, ranks 0 to 6 (above 4 the
/// host splits the walk into several dispatches).
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanKernelTests {
    static let shapes: [[Int]] = [[], [1], [0], [7], [3, 0, 2], [5, 6], [2, 3, 4, 5], [2, 1, 3, 2, 2, 3], [300]]

    /// Layouts for the inputs and output of one case, varied with the case number.
    static func layouts(_ index: Int, inputs: Int) -> (inputs: [Layout], output: Layout) {
        let all = Layout.allCases
        return ((0..<inputs).map { all[(index + 2 * $0) % all.count] }, Layout.outputs[index % Layout.outputs.count])
    }

    @Test(arguments: DType.allCases)
    func unaryOpsMatchTheCPU(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        var random = SeededGenerator(seed: 11)
        for op in UnaryOp.allCases where device.supports(.unary(op), dtype) {
            for (index, shape) in Self.shapes.enumerated() {
                let layouts = Self.layouts(index, inputs: 1)
                let input = try TestTensor(shape, dtype, layout: layouts.inputs[0], using: &random) { unaryDomain(op, dtype, &$0) }
                let output = try TestTensor(shape, op.producesBool ? .bool : dtype, layout: layouts.output, using: &random) {
                    randomValue(op.producesBool ? .bool : dtype, using: &$0)
                }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: dtype.isFloatingPoint) { queue, inputs, output in
                    try queue.unary(op, input: inputs[0], output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype) \(shape) \(layouts): \(differences)")
            }
        }
    }

    @Test(arguments: DType.allCases)
    func binaryOpsMatchTheCPU(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        var random = SeededGenerator(seed: 12)
        for op in BinaryOp.allCases where device.supports(.binary(op), dtype) {
            for (index, shape) in Self.shapes.enumerated() {
                let layouts = Self.layouts(index, inputs: 2)
                let lhs = try TestTensor(shape, dtype, layout: layouts.inputs[0], using: &random) { randomValue(dtype, using: &$0) }
                let rhs = try TestTensor(shape, dtype, layout: layouts.inputs[1], using: &random) { binaryDomain(op, dtype, &$0) }
                let outputType: DType = op.producesBool ? .bool : dtype
                let output = try TestTensor(shape, outputType, layout: layouts.output, using: &random) { randomValue(outputType, using: &$0) }
                let differences = try differencesFromCPU(inputs: [lhs, rhs], output: output,
                                                         tolerant: dtype.isFloatingPoint && !op.producesBool) { queue, inputs, output in
                    try queue.binary(op, lhs: inputs[0], rhs: inputs[1], output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype) \(shape) \(layouts): \(differences)")
            }
        }
    }

    /// Values that probe conversions: saturation, NaN, infinities, rounding ties, wrapping.
    static func conversionValue(_ dtype: DType, _ random: inout SeededGenerator) -> Double {
        let specials: [Double] = [.nan, .infinity, -.infinity, 1e10, -1e10, 255.5, 256, -1.5, 2.5, 65504, 70000, 1e-8, -0.0]
        if dtype.isFloatingPoint, Int.random(in: 0..<3, using: &random) == 0 { return specials.randomElement(using: &random)! }
        return randomValue(dtype, using: &random)
    }

    @Test(arguments: DType.allCases)
    func conversionsMatchTheCPU(from source: DType) throws {
        let device = try VulkanTests.requireDevice()
        var random = SeededGenerator(seed: 13)
        for destination in DType.allCases where device.supports(.convert(from: source), destination) {
            for (index, shape) in Self.shapes.enumerated() {
                let layouts = Self.layouts(index, inputs: 1)
                let input = try TestTensor(shape, source, layout: layouts.inputs[0], using: &random) { Self.conversionValue(source, &$0) }
                let output = try TestTensor(shape, destination, layout: layouts.output, using: &random) { randomValue(destination, using: &$0) }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: false) { queue, inputs, output in
                    try queue.convert(input: inputs[0], output: output)
                }
                #expect(differences.isEmpty, "\(source) → \(destination) \(shape) \(layouts): \(differences)")
            }
        }
    }

    static let reductionCases: [(shape: [Int], axis: Int)] = [
        ([7], 0), ([300], 0), ([5, 6], 1), ([5, 6], 0), ([3, 0, 2], 1), ([3, 200], 1), ([2, 3, 4, 5], 2),
        ([2, 1, 3, 2, 2, 3], 4), ([4, 1000], 1), ([1], 0),
    ]

    @Test(arguments: DType.allCases)
    func reductionsMatchTheCPU(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        var random = SeededGenerator(seed: 14)
        for op in ReductionOp.allCases where device.supports(.reduce(op), dtype) {
            for (index, (shape, axis)) in Self.reductionCases.enumerated() {
                if op == .prod, dtype.isFloatingPoint, shape[axis] > 64 { continue }  // overflows differently in float32
                if shape[axis] == 0, ![.sum, .prod, .sumOfSquares, .any, .all].contains(op) { continue }
                let layouts = Self.layouts(index, inputs: 1)
                var outputShape = shape
                outputShape[axis] = 1
                let outputType = op.outputType(for: dtype)
                let input = try TestTensor(shape, dtype, layout: layouts.inputs[0], using: &random) { randomValue(dtype, using: &$0) }
                let output = try TestTensor(outputShape, outputType, layout: layouts.output, using: &random) { randomValue(outputType, using: &$0) }
                let differences = try differencesFromCPU(inputs: [input], output: output,
                                                         tolerant: dtype.isFloatingPoint && [.sum, .prod, .sumOfSquares].contains(op)) { queue, inputs, output in
                    try queue.reduce(op, input: inputs[0], axis: axis, output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype) \(shape) axis \(axis) \(layouts): \(differences)")
            }
        }
    }

    /// The shared-memory tree devices without subgroup shuffles use, on long axes.
    @Test func sharedMemoryReductionsMatchTheCPU() throws {
        let device = try VulkanTests.requireDevice()
        device.reducesWithSubgroups.store(false, ordering: .relaxed)
        defer { device.reducesWithSubgroups.store(device.hasSubgroupShuffles, ordering: .relaxed) }
        var random = SeededGenerator(seed: 15)
        for dtype in [DType.float32, .int32, .float16, .uint8] {
            for op in ReductionOp.allCases where device.supports(.reduce(op), dtype) && !(op == .prod && dtype.isFloatingPoint) {
                let input = try TestTensor([3, 700], dtype, layout: .transposed, using: &random) { randomValue(dtype, using: &$0) }
                let outputType = op.outputType(for: dtype)
                let output = try TestTensor([3, 1], outputType, layout: .contiguous, using: &random) { randomValue(outputType, using: &$0) }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: dtype.isFloatingPoint) { queue, inputs, output in
                    try queue.reduce(op, input: inputs[0], axis: 1, output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype): \(differences)")
            }
        }
    }

    @Test func argmaxTakesTheFirstOfTiesAndNaN() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        var values = [Float](repeating: 1, count: 700)
        values[5] = 9; values[600] = 9; values[650] = .nan; values[680] = .nan
        let input = try device.allocate(byteCount: 700 * 4)
        let output = try device.allocate(byteCount: 8 * 2)
        try values.withUnsafeBytes { try queue.copy(from: $0.baseAddress!, to: BufferRegion(input)) }
        try queue.reduce(.argmax, input: StridedOperand(input, dtype: .float32, shape: [700]), axis: 0,
                         output: StridedOperand(output, dtype: .int64, shape: [1]))
        try queue.reduce(.argmax, input: StridedOperand(input, dtype: .float32, shape: [600]), axis: 0,
                         output: StridedOperand(output, dtype: .int64, offset: 1, shape: [1]))
        let bytes = try contents(of: output, queue: queue)
        #expect(element(.int64, at: 0, in: bytes) == 650)
        #expect(element(.int64, at: 1, in: bytes) == 5)
    }

    @Test func unsupportedOpsThrowUnsupported() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 64)
        let operand = StridedOperand(buffer, dtype: .bool, shape: [4])
        #expect(!device.supports(.unary(.exp), .bool))
        #expect(throws: DeviceError.self) { try queue.unary(.exp, input: operand, output: operand) }
        #expect(throws: DeviceError.self) {
            try queue.unary(.neg, input: StridedOperand(buffer, dtype: .float32, shape: [4]),
                            output: StridedOperand(buffer, dtype: .float32, offset: 14, shape: [4]))
        }
    }
}
