/// The CPU's `argsort` kernel: each lane of the axis is sorted on its own, lanes split across
/// cores. Elements become unsigned integer keys that order as PyTorch compares (NaN above
/// every number, -0.0 equal to 0.0); a lane sorts (key, position) pairs, so equal keys keep
/// their order whatever the sort algorithm. Keys of 32 bits or fewer pack with their
/// position into one 64-bit integer, which sorts faster than a pair (the tensor benchmark's
/// sort of 1024 × 1024 float32 went from 125 to 78 ms); either sorts by radix (`RadixSort`),
/// not by comparison (78 → 13–15 ms).
extension CPUQueue {
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try input.checkArgsort(axis: axis, output: output)
        let inputBuffer = try CPUValidation.buffer(input.buffer, role: "input")
        let outputBuffer = try CPUValidation.buffer(output.buffer, role: "output")
        let operands = AxisOperands(input: input, inputBuffer, axis: axis, output: output, outputBuffer)
        let dtype = input.dtype
        submitKernel((dtype, descending, operands), keeping: (inputBuffer, outputBuffer)) {
            SortKernels.argsort($0.0, descending: $0.1, $0.2)
        }
    }
}

enum SortKernels {
    static func argsort(_ dtype: DType, descending: Bool, _ operands: AxisOperands) {
        switch dtype {
        case .float32: argsort(Float.self, descending: descending, operands)
        case .float64: argsort(Double.self, descending: descending, operands)
        case .float16: argsort(Float16.self, descending: descending, operands)
        case .bfloat16: argsort(BFloat16.self, descending: descending, operands)
        case .int32: argsort(Int32.self, descending: descending, operands)
        case .int64: argsort(Int64.self, descending: descending, operands)
        case .uint8: argsort(UInt8.self, descending: descending, operands)
        case .bool: argsort(BoolByte.self, descending: descending, operands)
        }
    }

    private static func argsort<E: SortableElement>(_: E.Type, descending: Bool, _ operands: AxisOperands) {
        let outputStride = operands.outputStride
        forEachSortedLane(E.self, descending: descending, operands) { positions, output in
            for slot in 0..<operands.length { output[slot &* outputStride] = Int64(positions(slot)) }
        }
    }

    /// Sorts each lane stably and calls `body(positions, output)` with the lane's output:
    /// `positions(slot)` is the input position that sorts to `slot`.
    static func forEachSortedLane<E: SortableElement>(
        _: E.Type, descending: Bool, _ operands: AxisOperands,
        _ body: (_ positions: (Int) -> Int, _ output: UnsafeMutablePointer<Int64>) -> Void
    ) {
        let (length, inputStride) = (operands.length, operands.inputStride)
        // Descending order is ascending order of the complemented keys; positions still ascend.
        let flip: E.Key = descending ? .max : 0
        AxisFunctions.forEachLane(E.self, Int64.self, operands) { input, output in
            if E.packsPositions(length: length) {
                // Key and position in one integer, positions ascending: a stable sort by key
                // keeps equal keys in position order.
                var packed = (0..<length).map { input[$0 &* inputStride].packedItem(flip: flip, position: $0) }
                RadixSort.sortByHighWord(&packed)
                body({ E.position(ofPacked: packed[$0]) }, output)
            } else {
                var pairs = (0..<length).map { input[$0 &* inputStride].pairItem(flip: flip, position: $0) }
                RadixSort.sort(&pairs, keyBytes: E.Key.bitWidth / 8, key: \.key, comparison: { $0.sort() })
                body({ pairs[$0].position }, output)
            }
        }
    }
}

/// A 64-bit key and the position it came from, ordered by key, then position.
struct SortPair: Comparable {
    let key: UInt64
    let position: Int

    static func < (lhs: SortPair, rhs: SortPair) -> Bool {
        lhs.key != rhs.key ? lhs.key < rhs.key : lhs.position < rhs.position
    }
}

/// An element type with a key that orders its values as PyTorch's sort does: 32 bits for
/// the types that fit, so that a key and a position pack into one integer.
protocol SortableElement: CPUElement {
    associatedtype Key: FixedWidthInteger & UnsignedInteger
    var sortKey: Key { get }
}

/// The items a sort (or topk) of a lane orders: the key (complemented by `flip` for
/// descending order) with the element's position, so that items are distinct and order as
/// the stable sort does.
extension SortableElement {
    /// Whether a lane of `length` sorts packed items (key and position in one `UInt64`)
    /// rather than `SortPair`s.
    static func packsPositions(length: Int) -> Bool { Key.bitWidth <= 32 && length <= Int(UInt32.max) }

    /// The key in the high word, the position in the low one.
    @inline(__always) func packedItem(flip: Key, position: Int) -> UInt64 {
        UInt64(sortKey ^ flip) << 32 | UInt64(position)
    }

    @inline(__always) static func position(ofPacked item: UInt64) -> Int { Int(item & 0xFFFF_FFFF) }

    @inline(__always) func pairItem(flip: Key, position: Int) -> SortPair {
        SortPair(key: UInt64(sortKey ^ flip), position: position)
    }
}

extension Float: SortableElement {
    var sortKey: UInt32 { Self.orderedBits(self) }
}

extension Float16: SortableElement {
    var sortKey: UInt32 { Float.orderedBits(math) }
}

extension BFloat16: SortableElement {
    var sortKey: UInt32 { Float.orderedBits(math) }
}

extension Double: SortableElement {
    /// As `Float.orderedBits`, in 64 bits.
    var sortKey: UInt64 {
        let bits = bitPattern
        let key = bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | 1 << 63)
        return isNaN ? .max : self == 0 ? 1 << 63 : key
    }
}

extension Float {
    /// `value`'s bits made to order as unsigned integers: negative values complemented,
    /// others with the sign bit set; every NaN is the largest key and -0.0 is 0.0. Written
    /// without branches (the sign's mask; selects for NaN and zero): a lane of random signs
    /// mispredicted a branch on the sign every other element.
    static func orderedBits(_ value: Float) -> UInt32 {
        let bits = value.bitPattern
        let key = bits ^ (UInt32(bitPattern: Int32(bitPattern: bits) >> 31) | 1 << 31)
        return value.isNaN ? .max : value == 0 ? 1 << 31 : key
    }
}

/// Integers offset so that the smallest of the type is key 0.
extension Int32: SortableElement {
    var sortKey: UInt32 { UInt32(bitPattern: self) ^ 1 << 31 }
}

extension Int64: SortableElement {
    var sortKey: UInt64 { UInt64(bitPattern: self) ^ 1 << 63 }
}

extension UInt8: SortableElement {
    var sortKey: UInt32 { UInt32(self) }
}

extension BoolByte: SortableElement {
    var sortKey: UInt32 { isNonzero ? 1 : 0 }
}
