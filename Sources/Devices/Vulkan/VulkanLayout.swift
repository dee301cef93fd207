/// How strided operands reach a shader: each by the device address of its lowest element
/// (so shader indices are never negative and fit 32 bits), walked over at most 4 collapsed
/// dimensions per dispatch (a `StridedWalk`; the host loops over any further outer ones).
enum VulkanLayout {
    /// An operand as a shader sees it.
    struct ShaderOperand {
        var address: UInt64
        /// Element offset of element (0, 0, …) from `address`.
        var offset: Int
        var strides: [Int]
    }

    static let maxRank = 4

    /// `operand` in `buffer`, its lowest element as base; `axis` adds a reduced dimension's
    /// extent. Nil when the elements span more than 2^31 - 1 (shader indices are 32-bit).
    static func shaderOperand(_ operand: StridedOperand, buffer: VulkanBuffer, axis: Int? = nil) -> ShaderOperand? {
        var lowest = operand.offset, highest = operand.offset
        for (size, stride) in zip(operand.shape, operand.strides) where size > 0 {
            if stride > 0 { highest += (size - 1) * stride } else { lowest += (size - 1) * stride }
        }
        guard highest - lowest < Int(Int32.max) else { return nil }
        var strides = operand.strides
        if let axis { strides.remove(at: axis) }
        return ShaderOperand(address: buffer.deviceAddress + UInt64(lowest * operand.dtype.byteSize),
                             offset: operand.offset - lowest, strides: strides)
    }

    /// The dispatches of `walk`: its innermost 4 dimensions each, padded to exactly 4.
    static func pieces(_ walk: StridedWalk) -> [StridedWalk] {
        walk.pieces(maxRank: maxRank).map { $0.padded(toRank: maxRank) }
    }

    /// Workgroups for `items` work items of `groupSize`, as a 2-D grid within the limits
    /// (shaders loop over what a capped grid leaves).
    static func groups(items: Int, groupSize: Int, exact: Bool = false) -> (x: UInt32, y: UInt32, z: UInt32) {
        let needed = max(1, exact ? items : (items + groupSize - 1) / groupSize)
        let x = min(needed, 65535)
        let y = exact ? min((needed + x - 1) / x, 65535) : 1
        return (UInt32(x), UInt32(y), 1)
    }
}

/// Push-constant words, appended in the order of a shader's push-constant block (std430:
/// the blocks are laid out so that appending in order needs no padding).
struct PushWords {
    var words: [UInt32] = []

    mutating func address(_ value: UInt64) {
        words.append(UInt32(truncatingIfNeeded: value))
        words.append(UInt32(truncatingIfNeeded: value >> 32))
    }

    mutating func int(_ value: Int) { words.append(UInt32(bitPattern: Int32(truncatingIfNeeded: value))) }

    mutating func ints(_ values: [Int]) { values.forEach { int($0) } }

    mutating func float(_ value: Float) { words.append(value.bitPattern) }

    mutating func double(_ value: Double) {
        words.append(UInt32(truncatingIfNeeded: value.bitPattern))
        words.append(UInt32(truncatingIfNeeded: value.bitPattern >> 32))
    }
}

extension DType {
    /// The code shaders use (DT_* in common.glsl): the case's position.
    var shaderCode: Int32 { Int32(DType.allCases.firstIndex(of: self)!) }
    var isWide: Bool { self == .int64 || self == .float64 }
}
