#if canImport(Glibc)
import Glibc
#endif

/// Measurement helpers shared by every benchmark group.
///
/// A benchmark body receives an operation count `n` and performs `n` operations in its own
/// loop, so the cost of calling the body (a closure) is paid once per batch, not per
/// operation: that matters for cases measured in single nanoseconds.
enum Timing {
    /// Nanoseconds of CLOCK_MONOTONIC.
    @inline(__always)
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The median nanoseconds per operation of `body`.
    ///
    /// The body is first run `warmup` times with a small count (caches, lazy initialisation,
    /// page faults); then the batch size is doubled until one batch takes at least
    /// `batchNanoseconds`; then `repetitions` batches of that size are timed and the median
    /// per-operation time is returned (the median resists a stray preemption or page-cache
    /// flush in one batch).
    static func nanosecondsPerOperation(
        repetitions: Int = 7, warmup: Int = 2, batchNanoseconds: UInt64 = 20_000_000,
        _ body: (_ operations: Int) -> Void
    ) -> Double {
        for _ in 0..<warmup { body(16) }
        var operations = 16
        while operations < 1 << 30 {
            let start = now()
            body(operations)
            if now() - start >= batchNanoseconds { break }
            operations *= 2
        }
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let start = now()
            body(operations)
            samples.append(Double(now() - start) / Double(operations))
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// Where results that must not be optimised away go. A store to a global is a side effect
/// the optimiser has to keep, so work whose result reaches `blackHole` is kept too.
nonisolated(unsafe) var blackHoleSink: UInt = 0

/// Consumes `value` so the computation producing it cannot be deleted.
@inline(never)
func blackHole(_ value: UInt) {
    blackHoleSink &+= value
}

/// Consumes an integer (see `blackHole(_: UInt)`).
@inline(never)
func blackHole(_ value: Int) {
    blackHoleSink &+= UInt(bitPattern: value)
}
