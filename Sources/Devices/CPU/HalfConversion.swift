/// float16 ↔ float32 conversions written with integer and float operations that LLVM
/// vectorises for baseline x86-64 (SSE2), where Swift's `Float16` conversions are a library
/// call per element (no F16C). Both are exact where the value is representable and round to
/// nearest even otherwise, identical to `Float(Float16)` and `Float16(Float)` for every input
/// (checked exhaustively over all 2^16 halves and 2^32 floats); NaN stays NaN (quiet).
enum HalfConversion {
    @inline(__always)
    static func float(fromBits bits: UInt16) -> Float {
        let half = UInt32(bits)
        let sign = (half & 0x8000) << 16
        let shifted = (half & 0x7FFF) << 13  // exponent and fraction in their float positions
        let exponent = shifted & 0x0F80_0000
        let normal = Float(bitPattern: shifted &+ 0x3800_0000)  // exponent bias 15 → 127
        let infinityOrNaN = Float(bitPattern: shifted | 0x7F80_0000)
        // A subnormal half is its fraction times 2^-24: let the float unit normalise it.
        let subnormal = Float(bitPattern: shifted &+ 0x3880_0000) - Float(bitPattern: 0x3880_0000)
        let magnitude = exponent == 0x0F80_0000 ? infinityOrNaN : exponent == 0 ? subnormal : normal
        return Float(bitPattern: magnitude.bitPattern | sign)
    }

    @inline(__always)
    static func bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = bits & 0x8000_0000
        let magnitude = bits ^ sign
        // Results that are subnormal halves (or zero): adding 0.5 (this constant) puts the
        // half's last fraction bit at the float's last, so the float addition itself rounds
        // to nearest even; the constant's bits are then taken away again.
        let subnormalMagic: UInt32 = ((127 - 15) + (23 - 10) + 1) << 23
        let subnormal = (Float(bitPattern: magnitude) + Float(bitPattern: subnormalMagic)).bitPattern &- subnormalMagic
        // Normal halves: rebias the exponent and round the 13 dropped bits half to even.
        let normal = (magnitude &+ (UInt32(bitPattern: 15 - 127) << 23) &+ 0xFFF &+ ((magnitude >> 13) & 1)) >> 13
        let tooLarge: UInt32 = magnitude > 0x7F80_0000 ? 0x7E00 : 0x7C00  // NaN stays NaN, the rest is infinity
        let half = magnitude >= (127 + 16) << 23 ? tooLarge : magnitude < 113 << 23 ? subnormal : normal
        return UInt16(truncatingIfNeeded: half | (sign >> 16))
    }
}
