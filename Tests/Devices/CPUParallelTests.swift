#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels
import Dispatch
import Synchronization
import Testing
@testable import DeviceShimDevices

/// `Parallel.forEachPart` over the worker pool (`ds_pool_run`) and its Dispatch fallback.
@Suite(.serialized) struct CPUParallelTests {
    /// 2^20 elements: split into parts on any machine with two cores or more.
    let count = 1 << 20

    @Test func everyPartRunsOnceAndTheRangesCoverTheCount() {
        let seen = Mutex<[(part: Int, range: Range<Int>)]>([])
        Parallel.forEachPart(count: count) { part, range in seen.withLock { $0.append((part, range)) } }
        let parts = seen.withLock { $0 }.sorted { $0.part < $1.part }
        #expect(parts.map(\.part) == Array(0..<Parallel.partCount(for: count)))
        #expect(parts.first?.range.lowerBound == 0)
        #expect(parts.last?.range.upperBound == count)
        #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.range.upperBound == $1.range.lowerBound })
    }

    /// Each round of parts is half the size of the one before, and the parts tile the count.
    @Test func partsHalveEachRound() {
        let parts = 2 * Parallel.partsPerCore
        let ranges = (0..<parts).map { Parallel.range(of: $0, parts: parts, count: 15 << 21, granularity: 64) }
        #expect(ranges.map(\.count) == [8, 8, 4, 4, 2, 2, 1, 1].map { $0 << 20 })
        #expect(Parallel.range(of: 0, parts: parts, count: 0, granularity: 64).isEmpty)
        // Boundaries fall on the granularity; the last part ends the count, even near Int.max.
        let odd = (0..<parts).map { Parallel.range(of: $0, parts: parts, count: 1_000_003, granularity: 64) }
        #expect(odd.dropLast().allSatisfy { $0.upperBound % 64 == 0 })
        #expect(zip(odd, odd.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound } && odd.last?.upperBound == 1_000_003)
        #expect(Parallel.range(of: parts - 1, parts: parts, count: .max, granularity: 64).upperBound == .max)
        #expect(Parallel.range(of: 1, parts: parts, count: .max, granularity: 1).lowerBound == Int.max / 30 * 8 + Int.max % 30 * 8 / 30)
    }

    /// The pool has a worker for each core but the caller's, and `forEachPart` wakes it and hands it parts.
    /// Each part waits (up to 50 ms) until two threads have run one, which only another
    /// thread can end; a call is retried (for up to 10 s) while the pool runs other tests' jobs.
    @Test(.enabled(if: Parallel.coreCount > 1)) func partsRunOnThePoolsWorkers() {
        #expect(Parallel.poolWorkerCount == Parallel.coreCount - 1)
        usleep(2000)  // long past the workers' spin: they must be woken from their sleep
        let giveUp = DispatchTime.now() + .seconds(10)
        var names = Set<String>()
        while !names.contains("deviceshim-cpu"), DispatchTime.now() < giveUp {
            let threads = Mutex<Set<String>>([])
            Parallel.forEachPart(count: count) { _, _ in
                threads.withLock { _ = $0.insert(Self.threadName()) }
                let deadline = DispatchTime.now() + .milliseconds(50)
                while threads.withLock({ $0.count }) < 2, DispatchTime.now() < deadline { sched_yield() }
            }
            names = threads.withLock { $0 }
        }
        #expect(names.contains("deviceshim-cpu"), "no part ran on a pool worker: \(names)")
    }

    /// A part that splits its own work finds the pool busy with its job: Dispatch runs the inner parts.
    @Test func aNestedCallStillRunsEveryInnerPart() {
        let inner = Atomic<Int>(0)
        Parallel.forEachPart(count: count) { _, _ in
            Parallel.forEachRange(count: count) { range in inner.add(range.count, ordering: .relaxed) }
        }
        #expect(inner.load(ordering: .relaxed) == count * Parallel.partCount(for: count))
    }

    /// Several threads splitting work at once: one holds the pool, the others fall back, and
    /// every caller gets exactly its own parts' results, once each.
    @Test func concurrentCallersEachGetTheirOwnResult() {
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for round in 0..<500 {
                // Each part adds its indices' sum (in closed form) and a mark of its caller's round.
                let mark = caller * 1000 + round
                let total = Atomic<Int>(0)
                Parallel.forEachRange(count: count) { range in
                    total.add((range.lowerBound + range.upperBound - 1) * range.count / 2 + mark, ordering: .relaxed)
                }
                let expected = count * (count - 1) / 2 + Parallel.partCount(for: count) * mark
                if total.load(ordering: .relaxed) != expected { wrong.add(1, ordering: .relaxed) }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }

    @Test func tooManyPartsAreRefusedBeforeAnyRuns() {
        let ran = ds_pool_run(Int(DS_POOL_MAXIMUM_PARTS) + 1, { _, _ in fatalError("a part ran") }, nil)
        #expect(ran != 0)
    }

    /// The calling thread's name, as `/proc` tells it (the pool's workers name themselves).
    private static func threadName() -> String {
        guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
        defer { fclose(file) }
        var name = [CChar](repeating: 0, count: 32)
        guard fgets(&name, Int32(name.count), file) != nil else { return "?" }
        return String(decoding: name.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
