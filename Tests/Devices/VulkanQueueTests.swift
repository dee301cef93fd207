import Dispatch
import Synchronization
import Testing
@testable import DeviceShimDevices

/// Streams of the Vulkan device: batching, host callbacks, markers with device timestamps,
/// waits across queues and backends, and sticky errors.
@Suite(.enabled(if: VulkanTests.available, "no Vulkan device computes on this machine"))
struct VulkanQueueTests {
    /// A one-element int32 counter on the device and the operands that add 1 to it.
    struct Counter {
        let buffer: any DeviceBuffer
        let operand: StridedOperand
        let one: StridedOperand

        init(device: VulkanDevice, queue: any DeviceQueue) throws {
            buffer = try device.allocate(byteCount: 8)
            try queue.fill(BufferRegion(buffer, offset: 0, byteCount: 4), with: FillPattern(element: Int32(0)))
            try queue.fill(BufferRegion(buffer, offset: 4, byteCount: 4), with: FillPattern(element: Int32(1)))
            operand = StridedOperand(buffer, dtype: .int32, shape: [1])
            one = StridedOperand(buffer, dtype: .int32, offset: 1, shape: [1])
        }

        func increment(on queue: any DeviceQueue) throws { try queue.binary(.add, lhs: operand, rhs: one, output: operand) }
    }

    @Test func readsAreInHostMemoryWhenLaterCallbacksRun() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let counter = try Counter(device: device, queue: queue)
        let host = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 100)
        defer { host.deallocate() }
        let address = HostAddress(UnsafeMutableRawPointer(host.baseAddress!))
        let seen = Mutex<[Int32]>([])
        for index in 0..<100 {
            try counter.increment(on: queue)
            try queue.copy(from: BufferRegion(counter.buffer, offset: 0, byteCount: 4), to: address.pointer + 4 * index)
            try queue.enqueueHostCallback { seen.withLock { $0.append(address.pointer.load(fromByteOffset: 4 * index, as: Int32.self)) } }
        }
        try queue.synchronize()
        #expect(seen.withLock { $0 } == Array(1...100))
        #expect(queue.isIdle)
    }

    @Test func severalQueuesOnSeveralThreadsEachKeepTheirOrder() throws {
        let device = try VulkanTests.requireDevice()
        let queueCount = 3, itemCount = 150
        let queues = try (0..<queueCount).map { _ in try device.makeQueue() }
        let counters = try queues.map { try Counter(device: device, queue: $0) }
        let logs = Mutex([[Int]](repeating: [], count: queueCount))
        // Two threads per queue enqueue kernels and callbacks at once: each thread's callbacks keep their order.
        DispatchQueue.concurrentPerform(iterations: queueCount * 2) { thread in
            let index = thread / 2
            for item in 0..<itemCount {
                let tag = (thread % 2) * itemCount + item
                try? counters[index].increment(on: queues[index])
                try? queues[index].enqueueHostCallback { logs.withLock { $0[index].append(tag) } }
            }
        }
        for (queue, counter) in zip(queues, counters) {
            let bytes = try contents(of: counter.buffer, queue: queue)
            #expect(element(.int32, at: 0, in: bytes) == Double(2 * itemCount))
        }
        for log in logs.withLock({ $0 }) {
            #expect(log.filter { $0 < itemCount } == Array(0..<itemCount))
            #expect(log.filter { $0 >= itemCount } == Array(itemCount..<2 * itemCount))
        }
    }

    @Test func batchesLongerThanTheLimitStayInOrder() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let counter = try Counter(device: device, queue: queue)
        for _ in 0..<(VulkanStream.batchCommandLimit * 2 + 10) { try counter.increment(on: queue) }
        let bytes = try contents(of: counter.buffer, queue: queue)
        #expect(element(.int32, at: 0, in: bytes) == Double(VulkanStream.batchCommandLimit * 2 + 10))
    }

    /// Reads recorded as the command that fills a batch still reach host memory.
    @Test func readsThatFillABatchStillArrive() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 4)
        try queue.fill(BufferRegion(buffer), with: FillPattern(element: Int32(7)))
        let count = VulkanStream.batchCommandLimit * 2 + 3
        var values = [Int32](repeating: 0, count: count)
        try values.withUnsafeMutableBytes { raw in
            for index in 0..<count { try queue.copy(from: BufferRegion(buffer), to: raw.baseAddress! + 4 * index) }
            try queue.synchronize()
        }
        #expect(values.allSatisfy { $0 == 7 })
    }

    @Test func markersCompleteInOrderWithIncreasingDeviceTimes() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let counter = try Counter(device: device, queue: queue)
        let gate = DispatchSemaphore(value: 0)
        try queue.enqueueHostCallback { gate.wait() }
        let first = try queue.enqueueMarker()
        for _ in 0..<20 { try counter.increment(on: queue) }
        let second = try queue.enqueueMarker()
        sleep(milliseconds: 20)
        #expect(!first.isComplete && first.completionTimeNanoseconds == nil && !queue.isIdle)
        gate.signal()
        try second.wait()
        let (t1, t2) = (try #require(first.completionTimeNanoseconds), try #require(second.completionTimeNanoseconds))
        #expect(t1 < t2)
        try queue.synchronize()
    }

    @Test func queuesOfOneDeviceWaitForEachOthersMarkers() throws {
        let device = try VulkanTests.requireDevice()
        let (producer, consumer) = (try device.makeQueue(), try device.makeQueue())
        let buffer = try device.allocate(byteCount: 4)
        try producer.fill(BufferRegion(buffer), with: FillPattern(element: Int32(1)))
        let gate = DispatchSemaphore(value: 0)
        try producer.enqueueHostCallback { gate.wait() }
        try producer.fill(BufferRegion(buffer), with: FillPattern(element: Int32(42)))
        let marker = try producer.enqueueMarker()
        try consumer.wait(for: marker)
        var value: Int32 = 0
        try consumer.copy(from: BufferRegion(buffer), to: &value)
        let done = try consumer.enqueueMarker()
        sleep(milliseconds: 20)
        #expect(!done.isComplete)
        gate.signal()
        try consumer.synchronize()
        #expect(value == 42)
    }

    /// A submitted marker is waited for on the GPU (a timeline semaphore wait in the submission).
    @Test func queuesWaitOnTheGPUForSubmittedMarkers() throws {
        let device = try VulkanTests.requireDevice()
        let (producer, consumer) = (try device.makeQueue(), try device.makeQueue())
        let counter = try Counter(device: device, queue: producer)
        for _ in 0..<300 { try counter.increment(on: producer) }
        let marker = try #require(try producer.enqueueMarker() as? VulkanMarker)
        let submitted = marker.isSubmitted.load(ordering: .acquiring)
        #expect(submitted)
        try consumer.wait(for: marker)
        var value: Int32 = 0
        try consumer.copy(from: BufferRegion(counter.buffer, offset: 0, byteCount: 4), to: &value)
        try consumer.synchronize()
        #expect(value == 300)
    }

    @Test func vulkanAndCPUQueuesWaitForEachOther() throws {
        let device = try VulkanTests.requireDevice()
        let (vulkan, cpu) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        let order = Mutex<[String]>([])
        let gate = DispatchSemaphore(value: 0)
        try cpu.enqueueHostCallback { gate.wait(); order.withLock { $0.append("cpu") } }
        try vulkan.wait(for: try cpu.enqueueMarker())
        try vulkan.enqueueHostCallback { order.withLock { $0.append("vulkan") } }
        let vulkanMarker = try vulkan.enqueueMarker()
        try cpu.wait(for: vulkanMarker)
        try cpu.enqueueHostCallback { order.withLock { $0.append("cpu after vulkan") } }
        sleep(milliseconds: 20)
        #expect(order.withLock { $0 }.isEmpty)
        gate.signal()
        try cpu.synchronize()
        try vulkan.synchronize()
        #expect(order.withLock { $0 } == ["cpu", "vulkan", "cpu after vulkan"])
    }

    @Test func aFailedWaitFailsTheQueueAndSkipsLaterWork() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let counter = try Counter(device: device, queue: queue)
        try counter.increment(on: queue)
        let before = try queue.enqueueMarker()
        let lost = DeviceError.deviceLost(device: DeviceID(.opencl, 0), reason: "test")
        try queue.wait(for: FailedMarker(error: lost))
        try counter.increment(on: queue)
        let ran = Atomic<Bool>(false)
        try queue.enqueueHostCallback { ran.store(true, ordering: .relaxed) }
        let status = Mutex<DeviceError?>(nil)
        try queue.enqueueStatusCallback { error in status.withLock { $0 = error } }
        let after = try queue.enqueueMarker()
        #expect(throws: DeviceError.self) { try queue.synchronize() }
        #expect(throws: DeviceError.self) { try after.wait() }
        try before.wait()
        let callbackRan = ran.load(ordering: .relaxed)
        #expect(!callbackRan)
        #expect(status.withLock { $0 } == lost)
        // A fresh queue sees the counter incremented once, not twice.
        let bytes = try contents(of: counter.buffer, queue: try device.makeQueue())
        #expect(element(.int32, at: 0, in: bytes) == 1)
    }

    /// Work recorded while a failing wait is still pending, but submitted after the wait
    /// failed the stream, is skipped too (CI once saw it run, as the suite ran in parallel).
    @Test func workRecordedBeforeAWaitFailsButFlushedAfterIsSkipped() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try #require(try device.makeQueue() as? VulkanQueue)
        let counter = try Counter(device: device, queue: queue)
        try queue.synchronize()
        let gate = DispatchSemaphore(value: 0)
        try queue.enqueueHostCallback { gate.wait() }
        try queue.wait(for: FailedMarker(error: .deviceLost(device: DeviceID(.opencl, 0), reason: "test")))
        try counter.increment(on: queue)  // recorded: the wait has not run yet
        gate.signal()
        let deadline = DispatchTime.now() + .seconds(10)
        while !queue.stream.isFailed, DispatchTime.now() < deadline { sleep(milliseconds: 1) }
        #expect(queue.stream.isFailed)
        sleep(milliseconds: 20)  // the failed step finishes; the increment is still only recorded
        #expect(throws: DeviceError.self) { try queue.synchronize() }  // flushes it
        let bytes = try contents(of: counter.buffer, queue: try device.makeQueue())
        #expect(element(.int32, at: 0, in: bytes) == 0)
    }

    @Test func synchronizeFromAHostCallbackThrowsInsteadOfHanging() throws {
        let device = try VulkanTests.requireDevice()
        let queue = try device.makeQueue()
        let result = Mutex<DeviceError?>(nil)
        try queue.enqueueHostCallback {
            do throws(DeviceError) { try queue.synchronize() } catch { result.withLock { $0 = error } }
        }
        try queue.synchronize()
        guard case .invalidArgument = result.withLock({ $0 }) else { Issue.record("expected invalidArgument"); return }
    }
}
