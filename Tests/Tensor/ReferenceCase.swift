import DeviceShimTensor
import Foundation

/// A JSON value of the reference files, integers kept exact (int64 values beyond 2^53 occur).
enum JSONValue: Decodable {
    /// A JSON number: `integer` when it is one exactly (kept exact beyond 2^53), and its double
    /// (which keeps the sign of -0.0).
    case number(integer: Int64?, double: Double)
    case bool(Bool), string(String), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) {
            self = .number(integer: try? container.decode(Int64.self), double: value)
        }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var object: [String: JSONValue]? { if case let .object(value) = self { value } else { nil } }
    var array: [JSONValue]? { if case let .array(value) = self { value } else { nil } }
    var int: Int? { if case let .number(integer?, _) = self { Int(integer) } else { nil } }
    var bool: Bool? { if case let .bool(value) = self { value } else { nil } }
    var string: String? { if case let .string(value) = self { value } else { nil } }
    var isNull: Bool { if case .null = self { true } else { false } }
    var ints: [Int]? { array?.compactMap(\.int) }

    /// A float as the files write it: a number, or "nan", "inf", "-inf".
    var double: Double? {
        switch self {
        case let .number(_, value): value
        case let .string(text): ["nan": .nan, "inf": .infinity, "-inf": -.infinity][text]
        default: nil
        }
    }

    /// `{"scalar": x, "kind": k}` as a TensorScalar.
    var scalar: TensorScalar? {
        guard let object, let value = object["scalar"] else { return nil }
        switch object["kind"]?.string {
        case "int": if case let .number(integer?, _) = value { return .int(integer) } else { return nil }
        case "bool": return value.bool.map { .bool($0) }
        default: return value.double.map { .float($0) }
        }
    }
}

/// One case of a reference file (see Tests/Tensor/Reference/README.md).
struct ReferenceCase: Decodable {
    let name: String
    let op: String
    let inputs: [JSONValue]
    let kwargs: [String: JSONValue]
    let expected: JSONValue
    let tolerance: Tolerance?
    /// For a view op whose PyTorch result aliases the first input: the result's strides and
    /// storage offset, in elements of that input's storage.
    let view_strides: [Int]?
    let view_offset: Int?

    struct Tolerance: Decodable {
        let rtol: Double
        let atol: Double
    }

    struct File: Decodable { let cases: [ReferenceCase] }

    /// The cases of `Reference/<family>.json`.
    static func load(_ family: String) throws -> [ReferenceCase] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference")
        let data = try Data(contentsOf: folder.appendingPathComponent("\(family).json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }
}

/// Building tensors from the files' objects and comparing results with them.
enum ReferenceTensors {
    static func dtype(_ name: String) throws -> DType {
        guard let dtype = DType(rawValue: name) else { throw ReferenceFailure("unknown dtype \(name)") }
        return dtype
    }

    /// A tensor object made on `device`, strided as its `strides` say.
    static func make(_ value: JSONValue, device: String, engine: TensorEngine) throws -> Tensor {
        guard let object = value.object, let shape = object["shape"]?.ints, let data = object["data"]?.array,
              let dtype = try object["dtype"]?.string.map(dtype) else { throw ReferenceFailure("not a tensor: \(value)") }
        guard let strides = object["strides"]?.ints else { return try tensor(data, shape: shape, dtype: dtype, device: device, engine: engine) }
        // The elements go into a storage of poison values (README, "Tensors") at `strides`
        // from `offset`: a kernel reading outside them puts poison into its result. The
        // storage is filled on the host, element by element: elements may share storage (an
        // expanded input), which no op writes through.
        let offset = object["offset"]?.int ?? 0
        let reached = shape.contains(0) ? offset : offset + zip(shape, strides).map { ($0 - 1) * $1 }.reduce(0, +) + 1
        let poison: JSONValue = dtype.isFloatingPoint ? .string("nan") : dtype == .bool ? .bool(true) : .number(integer: 101, double: 101)
        var storage = [JSONValue](repeating: poison, count: reached)
        for (element, value) in data.enumerated() {
            var (rest, position) = (element, offset)
            for (size, stride) in zip(shape, strides).reversed() {
                position += rest % size * stride
                rest /= size
            }
            storage[position] = value
        }
        return try tensor(storage, shape: [reached], dtype: dtype, device: device, engine: engine)
            .asStrided(shape, strides: strides, offset: offset)
    }

    /// A dense tensor of the files' element values.
    private static func tensor(_ data: [JSONValue], shape: [Int], dtype: DType, device: String, engine: TensorEngine) throws -> Tensor {
        switch dtype {
        case .bool: try Tensor(data.map { $0.bool ?? false }, shape: shape, device: device, engine: engine)
        case .int32, .int64, .uint8: try Tensor(data.map { $0.int.map(Int64.init) ?? 0 }, shape: shape, dtype: dtype, device: device, engine: engine)
        default: try Tensor(data.map { $0.double ?? .nan }, shape: shape, dtype: dtype, device: device, engine: engine)
        }
    }

    /// Why `actual` differs from the expected tensor object, or nil when it matches.
    static func mismatch(_ actual: Tensor, _ expected: JSONValue, tolerance: ReferenceCase.Tolerance?) throws -> String? {
        guard let object = expected.object, let shape = object["shape"]?.ints, let data = object["data"]?.array,
              let dtypeName = object["dtype"]?.string else { throw ReferenceFailure("expected is not a tensor") }
        if actual.dtype.rawValue != dtypeName { return "dtype \(actual.dtype), expected \(dtypeName)" }
        if actual.shape != shape { return "shape \(actual.shape), expected \(shape)" }
        switch actual.dtype {
        case .bool:
            let values = try actual.toArray(Bool.self)
            for (index, value) in values.enumerated() where value != data[index].bool {
                return "element \(index): \(value), expected \(data[index])"
            }
        case .int32, .int64, .uint8:
            let values = try actual.toArray(Int64.self)
            for (index, value) in values.enumerated() where Int(value) != data[index].int {
                return "element \(index): \(value), expected \(data[index])"
            }
        default:
            let values = try actual.toArray(Double.self)
            for (index, value) in values.enumerated() {
                let wanted = data[index].double ?? .nan
                if !close(value, wanted, tolerance) { return "element \(index): \(value), expected \(wanted) (\(values.prefix(8))…)" }
            }
        }
        return nil
    }

    static func close(_ actual: Double, _ expected: Double, _ tolerance: ReferenceCase.Tolerance?) -> Bool {
        if expected.isNaN { return actual.isNaN }
        if expected.isInfinite || tolerance == nil { return actual == expected }
        return actual.isFinite && Swift.abs(actual - expected) <= tolerance!.atol + tolerance!.rtol * Swift.abs(expected)
    }
}

struct ReferenceFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
