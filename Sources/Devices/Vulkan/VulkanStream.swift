#if canImport(Glibc)
import Glibc
#endif
import CVulkan
import Dispatch
import Synchronization

/// One stream of Vulkan work: commands are recorded into the current command buffer (a
/// batch) and submitted when a marker, a host step, `synchronize`, `isIdle` or the size
/// limit needs it. Every step — a submitted batch or a host step — takes the next value of
/// the stream's timeline semaphore; a batch waits for the value before it, so the stream
/// stays in order even though all streams share one VkQueue.
///
/// A completion thread (a serial DispatchQueue) follows the timeline in order: after a
/// batch it copies staged reads to host memory, resolves markers with their timestamps and
/// releases what the batch held; a host step runs there once the value before it is
/// reached, then signals its own value from the host (vkSignalSemaphore). Batches recorded
/// behind a pending host step are held and submitted when it finishes — or, once the stream
/// has failed, never run (their values are signalled from the host so waiters go on).
final class VulkanStream: @unchecked Sendable {
    // Sendable: handles are immutable; recording state is behind `state`, the error behind `failure`.

    /// Commands recorded into one batch before it is submitted without being asked.
    static let batchCommandLimit = 256

    let vulkan: VulkanDevice
    let timeline: VkSemaphore
    private let pool: VkCommandPool
    private let completion = DispatchQueue(label: "deviceshim.vulkan.stream")
    private let state = Mutex(State())
    /// The first error the stream's work raised; sticky.
    let failure = Mutex<DeviceError?>(nil)
    /// The completion thread while it runs a step, so `synchronize` from a callback throws.
    private let completionThread = Atomic<UInt>(0)
    private let queries: VulkanTimestamps
    /// Staging buffers for host transfers (the device's pool).
    var staging: VulkanStagingPool { vulkan.staging }

    private struct State: @unchecked Sendable {  // owned by `state`
        var recording: VulkanBatch?
        var lastValue: UInt64 = 0
        var pendingHostSteps: [UInt64] = []
        var held: [(gate: UInt64, batch: VulkanBatch)] = []
        var spareCommandBuffers: [VkCommandBuffer] = []
        /// Semaphore waits for the next batch (markers of other streams of this device).
        var nextWaits: [(semaphore: VkSemaphore, value: UInt64, marker: VulkanMarker)] = []
        var outstanding = 0
    }

    init(device: VulkanDevice) throws(DeviceError) {
        vulkan = device
        let functions = device.functions
        var typeInfo = VkSemaphoreTypeCreateInfo()
        typeInfo.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO
        typeInfo.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE
        var semaphore: VkSemaphore?
        let created = withUnsafePointer(to: &typeInfo) { typePointer in
            var info = VkSemaphoreCreateInfo()
            info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO
            info.pNext = UnsafeRawPointer(typePointer)
            return functions.vkCreateSemaphore!(device.handle, &info, nil, &semaphore)
        }
        guard created == VK_SUCCESS, let semaphore else { throw device.error(created, call: "vkCreateSemaphore") }
        var poolInfo = VkCommandPoolCreateInfo()
        poolInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO
        poolInfo.flags = UInt32(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT.rawValue)
        poolInfo.queueFamilyIndex = device.support.queue_family
        var pool: VkCommandPool?
        let poolCreated = functions.vkCreateCommandPool!(device.handle, &poolInfo, nil, &pool)
        guard poolCreated == VK_SUCCESS, let pool else {
            functions.vkDestroySemaphore!(device.handle, semaphore, nil)
            throw device.error(poolCreated, call: "vkCreateCommandPool")
        }
        timeline = semaphore
        self.pool = pool
        queries = VulkanTimestamps(device: device)
    }

    deinit {
        // Every step holds the stream until it finished, so nothing of it is in flight now.
        let functions = vulkan.functions
        functions.vkDestroyCommandPool!(vulkan.handle, pool, nil)
        functions.vkDestroySemaphore!(vulkan.handle, timeline, nil)
    }

    var isFailed: Bool { failure.withLock { $0 != nil } }

    func fail(_ error: DeviceError) {
        failure.withLock { if $0 == nil { $0 = error } }
    }

    // MARK: - Recording

    /// Records one command (after a barrier on earlier ones) holding `retained` until the
    /// batch completes, then giving `staging` back to the pool (after copying `readback`
    /// bytes of it to host memory); skipped once the stream failed.
    func record(retaining retained: [AnyObject], staging: VulkanBuffer? = nil, readback: (host: HostAddress, count: Int)? = nil,
                _ body: (VkCommandBuffer) -> Void) throws(DeviceError) {
        try vulkan.checkNotLost()
        let outcome: DeviceError? = state.withLock { state in
            if isFailed {
                if let staging { self.staging.give(staging) }
                return nil
            }
            do throws(DeviceError) {
                let batch = try currentBatch(&state)
                if batch.commandCount > 0 { VulkanCommands.barrier(vulkan, batch.commandBuffer) }
                body(batch.commandBuffer)
                batch.commandCount += 1
                batch.retained.append(contentsOf: retained)
                if let staging { batch.staging.append(staging) }
                if let staging, let readback { batch.readbacks.append((staging, readback.host, readback.count)) }
                if batch.commandCount >= Self.batchCommandLimit { flush(&state) }
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
    }

    /// A marker after all work recorded so far; submits the batch.
    func marker() throws(DeviceError) -> VulkanMarker {
        try vulkan.checkNotLost()
        return try state.withLock { state throws(DeviceError) -> VulkanMarker in
            if let error = failure.withLock({ $0 }) { return VulkanMarker.failed(stream: self, error: error) }
            let batch = try currentBatch(&state)
            let marker = VulkanMarker(stream: self, value: state.lastValue + 1)
            let slot = try queries.write(batch.commandBuffer)
            batch.markers.append((marker, slot))
            flush(&state)
            return marker
        }
    }

    /// Work recorded after this waits (on the GPU) for `marker` of another stream of this device.
    func waitOnDevice(for marker: VulkanMarker) {
        state.withLock { state in
            flush(&state)
            state.nextWaits.append((marker.stream.timeline, marker.value, marker))
        }
    }

    private func currentBatch(_ state: inout State) throws(DeviceError) -> VulkanBatch {
        if let batch = state.recording { return batch }
        let commandBuffer: VkCommandBuffer
        if let spare = state.spareCommandBuffers.popLast() {
            commandBuffer = spare
        } else {
            commandBuffer = try VulkanCommands.allocate(vulkan, pool: pool)
        }
        try VulkanCommands.begin(vulkan, commandBuffer)
        let batch = VulkanBatch(commandBuffer: commandBuffer)
        batch.waits = state.nextWaits.map { ($0.semaphore, $0.value) }
        batch.retained = state.nextWaits.map(\.marker)
        state.nextWaits = []
        state.recording = batch
        return batch
    }

    /// Ends and submits the current batch (or holds it behind a pending host step).
    private func flush(_ state: inout State) {
        guard let batch = state.recording else { return }
        state.recording = nil
        VulkanCommands.end(vulkan, batch.commandBuffer)
        state.lastValue += 1
        batch.value = state.lastValue
        state.outstanding += 1
        if let gate = state.pendingHostSteps.last {
            state.held.append((gate, batch))
        } else if !isFailed {
            // A batch recorded before a host step failed the stream, but flushed after it,
            // comes after the failure: it never runs (`finish` signals its value).
            submit(batch)
        }
        completion.async { [self] in finish(batch) }
    }

    private func submit(_ batch: VulkanBatch) {
        let result = VulkanCommands.submit(vulkan, batch: batch, timeline: timeline)
        if result == VK_SUCCESS {
            batch.submitted = true
            for (marker, _) in batch.markers { marker.isSubmitted.store(true, ordering: .releasing) }
        } else {
            fail(vulkan.error(result, call: "vkQueueSubmit"))
        }
    }

    // MARK: - Host steps

    /// Runs `action` on the completion thread once all earlier work is done; later work waits
    /// for it. Skipped on a failed stream unless `evenAfterFailure`; an error it throws fails the stream.
    func hostStep(evenAfterFailure: Bool, _ action: @escaping @Sendable () throws(DeviceError) -> Void) throws(DeviceError) {
        try vulkan.checkNotLost()
        state.withLock { state in
            flush(&state)
            state.lastValue += 1
            let value = state.lastValue
            state.pendingHostSteps.append(value)
            state.outstanding += 1
            completion.async { [self] in runHostStep(value: value, evenAfterFailure: evenAfterFailure, action) }
        }
    }

    private func runHostStep(value: UInt64, evenAfterFailure: Bool, _ action: () throws(DeviceError) -> Void) {
        if let error = waitForTimeline(value - 1) { fail(error) }
        if evenAfterFailure || !isFailed {
            completionThread.store(UInt(pthread_self()), ordering: .relaxed)
            do throws(DeviceError) { try action() } catch { fail(error) }
            completionThread.store(0, ordering: .relaxed)
        }
        signalTimeline(value)
        state.withLock { state in
            state.pendingHostSteps.removeFirst()
            let ready = state.held.filter { $0.gate == value }.map(\.batch)
            state.held.removeAll { $0.gate == value }
            if !isFailed { ready.forEach(submit) }
            state.outstanding -= 1
        }
    }

    // MARK: - Completion

    private func finish(_ batch: VulkanBatch) {
        if batch.submitted {
            if let error = waitForTimeline(batch.value) { fail(error) }
        } else {
            _ = waitForTimeline(batch.value - 1)
            signalTimeline(batch.value)
        }
        let error = failure.withLock { $0 }
        if error == nil {
            for read in batch.readbacks where read.count > 0 {
                if let source = read.staging.mappedAddress { read.host.pointer.copyMemory(from: source, byteCount: read.count) }
            }
        }
        let times = error == nil ? batch.markers.map { queries.read($0.1) } : []
        state.withLock { state in
            VulkanCommands.reset(vulkan, batch.commandBuffer)
            state.spareCommandBuffers.append(batch.commandBuffer)
            state.outstanding -= 1
        }
        // Markers resolve once the batch is counted done, so whoever they wake finds the
        // queue idle (`isIdle`, `cudaStreamQuery`).
        for (index, (marker, _)) in batch.markers.enumerated() {
            if let error { marker.fail(error) } else { marker.complete(nanoseconds: times[index]) }
        }
        for (_, slot) in batch.markers { queries.release(slot) }
        batch.retained = []
        batch.readbacks = []
        batch.staging.forEach(staging.give)
        batch.staging = []
    }

    private func waitForTimeline(_ value: UInt64) -> DeviceError? {
        guard value > 0 else { return nil }
        var semaphore: VkSemaphore? = timeline
        var target = value
        var info = VkSemaphoreWaitInfo()
        info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO
        info.semaphoreCount = 1
        let result = withUnsafePointer(to: &semaphore) { semaphores in
            withUnsafePointer(to: &target) { values in
                info.pSemaphores = semaphores
                info.pValues = values
                return vulkan.functions.vkWaitSemaphores!(vulkan.handle, &info, UInt64.max)
            }
        }
        return result == VK_SUCCESS ? nil : vulkan.error(result, call: "vkWaitSemaphores")
    }

    private func signalTimeline(_ value: UInt64) {
        var info = VkSemaphoreSignalInfo()
        info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO
        info.semaphore = timeline
        info.value = value
        let result = vulkan.functions.vkSignalSemaphore!(vulkan.handle, &info)
        if result != VK_SUCCESS { fail(vulkan.error(result, call: "vkSignalSemaphore")) }
    }

    // MARK: - Waiting

    var isIdle: Bool {
        state.withLock { state in
            flush(&state)
            return state.outstanding == 0
        }
    }

    func synchronize() throws(DeviceError) {
        guard completionThread.load(ordering: .relaxed) != UInt(pthread_self()) else {
            throw .invalidArgument("synchronize was called from a host callback of the same queue, which would wait forever")
        }
        state.withLock { flush(&$0) }
        completion.sync {}
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
