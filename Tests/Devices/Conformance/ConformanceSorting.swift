import Testing
@testable import DeviceShimDevices

/// The conformance cases of `argsort`. The reference sorts positions here, by PyTorch's
/// comparison, not with the CPU's kernel.
extension ConformanceSuite {
    /// An argsort along `axis` of values with many ties (small integers; for floats also NaN,
    /// ±0 and ±infinity), so the stable order and NaN's place show.
    func checkArgsort(_ dtype: DType, _ shape: [Int], _ axis: Int, descending: Bool, _ index: Int, _ queue: any DeviceQueue,
                      _ report: inout Report, _ random: inout SeededGenerator) throws {
        let input = try TestTensor(shape, dtype, layout: Layout.allCases[index % 5], using: &random) { random in
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where dtype.isFloatingPoint: [.nan, -0.0, 0.0, .infinity, -.infinity].randomElement(using: &random)!
            case 0, 1, 2: Double(Int.random(in: 0...3, using: &random))
            default: randomValue(dtype, using: &random)
            }
        }
        let output = try output(shape, .int64, index, queue, &random)
        let context = "\(device.id) argsort \(descending ? "descending " : "")\(dtype) \(shape) axis \(axis) \(Layout.allCases[index % 5])"
        let expected = Self.argsortReference(input.values(), shape: shape, axis: axis, descending: descending)
        try judgeKernel(context, output: output, dtype: .int64, queue, &report, expected: { expected }) {
            try queue.argsort(input: try DeviceTensor(input, on: queue).operand, axis: axis, descending: descending,
                              output: output.operand)
        }
    }

    /// The positions that sort each lane of `values` (row-major, of `shape`) along `axis`,
    /// stably, NaN above every number and -0.0 equal to 0.0, in row-major order.
    static func argsortReference(_ values: [Double], shape: [Int], axis: Int, descending: Bool) -> [Double] {
        let strides = StridedOperand.contiguousStrides(for: shape)
        let above = { (a: Double, b: Double) in a.isNaN ? !b.isNaN : a > b }
        var result = [Double](repeating: 0, count: values.count)
        for start in values.indices where (start / strides[axis]) % shape[axis] == 0 {
            let lane = (0..<shape[axis]).map { values[start + $0 * strides[axis]] }
            let order = lane.indices.sorted { i, j in
                let (a, b) = (lane[i], lane[j])
                if descending ? above(a, b) : above(b, a) { return true }
                return !above(a, b) && !above(b, a) && i < j
            }
            for (slot, position) in order.enumerated() { result[start + slot * strides[axis]] = Double(position) }
        }
        return result
    }
}
