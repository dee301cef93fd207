import Glibc

/// `print(tensor)`: values laid out as PyTorch's repr lays them out, then shape, dtype and
/// device (the one asked for and the real one serving it). Tensors of more than 1000
/// elements show three items at each end of every dimension, with `...` between.
extension Tensor: CustomStringConvertible {
    public var description: String {
        let suffix = "shape=\(shape), dtype=\(dtype), device=\(requestedDevice) on \(device)"
        do {
            let summarized = count > TensorFormat.summaryThreshold
            let shown = try summaryTensor(summarized)
            let values = try shown.scalars()
            let cut = Set(shape.indices.filter { summarized && shape[$0] > 2 * TensorFormat.edgeItems })
            let body = TensorFormat(values: values).render(values: values, shape: shown.shape, cutAxes: cut, indent: 7)
            return "tensor(\(body), \(suffix))"
        } catch {
            return "tensor(<values unreadable: \(error)>, \(suffix))"
        }
    }

    /// The elements the description shows: all of them, or the edge items of each dimension.
    private func summaryTensor(_ summarized: Bool) throws(TensorError) -> Tensor {
        guard summarized else { return self }
        var result = self
        for axis in 0..<rank where shape[axis] > 2 * TensorFormat.edgeItems {
            let head = try result.narrowed(dim: axis, start: 0, length: TensorFormat.edgeItems)
            let tail = try result.narrowed(dim: axis, start: shape[axis] - TensorFormat.edgeItems, length: TensorFormat.edgeItems)
            result = try Tensor.cat([head, tail], dim: axis)
        }
        return result
    }
}

/// How the numbers of one tensor are written: PyTorch's printing options (precision 4,
/// scientific notation for wide ranges, one width for all).
struct TensorFormat {
    static let summaryThreshold = 1000
    static let edgeItems = 3
    private let scientific: Bool
    private let integral: Bool
    private var width: Int

    init(values: [TensorScalar]) {
        let finite = values.compactMap { value -> Double? in
            if case let .float(number) = value, number.isFinite { return abs(number) } else { return nil }
        }
        let isFloat = values.contains { if case .float = $0 { true } else { false } }
        integral = isFloat && finite.allSatisfy { $0.rounded() == $0 }
        let largest = finite.max() ?? 0, smallest = finite.filter { $0 > 0 }.min() ?? 0
        scientific = isFloat && !integral && (largest >= 1e8 || (smallest > 0 && (largest / smallest > 1000 || smallest < 1e-4)))
        width = 0
        width = values.map { text($0).count }.max() ?? 0
    }

    func text(_ value: TensorScalar) -> String {
        let plain: String
        switch value {
        case let .bool(flag): plain = flag ? "True" : "False"
        case let .int(number): plain = String(number)
        case let .float(number):
            if number.isNaN { plain = "nan" } else if number.isInfinite { plain = number < 0 ? "-inf" : "inf" }
            else if integral { plain = String(Int64(number)) + "." }
            else if scientific { plain = Self.scientificText(number) }
            else { plain = Self.fixedText(number) }
        }
        return String(repeating: " ", count: max(width - plain.count, 0)) + plain
    }

    /// Nested brackets, one row per line, as PyTorch prints them.
    func render(values: [TensorScalar], shape: [Int], cutAxes: Set<Int>, indent: Int) -> String {
        guard !shape.isEmpty else { return values.first.map(text) ?? "" }
        var position = 0
        func level(_ axis: Int) -> String {
            let size = shape[axis]
            var items: [String] = []
            for index in 0..<size {
                if cutAxes.contains(axis) && index == Self.edgeItems { items.append("...") }
                if axis == shape.count - 1 {
                    items.append(text(values[position]))
                    position += 1
                } else {
                    items.append(level(axis + 1))
                }
            }
            let separator = axis == shape.count - 1 ? ", "
                : "," + String(repeating: "\n", count: shape.count - 1 - axis) + String(repeating: " ", count: indent + axis + 1)
            return "[" + items.joined(separator: separator) + "]"
        }
        return level(0)
    }

    private static func fixedText(_ number: Double) -> String {
        let scaled = (abs(number) * 10_000).rounded()
        let whole = Int64(scaled / 10_000), fraction = Int64(scaled.truncatingRemainder(dividingBy: 10_000))
        let digits = String(fraction)
        let sign = number < 0 && scaled > 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func scientificText(_ number: Double) -> String {
        guard number != 0 else { return "0.0000e+00" }
        var exponent = Int(log10(abs(number)).rounded(.down))
        var mantissa = number / pow(10, Double(exponent))
        if abs((mantissa * 10_000).rounded()) >= 100_000 {
            exponent += 1
            mantissa /= 10
        }
        let sign = exponent < 0 ? "-" : "+"
        let magnitude = String(abs(exponent))
        return fixedText(mantissa) + "e" + sign + (magnitude.count < 2 ? "0" : "") + magnitude
    }
}
