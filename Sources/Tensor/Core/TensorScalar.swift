/// A number outside any tensor, as Python's numbers are to PyTorch: `t * 2`, `full(…, 0.5)`,
/// `maskedFill(…, true)`, and what `item()` returns. Its kind takes part in type promotion
/// the way PyTorch's "wrapped numbers" do: it never widens a tensor of its own category.
public enum TensorScalar: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    case bool(Bool)
    case int(Int64)
    case float(Double)

    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(_ value: Double) { self = .float(value) }
    public init(_ value: Int) { self = .int(Int64(value)) }

    /// The dtype PyTorch gives a tensor made from this number alone (`torch.tensor(x)`):
    /// bool, int64, or the default float dtype, float32.
    public var dtype: DType {
        switch self {
        case .bool: .bool
        case .int: .int64
        case .float: .float32
        }
    }

    public var doubleValue: Double {
        switch self {
        case let .bool(value): value ? 1 : 0
        case let .int(value): Double(value)
        case let .float(value): value
        }
    }

    public var description: String {
        switch self {
        case let .bool(value): value ? "True" : "False"
        case let .int(value): String(value)
        case let .float(value): String(value)
        }
    }

    /// Throws unless this number fits `dtype` as PyTorch's fill checks it: integers within
    /// the type (uint8 also takes -255…-1, wrapping), no NaN or infinity into integers, no
    /// finite float beyond a float dtype's largest value.
    func checkRepresentable(as dtype: DType) throws(TensorError) {
        let value = doubleValue
        let limits: ClosedRange<Double>? = switch dtype {
        case .uint8: -255...255
        case .int32: Double(Int32.min)...Double(Int32.max)
        case .int64: -0x1p63...0x1p63
        case .float16: -65504...65504
        case .bfloat16, .float32: -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
        case .float64, .bool: nil
        }
        guard let limits else { return }
        let fits = dtype.isFloatingPoint ? !value.isFinite || limits.contains(value) : value.isFinite && limits.contains(value)
        if case .bool = self { return }
        guard fits else { throw .invalidArgument("value \(self) cannot be converted to type \(dtype) without overflow") }
    }

    /// The bytes of this number as one element of `dtype` (floats to integers truncate).
    func fillPattern(as dtype: DType) -> FillPattern {
        let value = doubleValue
        switch dtype {
        case .float32: return FillPattern(element: Float(value))
        case .float64: return FillPattern(element: value)
        case .float16: return FillPattern(element: HalfBits.float16(value))
        case .bfloat16: return FillPattern(element: HalfBits.bfloat16(value))
        case .int32: return FillPattern(element: Int32(truncatingIfNeeded: integerValue))
        case .int64: return FillPattern(element: integerValue)
        case .uint8: return FillPattern(element: UInt8(truncatingIfNeeded: integerValue))
        case .bool: return FillPattern(element: UInt8(value != 0 ? 1 : 0))
        }
    }

    private var integerValue: Int64 {
        switch self {
        case let .bool(value): value ? 1 : 0
        case let .int(value): value
        case let .float(value): value.isFinite ? Int64(clamping: Int(exactly: value.rounded(.towardZero)) ?? 0) : 0
        }
    }
}

/// Swift element types a tensor can be built from and read into.
public protocol TensorElement: BitwiseCopyable, Sendable {
    /// The dtype with this type's layout.
    static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
#if _pointerBitWidth(_64)
/// Swift's `Int` is int64, so `Tensor([1, 2, 3])` is int64 as `torch.tensor([1, 2, 3])` is.
extension Int: TensorElement { public static var dtype: DType { .int64 } }
#endif
#if arch(arm64) || arch(x86_64)
extension Float16: TensorElement { public static var dtype: DType { .float16 } }
#endif

/// Bit patterns of the 16-bit float dtypes, rounded to nearest even.
enum HalfBits {
    static func float16(_ value: Double) -> UInt16 {
        Float16(Float(value)).bitPattern
    }

    static func bfloat16(_ value: Double) -> UInt16 {
        let bits = Float(value).bitPattern
        if Float(value).isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
