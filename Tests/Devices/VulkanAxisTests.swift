import Foundation
import Testing
@testable import DeviceShimDevices

/// The Vulkan `AxisOp` shader (glsl/axis.comp): every op and dtype the device claims against
/// the CPU on strided operands, short lanes (an invocation each) and long ones (a workgroup
/// each); hand-computed values for the special softmax lanes, wrapping integer totals and
/// compensated float32 sums; the contract's errors.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanAxisTests {
    static let cases: [(shape: [Int], axis: Int)] = [
        ([1], 0), ([7], 0), ([300], 0), ([5, 6], 1), ([5, 6], 0), ([3, 0, 2], 1), ([3, 0, 2], 0), ([3, 200], 1),
        ([2, 3, 4, 5], 2), ([2, 1, 3, 2, 2, 3], 4), ([2, 3, 1, 2, 2, 3], 0), ([4, 1000], 1), ([65, 3], 0),
    ]

    @Test(arguments: DType.allCases)
    func axisOpsMatchTheCPU(dtype: DType) throws {
        let device = try VulkanTests.requireDevice()
        var random = SeededGenerator(seed: 21)
        for op in AxisOp.allCases where device.supports(.axis(op), dtype) {
            for (index, (shape, axis)) in Self.cases.enumerated() {
                // Float factors near 1, so that long products neither overflow nor underflow
                // (where float32 and the CPU's double would part ways).
                let nearOne = op == .cumprod && dtype.isFloatingPoint
                let layouts = VulkanKernelTests.layouts(index, inputs: 1)
                let input = try TestTensor(shape, dtype, layout: layouts.inputs[0], using: &random) {
                    nearOne ? Double.random(in: 0.98...1.02, using: &$0) : randomValue(dtype, using: &$0)
                }
                let output = try TestTensor(shape, dtype, layout: layouts.output, using: &random) { randomValue(dtype, using: &$0) }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: dtype.isFloatingPoint) { queue, inputs, output in
                    try queue.alongAxis(op, input: inputs[0], axis: axis, output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype) \(shape) axis \(axis) \(layouts): \(differences)")
            }
        }
        #expect(!device.supports(.axis(.cumsum), .bool))
        #expect(!device.supports(.axis(.softmax), .float64))
    }

    /// The shared-memory trees devices without subgroup shuffles use, on long lanes (with
    /// shuffles where the device has them, `axisOpsMatchTheCPU` covers the other path).
    @Test func sharedMemoryCombinesMatchTheCPU() throws {
        let device = try VulkanTests.requireDevice()
        device.reducesWithSubgroups.store(false, ordering: .relaxed)
        defer { device.reducesWithSubgroups.store(device.hasSubgroupShuffles, ordering: .relaxed) }
        var random = SeededGenerator(seed: 22)
        for dtype in [DType.float32, .int32, .float16, .uint8] {
            for op in AxisOp.allCases where device.supports(.axis(op), dtype) && !(op == .cumprod && dtype.isFloatingPoint) {
                let input = try TestTensor([3, 700], dtype, layout: .transposed, using: &random) { randomValue(dtype, using: &$0) }
                let output = try TestTensor([3, 700], dtype, layout: .reversed, using: &random) { randomValue(dtype, using: &$0) }
                let differences = try differencesFromCPU(inputs: [input], output: output, tolerant: dtype.isFloatingPoint) { queue, inputs, output in
                    try queue.alongAxis(op, input: inputs[0], axis: 1, output: output)
                }
                #expect(differences.isEmpty, "\(op) on \(dtype): \(differences)")
            }
        }
    }

    /// Runs `op` along `axis` of `values` laid out with `strides` on the Vulkan device; returns
    /// the output's elements at the same positions.
    private func run(_ op: AxisOp, _ values: [Double], _ dtype: DType, shape: [Int], strides: [Int]? = nil,
                     axis: Int) throws -> [Double] {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let input = try vulkanMirror(of: try cpuBuffer(values, dtype), on: device, queue: queue)
        let output = try vulkanMirror(of: try cpuBuffer(values.map { _ in 7 }, dtype), on: device, queue: queue)
        let strides = strides ?? StridedOperand.contiguousStrides(for: shape)
        try queue.alongAxis(op, input: StridedOperand(input, dtype: dtype, shape: shape, strides: strides), axis: axis,
                            output: StridedOperand(output, dtype: dtype, shape: shape, strides: strides))
        let bytes = try contents(of: output, queue: queue)
        return values.indices.map { element(dtype, at: $0, in: bytes) }
    }

    /// Columns of a matrix stored column by column (axis 0 has stride 1, the lanes stride 2):
    /// softmax down each row of the transposed view, i.e. along a strided axis.
    @Test func softmaxAlongAStridedAxisWithSpecialLanes() throws {
        // Six lanes of two: [0, ln 3], [1, 1], [-inf, 5], [NaN, 2], [inf, 0], [-inf, -inf].
        let lanes: [[Double]] = [[0, log(3)], [1, 1], [-.infinity, 5], [.nan, 2], [.infinity, 0], [-.infinity, -.infinity]]
        let values = lanes.flatMap { $0 }  // lane k at elements 2k, 2k + 1
        let soft = try run(.softmax, values, .float32, shape: [2, 6], strides: [1, 2], axis: 0)
        let logSoft = try run(.logSoftmax, values, .float32, shape: [2, 6], strides: [1, 2], axis: 0)
        #expect(abs(soft[0] - 0.25) < 3e-7 && abs(soft[1] - 0.75) < 3e-7)
        #expect(abs(logSoft[0] - log(0.25)) < 1e-6 && abs(logSoft[1] - log(0.75)) < 1e-6)
        #expect(soft[2] == 0.5 && soft[3] == 0.5)
        #expect(abs(logSoft[2] + log(2)) < 3e-7 && abs(logSoft[3] + log(2)) < 3e-7)
        #expect(soft[4] == 0 && abs(soft[5] - 1) < 1e-7 && logSoft[4] == -.infinity && abs(logSoft[5]) < 1e-7)
        #expect(soft[6...].allSatisfy { $0.isNaN }, "\(soft)")
        #expect(logSoft[6...].allSatisfy { $0.isNaN }, "\(logSoft)")
    }

    /// Lanes of 100 (a workgroup each): one holding a NaN, one of ones (softmax 1/100 each).
    @Test func longLanesWithANaN() throws {
        var values = [Double](repeating: 1, count: 200)
        values[70] = .nan
        let soft = try run(.softmax, values, .float16, shape: [2, 100], axis: 1)
        let logSoft = try run(.logSoftmax, values, .float32, shape: [2, 100], axis: 1)
        #expect(soft[..<100].allSatisfy { $0.isNaN } && logSoft[..<100].allSatisfy { $0.isNaN })
        #expect(soft[100...].allSatisfy { $0 == Double(Float16(0.01)) }, "\(soft[100...].prefix(4))")
        #expect(logSoft[100...].allSatisfy { abs($0 + log(100)) < 1e-6 }, "\(logSoft[100...].prefix(4))")
    }

    /// A log-softmax near 0 (one maximum, the rest far below) keeps its relative precision: the
    /// shader takes log(1 + rest) rather than log of a float32 sum near 1. Lanes of 2 and 100.
    @Test func logSoftmaxNearZeroKeepsItsPrecision() throws {
        for length in [2, 100] {
            let values = [0] + [Double](repeating: -12, count: length - 1)
            let result = try run(.logSoftmax, values, .float32, shape: [length], axis: 0)
            let expected = -log1p(Double(length - 1) * exp(-12))
            #expect(abs(result[0] - expected) <= 1e-6 * abs(expected), "length \(length): \(result[0]) vs \(expected)")
        }
    }

    /// Output and input one operand: every lane is read before it is overwritten.
    @Test func inPlace() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try vulkanMirror(of: try cpuBuffer((0..<1000).map { Double($0 % 7) }, .int32), on: device, queue: queue)
        let operand = StridedOperand(buffer, dtype: .int32, shape: [4, 250])
        try queue.alongAxis(.cumsum, input: operand, axis: 1, output: operand)  // lanes of 250: a workgroup each
        try queue.alongAxis(.cumsum, input: operand, axis: 0, output: operand)  // lanes of 4: an invocation each
        let bytes = try contents(of: buffer, queue: queue)
        var expected = (0..<1000).map { $0 % 7 }
        for row in 0..<4 { for column in 1..<250 { expected[row * 250 + column] += expected[row * 250 + column - 1] } }
        for row in 1..<4 { for column in 0..<250 { expected[row * 250 + column] += expected[(row - 1) * 250 + column] } }
        #expect((0..<1000).map { element(.int32, at: $0, in: bytes) } == expected.map(Double.init))
    }

    @Test func integerRunningTotalsWrap() throws {
        let ints = try run(.cumsum, [2_147_483_647, 1, 5, -2_147_483_648], .int32, shape: [4], axis: 0)
        #expect(ints == [2_147_483_647, -2_147_483_648, -2_147_483_643, 5])
        let bytes = try run(.cumprod, [15, 17, 2, 200, 100, 3], .uint8, shape: [2, 3], axis: 1)
        #expect(bytes == [15, 255, 254, 200, 32, 96])  // 510 → 254; 20000 → 32; 96
        // A lane of 1000 (a workgroup): 3e6 · k wraps past 2^31 from k = 716 on.
        let long = try run(.cumsum, [Double](repeating: 3_000_000, count: 1000), .int32, shape: [1000], axis: 0)
        let expected = (1...1000).map { Double(Int32(truncatingIfNeeded: 3_000_000 * $0)) }
        #expect(long == expected)
    }

    /// float32 sums are compensated: 2^24 + 1 + 1 keeps both ones, and ones of 1e-8 added to
    /// 1 (each below half an ulp of 1) still add up, on a short lane and on a long one.
    @Test func float32SumsAreCompensated() throws {
        let exact = try run(.cumsum, [16_777_216, 1, 1], .float32, shape: [3], axis: 0)
        #expect(exact == [16_777_216, 16_777_216, 16_777_218])
        let small = Double(Float(1e-8))
        for length in [64, 10_001] {
            let totals = try run(.cumsum, [1] + [Double](repeating: small, count: length - 1), .float32, shape: [length], axis: 0)
            let expected = Double(Float(1 + Double(length - 1) * small))
            #expect(abs(totals[length - 1] - expected) <= 1.2e-7, "length \(length): \(totals[length - 1]) vs \(expected)")
        }
    }

    @Test func badOperandsThrow() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 64)
        expectAlongAxisRefusals(queue, buffer: buffer)
        let matrix = StridedOperand(buffer, dtype: .float32, shape: [2, 2])
        let ints = StridedOperand(buffer, dtype: .int32, shape: [2, 2])
        #expect(deviceError { try queue.alongAxis(.cumsum, input: matrix, axis: 0, output: ints) }?.isInvalidArgument == true)
        try queue.synchronize()
    }
}
