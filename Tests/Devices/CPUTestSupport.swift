#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceShimDevices

/// SplitMix64: a small seeded generator, so every failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Element encoding written for the tests, independent of the kernels' conversions: a
/// value is rounded to a float format by scaling to its unit in the last place and rounding
/// in `Double` (exact), and integers wrap as two's complement.
enum TestElements {
    /// `value` rounded to the nearest value of `dtype`, ties to even (floats only).
    static func rounded(_ value: Double, to dtype: DType) -> Double {
        switch dtype {
        case .float64: value
        case .float32: roundedToFormat(value, fractionBits: 23, minimumExponent: -126, maximum: Double(Float.greatestFiniteMagnitude))
        case .float16: roundedToFormat(value, fractionBits: 10, minimumExponent: -14, maximum: 65504)
        case .bfloat16: roundedToFormat(value, fractionBits: 7, minimumExponent: -126, maximum: 0x1.FEp127)
        default: preconditionFailure("\(dtype) is not floating point")
        }
    }

    private static func roundedToFormat(_ value: Double, fractionBits: Int, minimumExponent: Int, maximum: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let exponent = max(Int(value.magnitude.exponent), minimumExponent)
        let unit = Double(sign: .plus, exponent: exponent - fractionBits, significand: 1)
        let result = (value / unit).rounded(.toNearestOrEven) * unit
        return result.magnitude > maximum ? (value < 0 ? -.infinity : .infinity) : result
    }

    /// `value` wrapped to the width of an integer `dtype` (bool: 0 or 1).
    static func wrapped(_ value: Int64, to dtype: DType) -> Int64 {
        switch dtype {
        case .int32: Int64(Int32(truncatingIfNeeded: value))
        case .uint8: value & 0xFF
        case .bool: value != 0 ? 1 : 0
        default: value
        }
    }

    /// Writes `value` (already representable, or rounded here) as element `index`.
    static func store(_ value: Double, as dtype: DType, at index: Int, in buffer: CPUBuffer) {
        let address = buffer.baseAddress + index * dtype.byteSize
        switch dtype {
        case .float64: address.storeBytes(of: value, as: Double.self)
        case .float32: address.storeBytes(of: Float(rounded(value, to: .float32)), as: Float.self)
        case .float16: address.storeBytes(of: Float16(Float(rounded(value, to: .float16))), as: Float16.self)
        case .bfloat16:
            let bits = Float(rounded(value, to: .bfloat16)).bitPattern
            address.storeBytes(of: UInt16(value.isNaN ? 0x7FC0 : bits >> 16), as: UInt16.self)
        default: storeInteger(Int64(value), as: dtype, at: index, in: buffer)
        }
    }

    static func storeInteger(_ value: Int64, as dtype: DType, at index: Int, in buffer: CPUBuffer) {
        let address = buffer.baseAddress + index * dtype.byteSize
        switch dtype {
        case .int64: address.storeBytes(of: value, as: Int64.self)
        case .int32: address.storeBytes(of: Int32(truncatingIfNeeded: value), as: Int32.self)
        case .uint8: address.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case .bool: address.storeBytes(of: UInt8(value != 0 ? 1 : 0), as: UInt8.self)
        default: store(Double(value), as: dtype, at: index, in: buffer)
        }
    }

    static func load(_ dtype: DType, at index: Int, in buffer: CPUBuffer) -> Double {
        let address = buffer.baseAddress + index * dtype.byteSize
        switch dtype {
        case .float64: return address.load(as: Double.self)
        case .float32: return Double(address.load(as: Float.self))
        case .float16: return Double(address.load(as: Float16.self))
        case .bfloat16: return Double(Float(bitPattern: UInt32(address.load(as: UInt16.self)) << 16))
        default: return Double(loadInteger(dtype, at: index, in: buffer))
        }
    }

    static func loadInteger(_ dtype: DType, at index: Int, in buffer: CPUBuffer) -> Int64 {
        let address = buffer.baseAddress + index * dtype.byteSize
        switch dtype {
        case .int64: return address.load(as: Int64.self)
        case .int32: return Int64(address.load(as: Int32.self))
        case .uint8: return Int64(address.load(as: UInt8.self))
        case .bool: return address.load(as: UInt8.self) == 0 ? 0 : 1
        default: return Int64(load(dtype, at: index, in: buffer))
        }
    }
}

/// How a test tensor's elements are laid out in its buffer.
enum Layout: CaseIterable {
    case contiguous
    /// Dimensions stored in reverse order (a transpose).
    case transposed
    /// Every stride negative: the first element is the last in memory.
    case reversed
    /// Every other element along the innermost axis, after a few elements of offset.
    case stepped
    /// Stride 0 along one axis of length > 1 (inputs only).
    case broadcast

    static let outputs: [Layout] = [.contiguous, .transposed, .reversed, .stepped]
}

/// A strided operand over a CPU buffer whose other elements hold random values, so a kernel
/// writing outside its operand is caught.
struct TestTensor {
    let buffer: CPUBuffer
    let operand: StridedOperand
    /// The buffer element of each logical element, in row-major order.
    let elementIndices: [Int]
    private let initialBytes: [UInt8]

    var dtype: DType { operand.dtype }
    var shape: [Int] { operand.shape }

    init(_ shape: [Int], _ dtype: DType, layout: Layout, using random: inout SeededGenerator,
         values: (inout SeededGenerator) -> Double) throws {
        var strides = StridedOperand.contiguousStrides(for: shape)
        var offset = 0
        switch layout {
        case .contiguous: break
        case .transposed:
            strides = Array(StridedOperand.contiguousStrides(for: shape.reversed()).reversed())
        case .reversed:
            for axis in shape.indices {
                offset += max(shape[axis] - 1, 0) * strides[axis]
                strides[axis] = -strides[axis]
            }
        case .stepped:
            var padded = shape
            if let last = padded.indices.last { padded[last] = 2 * padded[last] + 1 }
            strides = StridedOperand.contiguousStrides(for: padded)
            if let last = strides.indices.last { strides[last] = 2 }
            offset = 3
        case .broadcast:
            if let axis = shape.indices.filter({ shape[$0] > 1 }).randomElement(using: &random) {
                strides[axis] = 0
                // Keep the other strides dense over the remaining axes.
                var reduced = shape
                reduced[axis] = 1
                let dense = StridedOperand.contiguousStrides(for: reduced)
                for other in shape.indices where other != axis { strides[other] = dense[other] }
            }
        }
        var indices: [Int] = []
        let count = shape.reduce(1, *)
        indices.reserveCapacity(count)
        for linear in 0..<count {
            var remaining = linear, index = offset
            for axis in shape.indices.reversed() {
                index += (remaining % shape[axis]) * strides[axis]
                remaining /= shape[axis]
            }
            indices.append(index)
        }
        let elements = (indices.max() ?? offset) + 4
        buffer = try #require(try CPUDevice.shared.allocate(byteCount: elements * dtype.byteSize) as? CPUBuffer)
        for index in 0..<elements { TestElements.store(values(&random), as: dtype, at: index, in: buffer) }
        operand = StridedOperand(buffer, dtype: dtype, offset: offset, shape: shape, strides: strides)
        elementIndices = indices
        initialBytes = Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffer.byteCount))
    }

    func values() -> [Double] { elementIndices.map { TestElements.load(dtype, at: $0, in: buffer) } }
    func integers() -> [Int64] { elementIndices.map { TestElements.loadInteger(dtype, at: $0, in: buffer) } }

    /// Whether every byte outside the operand's elements is as it was created.
    func untouchedOutsideOperand() -> Bool {
        // A flag per element (not a set of bytes): large tests call this on debug builds.
        var inside = [Bool](repeating: false, count: buffer.byteCount / dtype.byteSize)
        for index in elementIndices { inside[index] = true }
        let now = UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffer.byteCount)
        return (0..<buffer.byteCount).allSatisfy { inside[$0 / dtype.byteSize] || now[$0] == initialBytes[$0] }
    }
}

/// Random shapes of rank 0 to 3, including empty and single-element ones.
func randomShapes(count: Int, using random: inout SeededGenerator) -> [[Int]] {
    var shapes: [[Int]] = [[], [1], [0], [7], [3, 0, 2], [1, 1, 1]]
    while shapes.count < count {
        let rank = Int.random(in: 1...3, using: &random)
        shapes.append((0..<rank).map { _ in Int.random(in: 1...9, using: &random) })
    }
    return shapes
}

/// The worst normalised error between `actual` and `expected`: |a − e| / max(scale, |e|, 1)
/// where `scale` is a per-element magnitude (e.g. Σ|x| of a sum). Matching NaNs and equal
/// infinities count as exact; a NaN against a number is infinitely wrong.
func worstError(_ actual: [Double], _ expected: [Double], scales: [Double]? = nil) -> (error: Double, index: Int) {
    var worst = (error: 0.0, index: -1)
    for index in expected.indices {
        let (a, e) = (actual[index], expected[index])
        let error: Double
        if a.isNaN || e.isNaN {
            error = a.isNaN && e.isNaN ? 0 : .infinity
        } else if a.isInfinite || e.isInfinite {
            error = a == e ? 0 : .infinity
        } else {
            error = (a - e).magnitude / max(scales?[index] ?? 0, e.magnitude, 1)
        }
        if error > worst.error { worst = (error, index) }
    }
    return worst
}

/// The tolerance of a normalised error for a result rounded to `dtype` from a computation
/// a few roundings deep.
func tolerance(_ dtype: DType) -> Double {
    switch dtype {
    case .float64: 1e-12
    case .float32: 4e-6
    case .float16: 2e-3
    case .bfloat16: 1.6e-2
    default: 0
    }
}

/// Random test values for `dtype`: floats in ±4 (often from a small set, so ties and
/// equalities occur), integers small or extreme, bools 0/1.
func randomValue(_ dtype: DType, using random: inout SeededGenerator) -> Double {
    switch dtype {
    case .float32, .float64, .float16, .bfloat16:
        Bool.random(using: &random) ? Double(Int.random(in: -6...6, using: &random)) * 0.5
            : Double.random(in: -4...4, using: &random)
    case .int32:
        Int.random(in: 0..<8, using: &random) > 0 ? Double(Int.random(in: -20...20, using: &random))
            : Double([Int32.min, Int32.max, -1].randomElement(using: &random)!)
    case .int64:
        Int.random(in: 0..<8, using: &random) > 0 ? Double(Int.random(in: -20...20, using: &random))
            : Double([Int64(-1) << 52, (1 << 52) - 1, -1].randomElement(using: &random)!)
    case .uint8: Double(Int.random(in: 0...255, using: &random))
    case .bool: Bool.random(using: &random) ? 1 : 0
    }
}

/// A queue of the CPU device.
func cpuQueue() throws -> any DeviceQueue {
    try CPUDevice.shared.makeQueue()
}

/// A CPU buffer of `count` elements of `dtype` holding `values`.
func cpuBuffer(_ values: [Double], _ dtype: DType) throws -> CPUBuffer {
    let buffer = try #require(try CPUDevice.shared.allocate(byteCount: values.count * dtype.byteSize) as? CPUBuffer)
    for (index, value) in values.enumerated() { TestElements.store(value, as: dtype, at: index, in: buffer) }
    return buffer
}

/// The `count` elements of `dtype` at the start of `buffer`.
func contents(_ buffer: CPUBuffer, _ dtype: DType, count: Int) -> [Double] {
    (0..<count).map { TestElements.load(dtype, at: $0, in: buffer) }
}

/// The `DeviceError` a throwing call raised, or nil (also for any other error).
func deviceError(_ body: () throws -> Void) -> DeviceError? {
    do {
        try body()
        return nil
    } catch {
        return error as? DeviceError
    }
}

extension DeviceError {
    var isInvalidArgument: Bool { if case .invalidArgument = self { true } else { false } }
}

/// The refusals every queue's `alongAxis` makes, with operands over `buffer` (at least 16
/// bytes, on the queue's device): an axis past the last is `invalidArgument`, so is an output
/// of another shape, and cumsum of bool is `unsupported`. Backends check their own extras.
func expectAlongAxisRefusals(_ queue: any DeviceQueue, buffer: any DeviceBuffer,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    let matrix = StridedOperand(buffer, dtype: .float32, shape: [2, 2])
    let badAxis = deviceError { try queue.alongAxis(.softmax, input: matrix, axis: 2, output: matrix) }
    #expect(badAxis?.isInvalidArgument == true, sourceLocation: sourceLocation)
    let row = StridedOperand(buffer, dtype: .float32, shape: [4])
    let badShape = deviceError { try queue.alongAxis(.cumsum, input: matrix, axis: 0, output: row) }
    #expect(badShape?.isInvalidArgument == true, sourceLocation: sourceLocation)
    let bools = StridedOperand(buffer, dtype: .bool, shape: [2])
    guard case .unsupported(_, .axis(.cumsum), .bool)? = deviceError({
        try queue.alongAxis(.cumsum, input: bools, axis: 0, output: bools)
    }) else {
        Issue.record("cumsum of bool should be unsupported", sourceLocation: sourceLocation)
        return
    }
}
