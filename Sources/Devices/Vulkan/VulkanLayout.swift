/// How strided operands reach a shader: each by the device address of its lowest element
/// (so shader indices are never negative and fit 32 bits), walked over at most 4 collapsed
/// dimensions per dispatch (the host loops over any further outer dimensions).
enum VulkanLayout {
    /// An operand as a shader sees it.
    struct ShaderOperand {
        var address: UInt64
        /// Element offset of element (0, 0, …) from `address`.
        var offset: Int
        var strides: [Int]
    }

    /// One dispatch of a walk: its inner shape (4 dims, leading 1s), each operand's inner
    /// strides and the element offset its outer indices add.
    struct Piece {
        var shape: [Int]
        var strides: [[Int]]
        var offsets: [Int]
        var count: Int { shape.reduce(1, *) }
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

    /// The walk over `shape` with dimensions of size 1 dropped and neighbours merged where
    /// every operand steps through them as one.
    static func collapsed(shape: [Int], strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
        var dims: [(size: Int, strides: [Int])] = []
        for axis in shape.indices where shape[axis] != 1 {
            let current = strides.map { $0[axis] }
            if let last = dims.last, zip(last.strides, current).allSatisfy({ $0 == $1 * shape[axis] }) {
                dims[dims.count - 1] = (last.size * shape[axis], current)
            } else {
                dims.append((shape[axis], current))
            }
        }
        return (dims.map(\.size), strides.indices.map { operand in dims.map { $0.strides[operand] } })
    }

    /// The dispatches covering a collapsed walk: the innermost 4 dimensions each, one per
    /// index of the dimensions outside them.
    static func pieces(shape: [Int], strides: [[Int]]) -> [Piece] {
        let innerCount = min(shape.count, maxRank)
        let split = shape.count - innerCount
        let pad = maxRank - innerCount
        let innerShape = [Int](repeating: 1, count: pad) + shape[split...]
        let innerStrides = strides.map { [Int](repeating: 0, count: pad) + $0[split...] }
        let outerShape = Array(shape[..<split])
        var pieces: [Piece] = []
        var index = [Int](repeating: 0, count: outerShape.count)
        while true {
            let offsets = strides.map { operandStrides in zip(index, operandStrides).reduce(0) { $0 + $1.0 * $1.1 } }
            pieces.append(Piece(shape: innerShape, strides: innerStrides, offsets: offsets))
            var axis = outerShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outerShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return pieces }
        }
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
