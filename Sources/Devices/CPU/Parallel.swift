#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Splits large kernels across the machine's cores.
enum Parallel {
    /// Online cores, read once.
    static let coreCount = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Below this many elements per core a kernel runs on the calling thread: waking a
    /// worker costs microseconds, a memory-bound element well under a nanosecond.
    static let elementsPerCore = 1 << 17

    /// Parts per core when work is split: a thread that starts late (waking a worker takes
    /// microseconds, and another process may hold the core) leaves its parts to the others.
    static let partsPerCore = 4

    /// How many parts `count` elements are split into: `partsPerCore` per core used, using a
    /// core only for at least `minimumPerCore` elements; 1 when one core is enough.
    static func partCount(for count: Int, minimumPerCore: Int = elementsPerCore) -> Int {
        let cores = min(coreCount, count / max(minimumPerCore, 1))
        return cores > 1 ? cores * partsPerCore : 1
    }

    /// Runs `body(part, range)` for each of `partCount(for:minimumPerCore:)` consecutive
    /// ranges covering `0..<count`, on all cores, and returns when all are done. Ranges but
    /// the last are multiples of `granularity` (a power of two) elements: 64, so that two
    /// threads never write one cache line, unless the items are larger. A range may be empty.
    static func forEachPart(
        count: Int, minimumPerCore: Int = elementsPerCore, granularity: Int = 64,
        _ body: (_ part: Int, _ range: Range<Int>) -> Void
    ) {
        let parts = partCount(for: count, minimumPerCore: minimumPerCore)
        guard parts > 1 else {
            body(0, 0..<count)
            return
        }
        let partSize = ((count + parts - 1) / parts + granularity - 1) & ~(granularity - 1)
        // concurrentPerform wants a Sendable closure; `body` is called from several threads at
        // once, each part touching its own range, and does not outlive this call.
        withoutActuallyEscaping(body) { body in
            let body = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = min(count, part * partSize)
                body.value(part, start..<min(count, start + partSize))
            }
        }
    }

    /// `forEachPart` for kernels that need only the range.
    static func forEachRange(count: Int, minimumPerCore: Int = elementsPerCore, granularity: Int = 64,
                             _ body: (Range<Int>) -> Void) {
        forEachPart(count: count, minimumPerCore: minimumPerCore, granularity: granularity) { _, range in body(range) }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
