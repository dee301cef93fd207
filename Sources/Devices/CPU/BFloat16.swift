/// bfloat16: the upper 16 bits of an IEEE float32 (1 sign, 8 exponent, 7 fraction bits).
///
/// Conversions from wider types round to nearest, ties to even, in one step (a `Double` is
/// not first rounded to `Float`, which could round twice); NaN stays a quiet NaN. Equality
/// and order are IEEE's (NaN is unordered, -0 == +0), computed on the `Float` value.
public struct BFloat16: Sendable, BitwiseCopyable, Comparable, CustomStringConvertible {
    public var bitPattern: UInt16

    public init(bitPattern: UInt16) {
        self.bitPattern = bitPattern
    }

    /// `value` rounded to nearest, ties to even.
    @inline(__always)
    public init(_ value: Float) {
        let bits = value.bitPattern
        // Adding 0x7FFF plus the lowest kept bit, then truncating, rounds half to even; a
        // carry out of the fraction correctly bumps the exponent (up to infinity).
        let rounded = UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
        let quietNaN = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        bitPattern = value.isNaN ? quietNaN : rounded
    }

    /// `value` rounded to nearest, ties to even (through `Float` rounded to odd, which keeps
    /// enough information for the second rounding to be exact).
    public init(_ value: Double) {
        self.init(Self.roundedToOdd(value))
    }

    /// `value` rounded to nearest, ties to even.
    public init(_ value: Int64) {
        let magnitude = value.magnitude
        guard magnitude >= 1 << 53 else {
            self.init(Double(value))
            return
        }
        // Keep the top 53 bits and fold the rest into a sticky bit: the Double is then the
        // value rounded to odd, exact enough for the rounding that follows.
        let shift = 11 - magnitude.leadingZeroBitCount
        let kept = magnitude >> UInt64(shift)
        let sticky: UInt64 = magnitude & ((1 << UInt64(shift)) - 1) == 0 ? 0 : 1
        let odd = Double(kept | sticky) * Double(sign: .plus, exponent: shift, significand: 1)
        self.init(value < 0 ? -odd : odd)
    }

    public var float: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var isNaN: Bool { bitPattern & 0x7FFF > 0x7F80 }

    public var description: String { float.description }

    public static func == (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.float == rhs.float }
    public static func < (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.float < rhs.float }
    public static func <= (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.float <= rhs.float }
    public static func > (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.float > rhs.float }
    public static func >= (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.float >= rhs.float }

    /// The `Float` nearest `value` toward zero, with its lowest bit set when inexact.
    private static func roundedToOdd(_ value: Double) -> Float {
        let nearest = Float(value)
        guard !value.isNaN, Double(nearest) != value else { return nearest }
        var bits = nearest.bitPattern
        if Double(nearest).magnitude > value.magnitude { bits -= 1 }  // one step toward zero
        return Float(bitPattern: bits | 1)
    }
}
