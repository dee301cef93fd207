#if canImport(Glibc)
import Glibc
#endif

/// A value on its way from one element type to another, exact for every source type.
///
/// Once a conversion kernel is specialised for a source and destination type, the case is
/// a constant and the switch folds away.
enum ConvertedValue {
    /// float32, float16 and bfloat16 values (all exact as `Float`).
    case single(Float)
    case double(Double)
    /// Integers and bools (0 or 1).
    case integer(Int64)
}

/// An element type the CPU kernels compute on: one per `DType`.
///
/// Kernels are generic over this protocol and its refinements and are specialised for each
/// concrete type in release builds, so the eight dtypes share one source per kernel.
protocol CPUElement: BitwiseCopyable {
    /// What comparisons, `max`/`min` and arg-reductions compare: the value itself, or for
    /// float16, bfloat16 and bool an exact stand-in that compares fast and as IEEE says.
    associatedtype Ordered: Comparable
    static var dtype: DType { get }
    /// The least and greatest values (-inf and +inf for floating point).
    static var lowest: Self { get }
    static var highest: Self { get }
    /// Whether the value counts as true in logical ops (nonzero; NaN is nonzero).
    var isNonzero: Bool { get }
    /// NaN (always false for integers and bools).
    var isNaN: Bool { get }
    var ordered: Ordered { get }
    var converted: ConvertedValue { get }
    /// `value` as this type: floats round to nearest even, floats to integers truncate toward
    /// zero saturating (NaN to 0), integers to integers wrap, anything to bool is `!= 0`.
    init(converting value: ConvertedValue)
}

/// One byte holding a bool: 0 is false, anything else is true (buffers filled or copied from
/// the host may hold any byte). Kernels always write 0 or 1.
struct BoolByte: CPUElement {
    var byte: UInt8

    @inline(__always) init(_ value: Bool) { byte = value ? 1 : 0 }

    static var dtype: DType { .bool }
    static var lowest: BoolByte { BoolByte(false) }
    static var highest: BoolByte { BoolByte(true) }
    var isNonzero: Bool { byte != 0 }
    var isNaN: Bool { false }
    /// false < true.
    var ordered: UInt8 { isNonzero ? 1 : 0 }
    var converted: ConvertedValue { .integer(isNonzero ? 1 : 0) }

    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self.init(value != 0)
        case let .double(value): self.init(value != 0)
        case let .integer(value): self.init(value != 0)
        }
    }
}

// MARK: - Floating point

/// The precision floating-point kernels compute in: `Float` for float32, float16 and
/// bfloat16, `Double` for float64. The functions are libm's.
protocol MathFloat: BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func fmod(_ x: Self, _ y: Self) -> Self
}

extension Float: MathFloat {
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) static func sin(_ x: Float) -> Float { sinf(x) }
    @inline(__always) static func cos(_ x: Float) -> Float { cosf(x) }
    @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) static func erf(_ x: Float) -> Float { erff(x) }
    @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inline(__always) static func fmod(_ x: Float, _ y: Float) -> Float { fmodf(x, y) }
}

extension Double: MathFloat {
    @inline(__always) static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inline(__always) static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inline(__always) static func fmod(_ x: Double, _ y: Double) -> Double { Glibc.fmod(x, y) }
}

/// float32, float64, float16 and bfloat16.
protocol FloatElement: CPUElement {
    associatedtype Math: MathFloat
    /// The value in the compute precision (exact).
    var math: Math { get }
    /// `value` rounded to this type.
    init(math value: Math)
    /// The sum of `count` consecutive elements, blocked for accuracy (see `Summation`).
    static func contiguousSum(_ elements: UnsafePointer<Self>, count: Int) -> Double
}

extension FloatElement {
    static var lowest: Self { Self(math: -.infinity) }
    static var highest: Self { Self(math: .infinity) }
    @inline(__always) var isNonzero: Bool { math != 0 }
}

extension Float: FloatElement {
    static var dtype: DType { .float32 }
    @inline(__always) var ordered: Float { self }
    @inline(__always) var math: Float { self }
    @inline(__always) init(math value: Float) { self = value }
    var converted: ConvertedValue { .single(self) }
    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self = value
        case let .double(value): self.init(value)
        case let .integer(value): self.init(value)
        }
    }
}

extension Double: FloatElement {
    static var dtype: DType { .float64 }
    @inline(__always) var ordered: Double { self }
    @inline(__always) var math: Double { self }
    @inline(__always) init(math value: Double) { self = value }
    var converted: ConvertedValue { .double(self) }
    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self.init(value)
        case let .double(value): self = value
        case let .integer(value): self.init(value)
        }
    }
}

/// Converted with `HalfConversion` (vectorisable) rather than the standard library (a call
/// per element without F16C).
extension Float16: FloatElement {
    static var dtype: DType { .float16 }
    @inline(__always) var ordered: Float { math }
    @inline(__always) var math: Float { HalfConversion.float(fromBits: bitPattern) }
    @inline(__always) init(math value: Float) { self.init(bitPattern: HalfConversion.bits(from: value)) }
    var converted: ConvertedValue { .single(math) }
    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self.init(math: value)
        case let .double(value): self.init(value)
        case let .integer(value): self.init(value)
        }
    }
}

extension BFloat16: FloatElement {
    static var dtype: DType { .bfloat16 }
    @inline(__always) var ordered: Float { float }
    @inline(__always) var math: Float { float }
    @inline(__always) init(math value: Float) { self.init(value) }
    var converted: ConvertedValue { .single(float) }
    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self.init(value)
        case let .double(value): self.init(value)
        case let .integer(value): self.init(value)
        }
    }
}

// MARK: - Integers

/// int32, int64 and uint8: arithmetic wraps, division by zero gives 0.
protocol IntegerElement: CPUElement, FixedWidthInteger {}

extension IntegerElement {
    @inline(__always) var ordered: Self { self }
    static var lowest: Self { .min }
    static var highest: Self { .max }
    @inline(__always) var isNonzero: Bool { self != 0 }
    @inline(__always) var isNaN: Bool { false }
    var converted: ConvertedValue { .integer(Int64(self)) }

    @inline(__always) init(converting value: ConvertedValue) {
        switch value {
        case let .single(value): self = Self.saturating(value)
        case let .double(value): self = Self.saturating(value)
        case let .integer(value): self.init(truncatingIfNeeded: value)
        }
    }

    /// `value` truncated toward zero, clamped to the type's range; NaN is 0.
    @inline(__always)
    static func saturating<Source: BinaryFloatingPoint>(_ value: Source) -> Self {
        if value.isNaN { return 0 }
        // Source(min) is exact (0 or a power of two); Source(max) may round up to a power of
        // two, above which every value saturates and below which every value converts.
        if value <= Source(Self.min) { return .min }
        if value >= Source(Self.max) { return .max }
        return Self(value)
    }
}

extension Int32: IntegerElement {
    static var dtype: DType { .int32 }
}

extension Int64: IntegerElement {
    static var dtype: DType { .int64 }
}

extension UInt8: IntegerElement {
    static var dtype: DType { .uint8 }
}
