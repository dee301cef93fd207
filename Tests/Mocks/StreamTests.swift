import Dispatch
import Foundation
import Synchronization
import Testing
@testable import DeviceShimMocks

/// Ordered observations made by host functions on streams.
final class OrderLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// Holds a stream busy: a host function waits on it until `open()`.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func hold(_ stream: CudaStream) throws { try stream.launchHostFunction { self.semaphore.wait() } }
    func open() { semaphore.signal() }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}

@Suite struct StreamTests {
    let group = StreamGroup(device: CPUDevice.shared)

    @Test func queryIsNotReadyWhileWorkIsPendingThenSuccess() throws {
        let stream = try CudaStream(in: group)
        #expect(stream.query() == .success)
        let gate = Gate()
        try gate.hold(stream)
        #expect(stream.query() == .notReady)
        usleep(20_000)
        #expect(stream.query() == .notReady)
        gate.open()
        try stream.synchronize()
        #expect(stream.query() == .success)
    }

    @Test func prioritiesAreClampedAndUnknownFlagsRejected() throws {
        #expect(try CudaStream(in: group, priority: -100).priority == CudaStreamPriority.greatest)
        #expect(try CudaStream(in: group, priority: 7).priority == CudaStreamPriority.least)
        #expect(try CudaStream(in: group, priority: -3).priority == -3)
        #expect((CudaStreamPriority.least, CudaStreamPriority.greatest) == (0, -5))
        #expect(throws: CudaError.invalidValue) { try CudaStream(in: group, flags: CudaStreamFlags(rawValue: 0x8)) }
        #expect(CudaLastError.get() == .invalidValue)
        let first = try CudaStream(in: group), second = try CudaStream(in: group)
        #expect(first.id != second.id)
        #expect(try !CudaStream(in: group, flags: .nonBlocking).isBlocking)
    }

    @Test func legacyStreamWaitsForBlockingStreamsAndTheyWaitForIt() throws {
        let log = OrderLog(), gate = Gate()
        let blocking = try CudaStream(in: group), legacy = try group.legacyDefaultStream()
        try gate.hold(blocking)
        try blocking.launchHostFunction { log.append("blocking 1") }
        try legacy.launchHostFunction { log.append("legacy") }
        try blocking.launchHostFunction { log.append("blocking 2") }
        usleep(20_000)
        #expect(legacy.query() == .notReady)
        #expect(log.all.isEmpty)
        gate.open()
        try blocking.synchronize()
        try legacy.synchronize()
        #expect(log.all == ["blocking 1", "legacy", "blocking 2"])
    }

    @Test func blockingStreamWorkWaitsForEarlierLegacyWork() throws {
        let log = OrderLog(), gate = Gate()
        let legacy = try group.legacyDefaultStream(), blocking = try CudaStream(in: group)
        try gate.hold(legacy)
        try legacy.launchHostFunction { log.append("legacy") }
        try blocking.launchHostFunction { log.append("blocking") }
        usleep(20_000)
        #expect(blocking.query() == .notReady)
        #expect(log.all.isEmpty)
        gate.open()
        try blocking.synchronize()
        #expect(log.all == ["legacy", "blocking"])
    }

    @Test func legacyStreamWaitsForEveryBlockingStream() throws {
        let log = OrderLog(), first = Gate(), second = Gate()
        let one = try CudaStream(in: group), two = try CudaStream(in: group), legacy = try group.legacyDefaultStream()
        try first.hold(one)
        try second.hold(two)
        try legacy.launchHostFunction { log.append("legacy") }
        second.open()
        try two.synchronize()
        usleep(20_000)
        #expect(legacy.query() == .notReady)
        first.open()
        try legacy.synchronize()
        #expect(log.all == ["legacy"])
    }

    @Test func nonBlockingStreamsTakeNoPartInLegacySynchronisation() throws {
        let log = OrderLog(), gate = Gate()
        let nonBlocking = try CudaStream(in: group, flags: .nonBlocking), legacy = try group.legacyDefaultStream()
        // Legacy work does not wait for a busy non-blocking stream...
        try gate.hold(nonBlocking)
        try legacy.launchHostFunction { log.append("legacy") }
        #expect(eventually { legacy.query() == .success })
        // ...and a non-blocking stream's work does not wait for a busy legacy stream.
        let legacyGate = Gate()
        try legacyGate.hold(legacy)
        gate.open()
        try nonBlocking.launchHostFunction { log.append("non-blocking") }
        #expect(eventually { nonBlocking.query() == .success })
        #expect(legacy.query() == .notReady)
        legacyGate.open()
        try legacy.synchronize()
        #expect(log.all == ["legacy", "non-blocking"])
    }

    @Test func perThreadDefaultStreamIsOnePerThreadAndBlocksWithTheLegacyStream() throws {
        let here = try group.perThreadDefaultStream()
        #expect(try group.perThreadDefaultStream() === here)
        #expect(here.kind == .perThreadDefault && here.isBlocking)
        let other = Mutex<UInt64?>(nil), done = DispatchSemaphore(value: 0)
        let group = self.group
        let thread = Thread {
            other.withLock { $0 = try? group.perThreadDefaultStream().id }
            done.signal()
        }
        thread.start()
        done.wait()
        let otherID = try #require(other.withLock { $0 })
        #expect(otherID != here.id)

        let log = OrderLog(), gate = Gate(), legacy = try group.legacyDefaultStream()
        try gate.hold(here)
        try here.launchHostFunction { log.append("per-thread") }
        try legacy.launchHostFunction { log.append("legacy") }
        try here.launchHostFunction { log.append("per-thread again") }
        usleep(20_000)
        #expect(legacy.query() == .notReady)
        gate.open()
        try here.synchronize()
        #expect(log.all == ["per-thread", "legacy", "per-thread again"])
    }

    @Test func waitingOnAnEventOrdersWorkAcrossStreams() throws {
        let log = OrderLog(), gate = Gate()
        let producer = try CudaStream(in: group, flags: .nonBlocking), consumer = try CudaStream(in: group, flags: .nonBlocking)
        let event = try CudaEvent(flags: .disableTiming)
        try gate.hold(producer)
        try producer.launchHostFunction { log.append("produced") }
        try event.record(on: producer)
        try consumer.wait(for: event)
        try consumer.launchHostFunction { log.append("consumed") }
        usleep(20_000)
        #expect(consumer.query() == .notReady)
        gate.open()
        try consumer.synchronize()
        #expect(log.all == ["produced", "consumed"])
        // An event never recorded captures nothing: waiting on it waits for nothing.
        try consumer.wait(for: try CudaEvent())
        #expect(consumer.query() == .success)
    }

    @Test func hostFunctionsAndCallbacksRunInStreamOrder() throws {
        let stream = try CudaStream(in: group), log = OrderLog()
        let seen = Mutex<[(UInt64, CudaError)]>([])
        for index in 0..<40 {
            if index.isMultiple(of: 2) {
                try stream.launchHostFunction { log.append("\(index)") }
            } else {
                try stream.addCallback { callbackStream, status in
                    seen.withLock { $0.append((callbackStream.id, status)) }
                    log.append("\(index)")
                }
            }
        }
        try stream.synchronize()
        #expect(log.all == (0..<40).map { "\($0)" })
        let callbacks = seen.withLock { $0 }
        #expect(callbacks.count == 20)
        #expect(callbacks.allSatisfy { $0.0 == stream.id && $0.1 == .success })
    }

    @Test func synchronizingFromAHostFunctionOfTheStreamIsNotPermitted() throws {
        let stream = try CudaStream(in: group)
        let outcome = Mutex<CudaError?>(nil)
        try stream.addCallback { callbackStream, _ in
            do throws(CudaError) { try callbackStream.synchronize() } catch { outcome.withLock { $0 = error } }
        }
        try stream.synchronize()
        #expect(outcome.withLock { $0 } == .notPermitted)
    }

    @Test func destroyingAStreamWithPendingWorkLetsItFinish() throws {
        let log = OrderLog(), gate = Gate(), finished = DispatchSemaphore(value: 0)
        weak var destroyed: CudaStream?
        do {
            let stream = try CudaStream(in: group)
            destroyed = stream
            try gate.hold(stream)
            try stream.launchHostFunction {
                log.append("ran")
                finished.signal()
            }
        }
        #expect(destroyed == nil)
        #expect(log.all.isEmpty)
        gate.open()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(log.all == ["ran"])
    }

    /// The legacy stream skips its lock while the device has no blocking stream; a destroyed
    /// blocking stream whose work is pending still counts until that work is done.
    @Test func legacyWorkWaitsForADestroyedBlockingStreamsPendingWork() throws {
        let log = OrderLog(), gate = Gate(), legacy = try group.legacyDefaultStream()
        try legacy.launchHostFunction { log.append("legacy alone") }
        try legacy.synchronize()
        do {
            let blocking = try CudaStream(in: group)
            try gate.hold(blocking)
            try blocking.launchHostFunction { log.append("destroyed blocking") }
        }
        try legacy.launchHostFunction { log.append("legacy after") }
        usleep(20_000)
        #expect(legacy.query() == .notReady)
        #expect(log.all == ["legacy alone"])
        gate.open()
        try legacy.synchronize()
        #expect(log.all == ["legacy alone", "destroyed blocking", "legacy after"])
        try legacy.launchHostFunction { log.append("legacy again") }
        try legacy.synchronize()
        #expect(legacy.query() == .success)
        #expect(log.all.last == "legacy again")
    }

    /// `copyNow` copies at once only where `enqueue` would apply no implicit synchronisation
    /// and the stream is idle: the legacy stream while no blocking stream exists, and
    /// non-blocking streams. Elsewhere it declines and the caller queues the copy.
    @Test func copyNowOnlyWhereNothingMustRunFirst() throws {
        var source: UInt64 = 0x1122_3344_5566_7788, target: UInt64 = 0
        func copied(on stream: CudaStream) -> Bool {
            target = 0
            return withUnsafeBytes(of: &source) { from in
                withUnsafeMutableBytes(of: &target) { stream.copyNow(from: from.baseAddress!, to: $0.baseAddress!, count: 8) }
            } && target == source
        }
        let legacy = try group.legacyDefaultStream(), nonBlocking = try CudaStream(in: group, flags: .nonBlocking)
        #expect(copied(on: legacy))
        #expect(copied(on: nonBlocking))
        var blocking: CudaStream? = try CudaStream(in: group)
        #expect(!copied(on: legacy), "the legacy stream must first order itself after the blocking stream")
        #expect(!copied(on: try #require(blocking)), "a blocking stream must first order itself after the legacy stream")
        #expect(copied(on: nonBlocking))
        #expect(target == source)
        blocking = nil
        let gate = Gate()
        try gate.hold(nonBlocking)
        #expect(!copied(on: nonBlocking), "work is queued before it")
        #expect(target == 0)
        gate.open()
        try nonBlocking.synchronize()
        #expect(copied(on: legacy), "no blocking stream is left")
    }

    @Test func manyThreadsKeepTheirOwnStreamOrder() throws {
        let streams = try (0..<4).map { _ in try CudaStream(in: group) }
        let logs = streams.map { _ in OrderLog() }
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: streams.count) { worker in
            for index in 0..<200 {
                do { try streams[worker].launchHostFunction { logs[worker].append("\(index)") } } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        for stream in streams { try stream.synchronize() }
        #expect(failures.load(ordering: .relaxed) == 0)
        for log in logs { #expect(log.all == (0..<200).map { "\($0)" }) }
    }
}
