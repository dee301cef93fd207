import Dispatch
import Foundation
import Synchronization
import Testing
@testable import DeviceShimMocks

/// A marker of work that failed: a queue waiting on it fails with `error`.
final class FailedMarker: QueueMarker {
    let error: DeviceError
    init(error: DeviceError) { self.error = error }
    var isComplete: Bool { true }
    func wait() throws(DeviceError) { throw error }
    var completionTimeNanoseconds: UInt64? { nil }
}

/// The legacy stream's reach over blocking streams, thread-owned default streams, callbacks
/// after a failure, streams and events used from many threads, and the records calls make.
@Suite struct StreamFailureAndRecordTests {
    let records = RecordBuffer()
    let group: StreamGroup

    init() {
        group = StreamGroup(device: CPUDevice.shared, log: RedirectionLog(level: .debug, sinks: [records]))
    }

    @Test func queryingAndSynchronizingTheLegacyStreamCoverBlockingStreamsOnly() throws {
        let legacy = try group.legacyDefaultStream()
        let blocking = try CudaStream(in: group), nonBlocking = try CudaStream(in: group, flags: .nonBlocking)
        let log = OrderLog(), blockingGate = Gate(), nonBlockingGate = Gate()
        try nonBlockingGate.hold(nonBlocking)
        #expect(legacy.query() == .success, "a busy non-blocking stream does not make the legacy stream busy")
        try blockingGate.hold(blocking)
        try blocking.launchHostFunction { log.append("blocking work") }
        #expect(legacy.query() == .notReady, "the legacy stream has no work of its own, but a blocking stream has")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { blockingGate.open() }
        try legacy.synchronize()
        #expect(log.all == ["blocking work"], "synchronize waited for the blocking stream's earlier work")
        #expect(legacy.query() == .success)
        #expect(nonBlocking.query() == .notReady)
        nonBlockingGate.open()
        try nonBlocking.synchronize()
    }

    @Test func aThreadsDefaultStreamGoesWhenTheThreadExits() throws {
        struct Observed { weak var stream: CudaStream?; var ids: (UInt64, UInt64)? }
        let group = self.group
        let observed = Mutex(Observed()), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            if let stream = try? group.perThreadDefaultStream(), let again = try? group.perThreadDefaultStream() {
                observed.withLock { $0 = Observed(stream: stream, ids: (stream.id, again.id)) }
            }
            done.signal()
        }
        thread.start()
        done.wait()
        let (first, second) = try #require(observed.withLock { $0.ids })
        #expect(first == second, "one stream per thread")
        #expect(eventually { observed.withLock { $0.stream } == nil }, "the thread's exit released its default stream")
        #expect(try group.perThreadDefaultStream().id != first)
    }

    @Test func callbacksRunAfterAFailureWithItsStatusAndHostFunctionsDoNot() throws {
        let stream = try CudaStream(in: group)
        // Not a lost device: its CUDA code (a launch failure) is sticky for the whole test process.
        let failed = DeviceError.driver(device: DeviceID(.vulkan, 0), call: "vkQueueSubmit", code: -4)
        let statuses = Mutex<[CudaError]>([]), hostFunctionRan = Atomic<Bool>(false)
        try stream.addCallback { _, status in statuses.withLock { $0.append(status) } }
        try stream.enqueue { queue throws(DeviceError) in try queue.wait(for: FailedMarker(error: failed)) }
        try stream.launchHostFunction { hostFunctionRan.store(true, ordering: .relaxed) }
        try stream.addCallback { _, status in statuses.withLock { $0.append(status) } }
        #expect(throws: CudaError.unknown) { try stream.synchronize() }
        #expect(statuses.withLock { $0 } == [.success, .unknown])
        let ran = hostFunctionRan.load(ordering: .relaxed)
        #expect(!ran)
        #expect(stream.query() == .success, "the failed work has finished")
        #expect(CudaLastError.get() == .unknown, "and is this thread's last error")
    }

    /// Four threads each run a pipeline stage on its own stream; stage k waits on stage k-1's
    /// event of the same round, so every round runs in stage order though all enqueue at once.
    @Test func eventsChainStreamsThatThreadsFeedConcurrently() throws {
        let stages = 4, rounds = 50
        let streams = try (0..<stages).map { _ in try CudaStream(in: group, flags: .nonBlocking) }
        let events = try (0..<stages).map { _ in try (0..<rounds).map { _ in try CudaEvent(flags: .disableTiming) } }
        let rows = (0..<rounds).map { _ in OrderLog() }
        let recorded = (0..<stages).map { _ in DispatchSemaphore(value: 0) }
        let failures = Atomic<Int>(0), finished = DispatchGroup()
        // Threads of their own: stages block on each other, so a pool with fewer threads than
        // stages could deadlock.
        for stage in 0..<stages {
            finished.enter()
            Thread {
                defer { finished.leave() }
                for round in 0..<rounds {
                    do {
                        if stage > 0 {
                            recorded[stage - 1].wait()
                            try streams[stage].wait(for: events[stage - 1][round])
                        }
                        try streams[stage].launchHostFunction { rows[round].append("\(stage)") }
                        try events[stage][round].record(on: streams[stage])
                        recorded[stage].signal()
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
            }.start()
        }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        for stream in streams { try stream.synchronize() }
        #expect(failures.load(ordering: .relaxed) == 0)
        for row in rows { #expect(row.all == (0..<stages).map { "\($0)" }) }
    }

    @Test func streamAndEventCallsAreRecordedWithTheSwiftCaller() throws {
        let log = RedirectionLog(level: .debug, sinks: [records])
        let line = #line + 1
        let stream = try CudaStream(in: group, priority: -2)
        let event = try CudaEvent(log: log)
        try event.record(on: stream)
        #expect([.success, .notReady].contains(stream.query()))
        try stream.synchronize()
        #expect(event.query() == .success)
        _ = try CudaEvent.elapsedMilliseconds(from: event, to: event)
        #expect(throws: CudaError.invalidResourceHandle) {
            try CudaEvent.elapsedMilliseconds(from: try CudaEvent(flags: .disableTiming, log: log), to: event)
        }
        let calls = records.records.filter { $0.caller?.file == #fileID }
        #expect(calls.map(\.api) == ["Cuda.Stream", "Cuda.Event", "Cuda.Event.record", "Cuda.Stream.query", "Cuda.Stream.synchronize", "Cuda.Event.query", "Cuda.Event.elapsedMilliseconds",
                                     "Cuda.Event", "Cuda.Event.elapsedMilliseconds"])
        #expect(calls.first?.caller?.line == line)
        #expect(calls.first?.message == "created stream, flags 0, priority -2")
        let synchronize = try #require(calls.first { $0.api == "Cuda.Stream.synchronize" })
        #expect(synchronize.stream == stream.id && synchronize.resolved == "cpu:0" && synchronize.status == "cudaSuccess")
        #expect(synchronize.durationNanoseconds != nil)
        #expect(calls.last?.status == "cudaErrorInvalidResourceHandle")
        #expect(calls.first { $0.api == "Cuda.Event.query" }?.stream == stream.id)
    }

    @Test func badFlagsAreRecordedWithTheirStatus() {
        #expect(throws: CudaError.invalidValue) { try CudaStream(in: group, flags: CudaStreamFlags(rawValue: 0x10)) }
        let record = records.records.last
        #expect(record?.api == "Cuda.Stream" && record?.status == "cudaErrorInvalidValue" && record?.caller?.file == #fileID)
    }
}
