/// A least-significant-digit radix sort for the CPU's `argsort` lanes: it orders items by an
/// unsigned integer key, one byte a pass from the lowest, and each pass keeps the order of
/// items whose byte is equal, so items with equal keys stay in the order they came in (by
/// position, as `argsort` fills them). A pass whose byte is the same in every key (the top
/// byte of floats of one sign and similar magnitude, say) is skipped.
///
/// A comparison sort of a 1024-element lane of random keys mispredicts about one branch in
/// two of its ~10 000 comparisons; this sorts it in at most one pass of 1024 moves per byte of
/// the key.
enum RadixSort {
    /// Lanes shorter than this are sorted by comparison: a radix sort's histograms would cost
    /// more than the items.
    static let minimumCount = 64

    /// Sorts `items` by `key`, which has `keyBytes` bytes, stably (see the type's description).
    /// `comparison` sorts a short lane: it must order items by key, then by their order here.
    @inline(__always)  // so that `key` is inlined into the passes' loops
    static func sort<Item>(_ items: inout [Item], keyBytes: Int, key: (Item) -> UInt64,
                           comparison: (inout [Item]) -> Void) {
        let count = items.count
        guard count >= minimumCount else {
            comparison(&items)
            return
        }
        // Every byte's histogram, from one read of the items.
        var histograms = [Int](repeating: 0, count: keyBytes * 256)
        histograms.withUnsafeMutableBufferPointer { counts in
            items.withUnsafeBufferPointer { input in
                for item in input {
                    let value = key(item)
                    for byte in 0..<keyBytes { counts[byte &* 256 &+ digit(value, byte)] &+= 1 }
                }
            }
        }
        var scratch = items
        for byte in 0..<keyBytes where histograms[byte * 256 + digit(key(items[0]), byte)] != count {
            pass(byte, from: items, into: &scratch, key: key, counts: histograms[(byte * 256)..<(byte * 256 + 256)])
            swap(&items, &scratch)
        }
    }

    /// Sorts values holding a 32-bit key in their high half and the element's position in
    /// their low half by key (so, with positions ascending, by key then position).
    static func sortByHighWord(_ values: inout [UInt64]) {
        sort(&values, keyBytes: 4, key: { $0 &>> 32 }, comparison: { $0.sort() })
    }

    /// Byte `byte` (0 the lowest) of `value`.
    @inline(__always)
    private static func digit(_ value: UInt64, _ byte: Int) -> Int {
        Int(truncatingIfNeeded: (value &>> UInt64(8 &* byte)) & 0xFF)
    }

    /// Moves `items` into `output` in order of their keys' byte `byte`, equal bytes in order.
    @inline(__always)
    private static func pass<Item>(_ byte: Int, from items: [Item], into output: inout [Item], key: (Item) -> UInt64,
                                   counts: ArraySlice<Int>) {
        var offsets = [Int](repeating: 0, count: 256)
        var total = 0
        for (bucket, count) in counts.enumerated() {
            offsets[bucket] = total
            total &+= count
        }
        offsets.withUnsafeMutableBufferPointer { next in
            items.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    for item in input {
                        let bucket = digit(key(item), byte)
                        output[next[bucket]] = item
                        next[bucket] &+= 1
                    }
                }
            }
        }
    }
}
