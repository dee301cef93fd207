/// A least-significant-digit radix sort of packed (key, position) values, for the CPU's
/// `argsort` lanes: each value holds a 32-bit key in its high half and the element's
/// position in its low half. It orders by key only, one byte a pass, and each pass keeps the
/// order of equal bytes, so values with equal keys stay in the order they came in (by
/// position, as `argsort` fills them). A pass whose byte is the same in every key (the top
/// byte of floats of one sign and similar magnitude, say) is skipped.
///
/// A comparison sort of a 1024-element lane of random keys mispredicts about one branch in
/// two of its ~10 000 comparisons; this sorts it in at most 4 passes of 1024 moves.
enum RadixSort {
    /// Lanes shorter than this are sorted by comparison: a radix sort's histograms would cost
    /// more than the values.
    static let minimumCount = 64

    /// Sorts `values` by their high 32 bits, stably (see the type's description).
    static func sortByHighWord(_ values: inout [UInt64]) {
        let count = values.count
        guard count >= minimumCount else {
            values.sort()
            return
        }
        var scratch = [UInt64](repeating: 0, count: count)
        // The four bytes' histograms, from one read of the values.
        var histograms = [Int](repeating: 0, count: 4 * 256)
        histograms.withUnsafeMutableBufferPointer { counts in
            values.withUnsafeBufferPointer { input in
                for value in input {
                    for byte in 0..<4 { counts[byte &* 256 &+ digit(value, byte)] &+= 1 }
                }
            }
        }
        for byte in 0..<4 {
            let first = digit(values[0], byte)
            guard histograms[byte * 256 + first] != count else { continue }
            pass(byte, from: values, into: &scratch, counts: histograms[(byte * 256)..<(byte * 256 + 256)])
            swap(&values, &scratch)
        }
    }

    /// Byte `byte` (0 the lowest) of the key in `value`'s high half.
    @inline(__always)
    private static func digit(_ value: UInt64, _ byte: Int) -> Int {
        Int(truncatingIfNeeded: (value &>> (32 &+ 8 &* UInt64(byte))) & 0xFF)
    }

    /// Moves `values` into `output` in order of byte `byte`, equal bytes in their order.
    private static func pass(_ byte: Int, from values: [UInt64], into output: inout [UInt64], counts: ArraySlice<Int>) {
        var offsets = [Int](repeating: 0, count: 256)
        var total = 0
        for (bucket, count) in counts.enumerated() {
            offsets[bucket] = total
            total &+= count
        }
        offsets.withUnsafeMutableBufferPointer { next in
            values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    for value in input {
                        let bucket = digit(value, byte)
                        output[next[bucket]] = value
                        next[bucket] &+= 1
                    }
                }
            }
        }
    }
}
