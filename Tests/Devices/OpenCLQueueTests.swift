#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing
@testable import DeviceShimDevices

/// Copies, fills, markers, waits across queues and backends, host callbacks, and errors.
@Suite(.enabled(if: OpenCLTestDevice.isAvailable, OpenCLTestDevice.skipReason))
struct OpenCLQueueTests {
    @Test func copiesRoundTripWithOffsets() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let source = (0..<256).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        let first = try device.allocate(byteCount: 300), second = try device.allocate(byteCount: 300)
        try queue.fill(BufferRegion(first), with: FillPattern(byte: 0xEE))
        try source.withUnsafeBytes { try queue.copy(from: $0.baseAddress! + 10, to: BufferRegion(first, offset: 33, byteCount: 200)) }
        try queue.copy(from: BufferRegion(first, offset: 33, byteCount: 200), to: BufferRegion(second, offset: 1, byteCount: 200))
        var back = [UInt8](repeating: 0, count: 202)
        try back.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(second, offset: 0, byteCount: 202), to: $0.baseAddress!) }
        var head = [UInt8](repeating: 0, count: 33)
        try head.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(first, offset: 0, byteCount: 33), to: $0.baseAddress!) }
        try queue.synchronize()
        #expect(Array(back[1...200]) == Array(source[10..<210]))
        #expect(head == [UInt8](repeating: 0xEE, count: 33))
    }

    @Test(arguments: [1, 2, 4, 8])
    func fillsMatchTheCPUAtAnyOffset(width: Int) throws {
        let device = try OpenCLTestDevice.device()
        let (queue, cpuQueue) = (try device.makeQueue(), try CPUDevice.shared.makeQueue())
        let narrow = switch width {
        case 1: FillPattern(byte: 0x08)
        case 2: FillPattern(element: UInt16(0x0708))
        case 4: FillPattern(element: UInt32(0x0506_0708))
        default: FillPattern(element: UInt64(0x0102_0304_0506_0708))
        }
        for offset in [0, 1, 3, 5, 8] {
            let cpu = try #require(try CPUDevice.shared.allocate(byteCount: 100) as? CPUBuffer)
            let opencl = try device.allocate(byteCount: 100)
            memset(cpu.baseAddress, 0xAA, 100)
            try queue.fill(BufferRegion(opencl), with: FillPattern(byte: 0xAA))
            let size = 80 / width * width
            try cpuQueue.fill(BufferRegion(cpu, offset: offset, byteCount: size), with: narrow)
            try cpuQueue.synchronize()
            try queue.fill(BufferRegion(opencl, offset: offset, byteCount: size), with: narrow)
            var back = [UInt8](repeating: 0, count: 100)
            try back.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(opencl), to: $0.baseAddress!) }
            try queue.synchronize()
            #expect(back == Array(UnsafeRawBufferPointer(start: cpu.baseAddress, count: 100)), "width \(width) offset \(offset)")
        }
        #expect(throws: DeviceError.self) {
            try queue.fill(BufferRegion(try device.allocate(byteCount: 10), offset: 0, byteCount: 6), with: FillPattern(element: UInt32(1)))
        }
    }

    @Test func markersHaveIncreasingDeviceTimes() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 1 << 20)
        let first = try queue.enqueueMarker()
        try queue.fill(BufferRegion(buffer), with: FillPattern(byte: 1))
        let second = try queue.enqueueMarker()
        try second.wait()
        #expect(first.isComplete && second.isComplete)
        let (start, end) = (try #require(first.completionTimeNanoseconds), try #require(second.completionTimeNanoseconds))
        #expect(start <= end)
        #expect(queue.isIdle)
    }

    /// A host callback on queue 1 sleeps, then writes; queue 2 waits for queue 1's marker
    /// before reading, so it must see the write. Also across backends: a CPU queue waits for
    /// an OpenCL marker and an OpenCL queue for a CPU marker.
    @Test func waitsOrderWorkAcrossQueuesAndBackends() throws {
        let device = try OpenCLTestDevice.device()
        let (first, second) = (try device.makeQueue(), try device.makeQueue())
        let buffer = try device.allocate(byteCount: 4)
        try first.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(0)))
        try first.enqueueHostCallback { usleep(100_000) }
        try first.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(7)))
        try second.wait(for: try first.enqueueMarker())
        var value: UInt32 = 0
        try withUnsafeMutableBytes(of: &value) {  // the pointer is valid only inside: wait there
            try second.copy(from: BufferRegion(buffer), to: $0.baseAddress!)
            try second.synchronize()
        }
        #expect(value == 7)

        let cpuQueue = try CPUDevice.shared.makeQueue()
        let flag = Atomic<Int>(0)
        try cpuQueue.enqueueHostCallback { usleep(100_000); flag.store(1, ordering: .releasing) }
        try first.wait(for: try cpuQueue.enqueueMarker())
        let seen = Atomic<Int>(-1)
        try first.enqueueHostCallback { seen.store(flag.load(ordering: .acquiring), ordering: .relaxed) }
        try first.synchronize()
        #expect(seen.load(ordering: .relaxed) == 1)

        try first.enqueueHostCallback { usleep(50_000) }
        try first.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(9)))
        try cpuQueue.wait(for: try first.enqueueMarker())
        let cpuSeen = Atomic<Int>(0)
        try cpuQueue.enqueueHostCallback { cpuSeen.store(1, ordering: .relaxed) }
        try cpuQueue.synchronize()
        #expect(cpuSeen.load(ordering: .relaxed) == 1)
        #expect(first.isIdle)
    }

    /// A wait for a marker of the same context, held behind a host callback, must keep the
    /// marker's event alive: the caller may drop the marker (as a CUDA program destroys an
    /// event right after cudaStreamWaitEvent) and its queue move on, so the event would be
    /// freed before the held barrier names it. PoCL then locks the freed event's mutex and
    /// aborts the process ("PTHREAD ERROR in pocl_lock_events_inorder").
    @Test func aHeldWaitKeepsADroppedMarkersEvent() throws {
        let device = try OpenCLTestDevice.device()
        let (first, second) = (try device.makeQueue(), try device.makeQueue())
        let buffer = try device.allocate(byteCount: 4)
        let release = DispatchSemaphore(value: 0)
        try second.enqueueHostCallback { release.wait() }
        do {
            try first.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(5)))
            let marker = try first.enqueueMarker()
            try second.wait(for: marker)  // held: the callback has closed second's gate
        }
        // The marker is gone; first's next command drops first's reference to its event.
        let other = try device.allocate(byteCount: 4)
        try first.fill(BufferRegion(other), with: FillPattern(element: UInt32(1)))
        try first.synchronize()
        release.signal()
        var value: UInt32 = 0
        try withUnsafeMutableBytes(of: &value) {
            try second.copy(from: BufferRegion(buffer), to: $0.baseAddress!)
            try second.synchronize()
        }
        #expect(value == 5)
    }

    /// Threads that enqueue on one queue while others synchronize or ask whether it is idle:
    /// each enqueue releases the queue's reference to the previous last event, which the
    /// waiting threads must hold a reference of their own to while they query it.
    @Test func synchronizeAndIsIdleRaceEnqueuesOnOtherThreads() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffers = try (0..<4).map { _ in try device.allocate(byteCount: 64) }
        let failures = Mutex<[DeviceError]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for item in 0..<4000 {
                do throws(DeviceError) {
                    try queue.fill(BufferRegion(buffers[thread]), with: FillPattern(byte: UInt8(truncatingIfNeeded: item)))
                    if item % 2 == thread % 2 { try queue.synchronize() } else { _ = queue.isIdle }
                } catch {
                    failures.withLock { $0.append(error) }
                }
            }
        }
        try queue.synchronize()
        #expect(failures.withLock { $0 }.isEmpty)
    }

    @Test func hostCallbacksRunInOrder() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let order = Mutex<[Int]>([])
        for index in 0..<5 {
            try queue.enqueueHostCallback { order.withLock { $0.append(index) } }
        }
        try queue.enqueueStatusCallback { error in order.withLock { $0.append(error == nil ? 100 : -1) } }
        try queue.synchronize()
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4, 100])
        let nested = Mutex<DeviceError?>(nil)
        try queue.enqueueHostCallback { [queue] in
            do throws(DeviceError) { try queue.synchronize() } catch { nested.withLock { $0 = error } }
        }
        try queue.synchronize()
        #expect(nested.withLock { $0 } != nil)
    }

    /// A foreign marker that fails fails the queue: later work does not run, synchronize
    /// throws the error, status callbacks get it, later markers fail.
    @Test func aFailedForeignMarkerFailsTheQueue() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 4)
        try queue.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(1)))
        try queue.wait(for: FailingMarker())
        try queue.fill(BufferRegion(buffer), with: FillPattern(element: UInt32(2)))
        let status = Mutex<DeviceError?>(nil)
        try queue.enqueueStatusCallback { error in status.withLock { $0 = error } }
        #expect(throws: DeviceError.self) { try queue.synchronize() }
        #expect(status.withLock { $0 } != nil)
        let marker = try queue.enqueueMarker()
        #expect(throws: DeviceError.self) { try marker.wait() }
        let fresh = try device.makeQueue()
        var value: UInt32 = 0
        try withUnsafeMutableBytes(of: &value) {  // the pointer is valid only inside: wait there
            try fresh.copy(from: BufferRegion(buffer), to: $0.baseAddress!)
            try fresh.synchronize()
        }
        #expect(value == 1)
    }

    @Test func badInputThrows() throws {
        let device = try OpenCLTestDevice.device()
        let queue = try device.makeQueue()
        let buffer = try device.allocate(byteCount: 16)
        var host = [UInt8](repeating: 0, count: 64)
        #expect(throws: DeviceError.self) {
            try host.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(buffer, offset: 8, byteCount: 16), to: $0.baseAddress!) }
        }
        let operand = StridedOperand(buffer, dtype: .float32, offset: 2, shape: [4])
        #expect(throws: DeviceError.self) { try queue.unary(.exp, input: operand, output: operand) }
        let cpuBuffer = try CPUDevice.shared.allocate(byteCount: 16)
        #expect(throws: DeviceError.self) { try queue.copy(from: BufferRegion(cpuBuffer), to: BufferRegion(buffer)) }
        do {
            _ = try device.allocate(byteCount: Int(device.properties.memoryBytes) * 4)
            Issue.record("a buffer four times the device's memory was allocated")
        } catch {
            guard case .outOfMemory = error else { throw error }
        }
        try queue.synchronize()
    }
}

/// A marker of no queue that fails shortly after it is waited on.
final class FailingMarker: QueueMarker {
    var isComplete: Bool { false }
    var completionTimeNanoseconds: UInt64? { nil }
    func wait() throws(DeviceError) {
        usleep(50_000)
        throw .deviceLost(device: DeviceID(.cpu, 0), reason: "test failure")
    }
}
