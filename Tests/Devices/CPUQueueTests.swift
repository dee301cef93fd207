#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing
@testable import DeviceShimDevices

/// Ordering, markers, cross-queue waits, sticky errors, copies and fills of `CPUQueue`.
@Suite struct CPUQueueTests {
    @Test func workRunsInOrderMixingKernelsAndHostCallbacks() throws {
        let queue = try cpuQueue()
        let counter = try cpuBuffer([0], .int64)
        let one = try cpuBuffer([1], .int64)
        let seen = Mutex<[Int64]>([])
        let operand = StridedOperand(counter, dtype: .int64, shape: [1])
        for _ in 0..<100 {
            try queue.binary(.add, lhs: operand, rhs: StridedOperand(one, dtype: .int64, shape: [1]), output: operand)
            try queue.enqueueHostCallback { seen.withLock { $0.append(counter.baseAddress.load(as: Int64.self)) } }
        }
        try queue.synchronize()
        #expect(seen.withLock { $0 } == Array(1...100))
        #expect(queue.isIdle)
    }

    /// A kernel queued behind other work keeps its buffers alive after the caller lets go of
    /// them, and lets go itself once it has run.
    @Test func queuedKernelsHoldTheirBuffersUntilTheyRun() throws {
        let queue = try cpuQueue()
        let gate = DispatchSemaphore(value: 0)
        try queue.enqueueHostCallback { gate.wait() }
        let output = try cpuBuffer([0, 0], .float32)
        weak var input: CPUBuffer?
        do {
            let held = try cpuBuffer([1.5, 2.5], .float32)
            input = held
            let operand = StridedOperand(held, dtype: .float32, shape: [2])
            try queue.binary(.add, lhs: operand, rhs: operand, output: StridedOperand(output, dtype: .float32, shape: [2]))
        }
        #expect(input != nil, "the queued add let its input go before running")
        gate.signal()
        try queue.synchronize()
        #expect(output.baseAddress.assumingMemoryBound(to: Float.self)[1] == 5)
        #expect(input == nil, "the add kept its input after running")
    }

    @Test func severalQueuesOnSeveralThreadsEachKeepTheirOrder() throws {
        let queueCount = 4, itemCount = 300
        let queues = try (0..<queueCount).map { _ in try cpuQueue() }
        let logs = Mutex([[Int]](repeating: [], count: queueCount))
        // Two threads per queue enqueue at once: each thread's items must stay in its order.
        DispatchQueue.concurrentPerform(iterations: queueCount * 2) { thread in
            let queueIndex = thread / 2
            for item in 0..<itemCount {
                let tag = (thread % 2) * itemCount + item
                try? queues[queueIndex].enqueueHostCallback { logs.withLock { $0[queueIndex].append(tag) } }
            }
        }
        for queue in queues { try queue.synchronize() }
        for log in logs.withLock({ $0 }) {
            #expect(log.count == 2 * itemCount)
            #expect(log.filter { $0 < itemCount } == Array(0..<itemCount))
            #expect(log.filter { $0 >= itemCount } == Array(itemCount..<2 * itemCount))
        }
    }

    @Test func markersCompleteInOrderWithTheDeviceClock() throws {
        let queue = try cpuQueue()
        let gate = DispatchSemaphore(value: 0)
        try queue.enqueueHostCallback { gate.wait() }
        let first = try queue.enqueueMarker()
        let second = try queue.enqueueMarker()
        sleep(milliseconds: 30)
        #expect(!queue.isIdle)
        #expect(!first.isComplete && first.completionTimeNanoseconds == nil)
        let released = CPUMarker.now()
        gate.signal()
        try second.wait()
        #expect(first.isComplete && second.isComplete)
        let (t1, t2) = (try #require(first.completionTimeNanoseconds), try #require(second.completionTimeNanoseconds))
        #expect(released <= t1 && t1 <= t2 && t2 <= CPUMarker.now())
        try queue.synchronize()
        #expect(queue.isIdle)
    }

    @Test func waitForMarkerOfAnotherQueue() throws {
        let (producer, consumer) = (try cpuQueue(), try cpuQueue())
        let gate = DispatchSemaphore(value: 0)
        let ranAt = Mutex<UInt64?>(nil)
        try producer.enqueueHostCallback { gate.wait() }
        let produced = try producer.enqueueMarker()
        try consumer.wait(for: produced)
        try consumer.enqueueHostCallback { ranAt.withLock { $0 = CPUMarker.now() } }
        sleep(milliseconds: 50)
        #expect(ranAt.withLock { $0 } == nil, "the consumer ran before the producer's marker")
        #expect(!consumer.isIdle && !producer.isIdle)
        gate.signal()
        try consumer.synchronize()
        let ran = try #require(ranAt.withLock { $0 })
        #expect(ran >= (try #require(produced.completionTimeNanoseconds)))
    }

    /// A marker already reached is not waited for at all: nothing goes to the worker.
    @Test func waitingForAReachedMarkerQueuesNothing() throws {
        let queue = try cpuQueue()
        let reached = ReachedMarker()
        try queue.wait(for: reached)
        #expect(queue.isIdle)
        try queue.synchronize()
        let waited = reached.waited.load(ordering: .relaxed)
        #expect(!waited)
    }

    @Test func aFailedWaitIsStickyAndSkipsLaterWork() throws {
        let queue = try cpuQueue()
        let lost = DeviceError.deviceLost(device: DeviceID(.vulkan, 3), reason: "test marker failed")
        let ran = Atomic<Bool>(false)
        let before = try queue.enqueueMarker()
        try queue.wait(for: FailedMarker(error: lost))
        try queue.enqueueHostCallback { ran.store(true, ordering: .relaxed) }
        let after = try queue.enqueueMarker()
        #expect(deviceError { try queue.synchronize() } == lost)
        #expect(deviceError { try queue.synchronize() } == lost, "the error is sticky")
        let ranAfterFailure = ran.load(ordering: .relaxed)
        #expect(!ranAfterFailure)
        #expect(before.completionTimeNanoseconds != nil)
        #expect(after.isComplete && after.completionTimeNanoseconds == nil)
        #expect(deviceError { try after.wait() } == lost)
        try queue.enqueueHostCallback { ran.store(true, ordering: .relaxed) }
        #expect(deviceError { try queue.synchronize() } == lost)
        let ranLater = ran.load(ordering: .relaxed)
        #expect(!ranLater)
    }

    @Test func statusCallbacksRunInOrderAndAfterAFailureWithTheError() throws {
        let queue = try cpuQueue()
        let lost = DeviceError.deviceLost(device: DeviceID(.vulkan, 3), reason: "test marker failed")
        let statuses = Mutex<[DeviceError?]>([])
        try queue.enqueueStatusCallback { status in statuses.withLock { $0.append(status) } }
        try queue.wait(for: FailedMarker(error: lost))
        try queue.enqueueStatusCallback { status in statuses.withLock { $0.append(status) } }
        #expect(deviceError { try queue.synchronize() } == lost)
        #expect(statuses.withLock { $0 } == [nil, lost])
    }

    @Test func synchronizeFromItsOwnHostCallbackThrows() throws {
        let queue = try cpuQueue()
        let result = Mutex<DeviceError?>(nil)
        try queue.enqueueHostCallback { result.withLock { $0 = deviceError { try queue.synchronize() } } }
        try queue.synchronize()
        #expect(result.withLock { $0 }?.isInvalidArgument == true)
    }

    @Test func copiesBetweenHostAndBuffersWithOffsets() throws {
        let queue = try cpuQueue()
        let buffer = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
        let other = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
        let source = (0..<64).map { UInt8($0) }
        var readBack = [UInt8](repeating: 0, count: 20)
        try source.withUnsafeBytes { bytes in
            try queue.copy(from: bytes.baseAddress!, to: BufferRegion(buffer))
            try queue.copy(from: bytes.baseAddress! + 60, to: BufferRegion(other, offset: 0, byteCount: 4))
            try queue.copy(from: BufferRegion(buffer, offset: 5, byteCount: 10), to: BufferRegion(other, offset: 30, byteCount: 10))
            // Overlapping regions of one buffer copy as memmove does.
            try queue.copy(from: BufferRegion(buffer, offset: 0, byteCount: 32), to: BufferRegion(buffer, offset: 8, byteCount: 32))
            try readBack.withUnsafeMutableBytes { target in
                try queue.copy(from: BufferRegion(other, offset: 28, byteCount: 20), to: target.baseAddress!)
                try queue.synchronize()
            }
        }
        #expect(Array(readBack[2..<12]) == Array(5..<15))
        #expect(Array(UnsafeRawBufferPointer(start: other.baseAddress, count: 4)) == [60, 61, 62, 63])
        #expect(Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: 48)) == Array(0..<8) + Array(0..<32) + Array(40..<48))
    }

    /// `copyNow` copies at once only when nothing queued could run first and the queue has
    /// not failed, and only small copies; otherwise it does nothing and says so.
    @Test func copyNowRunsOnlyOnAnIdleHealthyQueueAndOnlySmallCopies() throws {
        let queue = try cpuQueue()
        let buffer = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
        #expect(buffer.hostAddress == buffer.baseAddress)
        let source = (0..<64).map { UInt8($0) }
        let target = try #require(buffer.hostAddress)
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 0xEE))
        try queue.synchronize()
        let gate = DispatchSemaphore(value: 0)
        try queue.enqueueHostCallback { gate.wait() }
        let whileBusy = source.withUnsafeBytes { queue.copyNow(from: $0.baseAddress!, to: target, count: 64) }
        #expect(!whileBusy)
        #expect(target.load(as: UInt8.self) == 0xEE, "a declined copy copies nothing")
        gate.signal()
        try queue.synchronize()
        let whenIdle = source.withUnsafeBytes { queue.copyNow(from: $0.baseAddress! + 8, to: target, count: 16) }
        #expect(whenIdle)
        #expect(Array(UnsafeRawBufferPointer(start: target, count: 20)) == Array(8..<24) + [0xEE, 0xEE, 0xEE, 0xEE])
        let large = try #require(try CPUDevice.shared.allocate(byteCount: CPUQueue.inlineByteLimit + 1).hostAddress)
        #expect(!queue.copyNow(from: large, to: large, count: CPUQueue.inlineByteLimit + 1))

        let lost = DeviceError.deviceLost(device: DeviceID(.vulkan, 3), reason: "test marker failed")
        try queue.wait(for: FailedMarker(error: lost))
        #expect(deviceError { try queue.synchronize() } == lost)
        let afterFailure = source.withUnsafeBytes { queue.copyNow(from: $0.baseAddress!, to: target, count: 64) }
        #expect(!afterFailure)
        #expect(target.load(as: UInt8.self) == 8)
    }

    @Test func largeCopiesAndFillsSplitAcrossCores() throws {
        let queue = try cpuQueue()
        let count = 9 << 20 + 3
        let (a, b) = (try CPUDevice.shared.allocate(byteCount: count), try CPUDevice.shared.allocate(byteCount: count))
        try queue.fill(BufferRegion(a, offset: 3, byteCount: count - 3), with: FillPattern(element: UInt32(0xDDCC_BBAA)))
        try queue.fill(BufferRegion(a, offset: 0, byteCount: 3), with: FillPattern(byte: 7))
        try queue.copy(from: BufferRegion(a), to: BufferRegion(b))
        try queue.synchronize()
        let bytes = UnsafeRawBufferPointer(start: try #require(b as? CPUBuffer).baseAddress, count: count)
        #expect(bytes[0] == 7 && bytes[2] == 7)
        let pattern: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD]
        #expect((3..<count).allSatisfy { bytes[$0] == pattern[($0 - 3) % 4] })
    }

    @Test(arguments: [1, 2, 4, 8])
    func fillRepeatsPatternsAtAnyOffset(patternSize: Int) throws {
        let queue = try cpuQueue()
        let buffer = try #require(try CPUDevice.shared.allocate(byteCount: 64) as? CPUBuffer)
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 0xEE))
        let pattern: FillPattern = switch patternSize {
        case 1: FillPattern(byte: 0x11)
        case 2: FillPattern(element: UInt16(0x2211))
        case 4: FillPattern(element: Float(bitPattern: 0x4433_2211))
        default: FillPattern(element: UInt64(0x8877_6655_4433_2211))
        }
        try queue.fill(BufferRegion(buffer, offset: 3, byteCount: patternSize * 5), with: pattern)
        try queue.synchronize()
        let bytes = Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: 64))
        let expected = [UInt8](repeating: 0xEE, count: 3) + (0..<patternSize * 5).map { UInt8(0x11 * ($0 % patternSize + 1)) }
            + [UInt8](repeating: 0xEE, count: 64 - 3 - patternSize * 5)
        #expect(bytes == expected)
    }
}

/// A marker of some other queue that failed.
final class FailedMarker: QueueMarker {
    let error: DeviceError
    init(error: DeviceError) { self.error = error }
    var isComplete: Bool { true }
    func wait() throws(DeviceError) { throw error }
    var completionTimeNanoseconds: UInt64? { nil }
}

/// A marker completed before anyone waits, which notes whether `wait` is called.
final class ReachedMarker: QueueMarker {
    let waited = Atomic<Bool>(false)
    var isComplete: Bool { true }
    func wait() throws(DeviceError) { waited.store(true, ordering: .relaxed) }
    var completionTimeNanoseconds: UInt64? { 1 }
}

func sleep(milliseconds: Int) {
    usleep(useconds_t(milliseconds * 1000))
}
