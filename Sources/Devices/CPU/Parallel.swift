#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels
import Dispatch

/// Splits large kernels across the machine's cores.
enum Parallel {
    /// Online cores, read once.
    static let coreCount = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Below this many elements per core a kernel runs on the calling thread: waking a
    /// worker costs microseconds, a memory-bound element well under a nanosecond.
    static let elementsPerCore = 1 << 17

    /// Parts per core when work is split: a thread that starts late (another process may
    /// hold its core) leaves its parts to the others.
    static let partsPerCore = 4

    /// How many parts `count` elements are split into: `piecesPerCore` (by default
    /// `partsPerCore`) per core used, using a core only for at least `minimumPerCore`
    /// elements; 1 when one core is enough.
    static func partCount(for count: Int, minimumPerCore: Int = elementsPerCore, piecesPerCore: Int = partsPerCore) -> Int {
        let cores = min(coreCount, count / max(minimumPerCore, 1))
        return cores > 1 ? cores * piecesPerCore : 1
    }

    /// Runs `body(part, range)` for each of `partCount(for:minimumPerCore:)` consecutive
    /// ranges covering `0..<count`, on all cores, and returns when all are done. Ranges but
    /// the last start at multiples of `granularity` (a power of two) elements: 64, so that two
    /// threads never write one cache line, unless the items are larger. A range may be empty.
    ///
    /// Each core has a slab of `partsPerCore` consecutive parts, halving in size
    /// (`range(of:parts:count:granularity:)`). The pool's thread on the n-th CPU works through
    /// slab n from the front, so a CPU reads the same memory in op after op; a thread that
    /// has finished its slab takes the smallest parts left in the others, so the threads
    /// finish close together (one waits at most a slab's smallest part).
    static func forEachPart(
        count: Int, minimumPerCore: Int = elementsPerCore, granularity: Int = 64,
        _ body: (_ part: Int, _ range: Range<Int>) -> Void
    ) {
        forEachPart(count: count, minimumPerCore: minimumPerCore, granularity: granularity, piecesPerCore: partsPerCore, body)
    }

    /// Runs `body(range)` for one range per core used: equal consecutive ranges covering
    /// `0..<count`, starting at multiples of `granularity`. For kernels whose every part
    /// walks a long axis in full (a running total down a matrix's rows, each part some of
    /// its columns), where `forEachPart`'s smaller pieces would each repeat the walk.
    static func forEachSlab(count: Int, minimumPerCore: Int = elementsPerCore, granularity: Int = 64,
                            _ body: (Range<Int>) -> Void) {
        forEachPart(count: count, minimumPerCore: minimumPerCore, granularity: granularity, piecesPerCore: 1) { _, range in
            body(range)
        }
    }

    private static func forEachPart(
        count: Int, minimumPerCore: Int, granularity: Int, piecesPerCore: Int,
        _ body: (_ part: Int, _ range: Range<Int>) -> Void
    ) {
        let parts = partCount(for: count, minimumPerCore: minimumPerCore, piecesPerCore: piecesPerCore)
        guard parts > 1 else {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = Job(count: count, parts: parts, piecesPerCore: piecesPerCore, granularity: granularity, body: body)
            // The pool's workers, spinning between ops, start at once; while it runs another
            // caller's job (or this is a part of one), Dispatch's threads take the parts.
            guard withUnsafeMutablePointer(to: &job, { ds_pool_run(parts, parts / piecesPerCore, runPart, $0) }) != 0
            else { return }
            // concurrentPerform wants a Sendable closure; `job` is read from several threads
            // at once, each part touching its own range, and does not outlive this call.
            let shared = UncheckedSendable(job)
            DispatchQueue.concurrentPerform(iterations: parts) { part in shared.value.run(part) }
        }
    }

    /// Sends the pool's workers that spin for the next job to sleep: called before a BLAS
    /// library runs its own threads on the same cores (`ds_pool_rest`).
    static func restWorkers() { ds_pool_rest() }

    /// The worker pool's threads (`ds_pool_run`'s): one per core but the caller's.
    static var poolWorkerCount: Int { Int(ds_pool_worker_count()) }

    /// Part `part` of `parts` (a multiple of `piecesPerCore`) over `0..<count`. Each core's
    /// slab is an equal share; its parts halve in size: with 4 parts per core, weights 8, 4,
    /// 2, 1, so the first part is 8/15 of the slab and the last 1/15.
    static func range(of part: Int, parts: Int, count: Int, granularity: Int, piecesPerCore: Int = partsPerCore) -> Range<Int> {
        let cores = parts / piecesPerCore
        let totalUnits = cores * ((1 << piecesPerCore) - 1)
        func start(_ part: Int) -> Int {
            guard part < parts else { return count }
            let (slab, piece) = part.quotientAndRemainder(dividingBy: piecesPerCore)
            // The pieces before took 2^(P-1) + … + 2^(P-piece) = 2^P - 2^(P-piece) units.
            let units = slab * ((1 << piecesPerCore) - 1) + (1 << piecesPerCore) - (1 << (piecesPerCore - piece))
            // count · units / totalUnits, without overflowing for any count.
            let (whole, rest) = count.quotientAndRemainder(dividingBy: totalUnits)
            return (whole * units + rest * units / totalUnits) & ~(granularity - 1)
        }
        return start(part)..<start(part + 1)
    }

    /// One `forEachPart` call, as the pool's C threads see it through a pointer.
    private struct Job {
        let count: Int
        let parts: Int
        let piecesPerCore: Int
        let granularity: Int
        let body: (_ part: Int, _ range: Range<Int>) -> Void

        func run(_ part: Int) {
            body(part, Parallel.range(of: part, parts: parts, count: count, granularity: granularity, piecesPerCore: piecesPerCore))
        }
    }

    private static let runPart: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void = { job, part in
        job.unsafelyUnwrapped.assumingMemoryBound(to: Job.self).pointee.run(part)
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
