import Testing
@testable import DeviceShimDevices

/// The conformance cases of `select` and `gather`. They move elements without arithmetic, so
/// the reference is computed here from the operands' values, not by the CPU's kernels.
extension ConformanceSuite {
    func checkSelect(_ dtype: DType, _ shape: [Int], _ index: Int, _ queue: any DeviceQueue,
                     _ report: inout Report, _ random: inout SeededGenerator) throws {
        let condition = try TestTensor(shape, .bool, layout: Layout.allCases[(index + 1) % 5], using: &random) { randomValue(.bool, using: &$0) }
        let whenTrue = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let whenFalse = try TestTensor(shape, dtype, layout: Layout.allCases[(index + 3) % 5], using: &random) { randomValue(dtype, using: &$0) }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) select \(dtype) \(shape) \(Layout.allCases[index % 5])"
        let expected = zip(condition.integers(), zip(whenTrue.values(), whenFalse.values())).map { $0 != 0 ? $1.0 : $1.1 }
        try judgeKernel(context, output: output, dtype: dtype, queue, &report, expected: { expected }) {
            try queue.select(condition: try DeviceTensor(condition, on: queue).operand, whenTrue: try DeviceTensor(whenTrue, on: queue).operand,
                             whenFalse: try DeviceTensor(whenFalse, on: queue).operand, output: output.operand)
        }
    }

    /// A gather whose input is up to two larger than the output outside `axis`, with indices
    /// in range and, one in seven, outside it (-1 or the axis length), which give zero.
    func checkGather(_ dtype: DType, _ shape: [Int], _ axis: Int, _ index: Int, _ queue: any DeviceQueue,
                     _ report: inout Report, _ random: inout SeededGenerator) throws {
        var inputShape = shape.map { $0 + Int.random(in: 0...2, using: &random) }
        inputShape[axis] = Int.random(in: 1...6, using: &random)
        let length = inputShape[axis]
        let input = try TestTensor(inputShape, dtype, layout: Layout.allCases[index % 5], using: &random) { randomValue(dtype, using: &$0) }
        let positions = try TestTensor(shape, .int64, layout: Layout.outputs[(index + 1) % 4], using: &random) { random in
            Int.random(in: 0..<7, using: &random) == 0 ? [-1, Double(length)].randomElement(using: &random)!
                : Double(Int.random(in: 0..<length, using: &random))
        }
        let output = try output(shape, dtype, index, queue, &random)
        let context = "\(device.id) gather \(dtype) \(inputShape) to \(shape) axis \(axis) \(Layout.allCases[index % 5])"
        let inputValues = input.values(), inputStrides = StridedOperand.contiguousStrides(for: inputShape)
        let expected = zip(Self.coordinates(of: shape), positions.integers()).map { coordinates, position -> Double in
            guard (0..<Int64(length)).contains(position) else { return 0 }
            var at = coordinates
            at[axis] = Int(position)
            return inputValues[zip(at, inputStrides).map(*).reduce(0, +)]
        }
        try judgeKernel(context, output: output, dtype: dtype, queue, &report, expected: { expected }) {
            try queue.gather(input: try DeviceTensor(input, on: queue).operand, index: try DeviceTensor(positions, on: queue).operand,
                             axis: axis, output: output.operand)
        }
    }

    /// Every coordinate of `shape`, in row-major order.
    private static func coordinates(of shape: [Int]) -> [[Int]] {
        let count = shape.reduce(1, *)
        return (0..<count).map { linear in
            var remaining = linear
            return shape.reversed().map { size in
                defer { remaining /= size }
                return remaining % size
            }.reversed()
        }
    }
}
