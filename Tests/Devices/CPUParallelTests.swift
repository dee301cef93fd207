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

    /// `forEachSlab` gives each core used one equal range, the ranges tiling the count.
    @Test func slabsAreOneEqualRangePerCore() {
        let seen = Mutex<[Range<Int>]>([])
        Parallel.forEachSlab(count: count) { range in seen.withLock { $0.append(range) } }
        let ranges = seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        #expect(ranges.count == Parallel.coreCount)
        #expect(ranges.allSatisfy { $0.count == count / Parallel.coreCount })
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // Too few elements for a second core: one range, on the caller.
        seen.withLock { $0 = [] }
        Parallel.forEachSlab(count: 100, minimumPerCore: 64) { range in seen.withLock { $0.append(range) } }
        #expect(seen.withLock { $0 } == [0..<100])
    }

    /// Each core's slab is an equal share, its parts halving in size, and the parts tile the count.
    @Test func partsHalveWithinEachCoresSlab() {
        let parts = 2 * Parallel.partsPerCore
        let ranges = (0..<parts).map { Parallel.range(of: $0, parts: parts, count: 15 << 21, granularity: 64) }
        #expect(ranges.map(\.count) == [8, 4, 2, 1, 8, 4, 2, 1].map { $0 << 20 })
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

    /// After a job the workers spin for the next one (200 µs); `restWorkers` sends them to
    /// sleep at once, as the kernel's task states show 50 µs later. The job's parts wait (up
    /// to 50 ms) until every thread has taken one, so the workers are awake; a job is retried
    /// (for up to 10 s) while other tests' jobs keep the pool busy, and a worker still running
    /// is looked at again after two more jobs at most (another process may have held its core).
    @Test(.enabled(if: Parallel.coreCount > 1)) func restingWorkersSleepAtOnce() {
        _ = Parallel.poolWorkerCount  // makes the workers
        let workers = Self.poolWorkerStatFiles()
        defer { workers.forEach { close($0) } }
        let giveUp = DispatchTime.now() + .seconds(10)
        var states: [UInt8] = []
        var attempts = 0
        while attempts < 3, DispatchTime.now() < giveUp {
            let joined = Atomic<Int>(0)
            let ran = withUnsafePointer(to: joined) { joined in
                ds_pool_run(Parallel.coreCount, Parallel.coreCount, { joined, _ in
                    let joined = joined.unsafelyUnwrapped.assumingMemoryBound(to: Atomic<Int>.self)
                    joined.pointee.add(1, ordering: .relaxed)
                    let deadline = DispatchTime.now() + .milliseconds(50)
                    while joined.pointee.load(ordering: .relaxed) < Parallel.coreCount, DispatchTime.now() < deadline {}
                }, UnsafeMutableRawPointer(mutating: joined))
            }
            guard ran == 0, joined.load(ordering: .relaxed) == Parallel.coreCount else { continue }
            Parallel.restWorkers()
            // Busy, not usleep: a sleep can outlast the workers' whole spin.
            let settled = DispatchTime.now() + .microseconds(50)
            while DispatchTime.now() < settled {}
            states = workers.map(Self.schedulerState)
            attempts += 1
            if states.allSatisfy({ $0 == UInt8(ascii: "S") }) { break }
        }
        #expect(workers.count == Parallel.coreCount - 1)
        #expect(attempts > 0 && states.allSatisfy { $0 == UInt8(ascii: "S") }, "pool workers' states: \(states.map { Character(UnicodeScalar($0)) })")
    }

    /// A thread starts with the first part of its CPU's group, so that a core reads the same
    /// slab op after op: the threads' first parts are the fronts of distinct groups. Each
    /// thread's first part waits (up to 50 ms) until every thread has begun one, so none runs
    /// out of its own group before the others claim theirs. A job is tried again (up to 10
    /// times) while the pool is busy with other tests' jobs, or while a thread that another
    /// process moved shares its CPU (and group) with another.
    @Test(.enabled(if: Parallel.coreCount > 1)) func eachThreadStartsAtTheFrontOfItsCPUsGroup() {
        let (groups, parts) = (Parallel.coreCount, Parallel.coreCount * Parallel.partsPerCore)
        let fronts = Set(stride(from: 0, to: parts, by: Parallel.partsPerCore))
        var firstParts: [Int] = []
        for _ in 0..<10 {
            let record = FirstParts()
            let ran = ds_pool_run(parts, groups, { context, index in
                let record = Unmanaged<FirstParts>.fromOpaque(context.unsafelyUnwrapped).takeUnretainedValue()
                let thread = UInt(pthread_self())
                guard record.parts.withLock({ $0.updateValue($0[thread] ?? Int(index), forKey: thread) == nil }) else { return }
                let deadline = DispatchTime.now() + .milliseconds(50)
                while record.parts.withLock({ $0.count }) < Parallel.coreCount, DispatchTime.now() < deadline { sched_yield() }
            }, Unmanaged.passUnretained(record).toOpaque())
            firstParts = record.parts.withLock { Array($0.values) }
            if ran == 0, Set(firstParts) == fronts { break }
        }
        #expect(firstParts.count == groups && Set(firstParts) == fronts, "threads' first parts: \(firstParts.sorted())")
    }

    /// Each thread's first part in one job, by thread.
    private final class FirstParts: Sendable {
        let parts = Mutex<[UInt: Int]>([:])
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
        let ran = ds_pool_run(Int(DS_POOL_MAXIMUM_PARTS) + 1, 1, { _, _ in fatalError("a part ran") }, nil)
        #expect(ran != 0)
    }

    /// An open `/proc/self/task/TID/stat` for each pool worker (found by its name).
    private static func poolWorkerStatFiles() -> [Int32] {
        guard let tasks = opendir("/proc/self/task") else { return [] }
        defer { closedir(tasks) }
        var files: [Int32] = []
        while let entry = readdir(tasks) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard tid.first?.isNumber == true, readLine(from: "/proc/self/task/\(tid)/comm") == "deviceshim-cpu" else { continue }
            files.append(open("/proc/self/task/\(tid)/stat", O_RDONLY))
        }
        return files
    }

    /// A task's scheduler state (`R` running, `S` sleeping, …) from its open stat file, read
    /// in a few microseconds: "tid (name) S …".
    private static func schedulerState(_ file: Int32) -> UInt8 {
        var text = (0..<128).map { _ in UInt8(0) }
        let count = pread(file, &text, text.count, 0)
        guard count > 0, let close = text[..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return 0 }
        return text[close + 2]
    }

    /// The first line of a file (a thread's name in /proc), or nil.
    private static func readLine(from path: String) -> String? { HostSystem.lines(of: path).first.map(String.init) }

    /// The calling thread's name, as `/proc` tells it (the pool's workers name themselves).
    private static func threadName() -> String { readLine(from: "/proc/thread-self/comm") ?? "?" }
}
