import CVulkan
import CVulkanShaders

/// An in-order queue (a stream) of a `VulkanDevice`. Enqueue calls validate at once and
/// record into the stream's current command buffer; see `VulkanStream` for batching,
/// ordering and completion. Host writes are staged at enqueue (so the source may change
/// right after); host reads are staged and copied out on the completion thread before the
/// next marker or `synchronize` returns.
public final class VulkanQueue: DeviceQueue, @unchecked Sendable {
    // Sendable: both properties are immutable and themselves thread-safe.
    let vulkan: VulkanDevice
    let stream: VulkanStream

    init(device: VulkanDevice) throws(DeviceError) {
        vulkan = device
        stream = try VulkanStream(device: device)
    }

    public var device: any ComputeDevice { vulkan }

    // MARK: - Copies and fills

    public func copy(from source: UnsafeRawPointer, to destination: BufferRegion) throws(DeviceError) {
        let buffer = try VulkanValidation.region(destination, role: "destination", device: vulkan)
        let count = destination.byteCount
        guard count > 0 else { return }
        let staging = try stream.staging.take(byteCount: count, on: vulkan)
        staging.mappedAddress!.copyMemory(from: source, byteCount: count)
        try stream.record(retaining: [buffer], staging: staging) { commands in
            VulkanCommands.copy(vulkan, commands, from: staging.handle, at: 0, to: buffer.handle, at: destination.offset, count: count)
        }
    }

    public func copy(from source: BufferRegion, to destination: UnsafeMutableRawPointer) throws(DeviceError) {
        let buffer = try VulkanValidation.region(source, role: "source", device: vulkan)
        let count = source.byteCount
        guard count > 0 else { return }
        let staging = try stream.staging.take(byteCount: count, on: vulkan)
        try stream.record(retaining: [buffer], staging: staging, readback: (HostAddress(destination), count)) { commands in
            VulkanCommands.copy(vulkan, commands, from: buffer.handle, at: source.offset, to: staging.handle, at: 0, count: count)
        }
    }

    /// Between buffers of this device (overlapping ranges of one buffer go through a temporary buffer).
    public func copy(from source: BufferRegion, to destination: BufferRegion) throws(DeviceError) {
        let from = try VulkanValidation.region(source, role: "source", device: vulkan)
        let to = try VulkanValidation.region(destination, role: "destination", device: vulkan)
        guard source.byteCount == destination.byteCount else {
            throw .invalidArgument("the source has \(source.byteCount) bytes but the destination \(destination.byteCount)")
        }
        let count = source.byteCount
        guard count > 0, !(from === to && source.offset == destination.offset) else { return }
        let overlaps = from === to && source.offset < destination.offset + count && destination.offset < source.offset + count
        if overlaps {
            let temporary = try VulkanBuffer(device: vulkan, byteCount: count, kind: .device)
            try stream.record(retaining: [from, temporary]) { commands in
                VulkanCommands.copy(vulkan, commands, from: from.handle, at: source.offset, to: temporary.handle, at: 0, count: count)
            }
            try stream.record(retaining: [to, temporary]) { commands in
                VulkanCommands.copy(vulkan, commands, from: temporary.handle, at: 0, to: to.handle, at: destination.offset, count: count)
            }
            return
        }
        try stream.record(retaining: [from, to]) { commands in
            VulkanCommands.copy(vulkan, commands, from: from.handle, at: source.offset, to: to.handle, at: destination.offset, count: count)
        }
    }

    /// vkCmdFillBuffer where the range and pattern allow it (4-byte aligned, a pattern that
    /// repeats in 32 bits), the fill shader otherwise.
    public func fill(_ destination: BufferRegion, with pattern: FillPattern) throws(DeviceError) {
        let buffer = try VulkanValidation.region(destination, role: "destination", device: vulkan)
        try pattern.check(over: destination)
        let count = destination.byteCount
        guard count > 0 else { return }
        var bytes = pattern.bytes
        while bytes.count < 8 { bytes += bytes }
        let low = bytes[0..<4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        let high = bytes[4..<8].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        if destination.offset % 4 == 0, count % 4 == 0, pattern.bytes.count <= 4 {
            try stream.record(retaining: [buffer]) { commands in
                vulkan.functions.vkCmdFillBuffer!(commands, buffer.handle, UInt64(destination.offset), UInt64(count), low)
            }
            return
        }
        let pipeline = try vulkan.pipelines.pipeline(DS_VULKAN_SHADER_FILL, constants: [256])
        var words = PushWords()
        words.address(buffer.deviceAddress + UInt64(destination.offset))
        words.ints([count, pattern.bytes.count])
        words.words += [low, high]
        try stream.record(retaining: [buffer]) { commands in
            VulkanCommands.dispatch(vulkan, commands, pipeline: pipeline, words: words.words,
                                    groups: VulkanLayout.groups(items: count, groupSize: 256))
        }
    }

    // MARK: - Kernels (VulkanQueue+Kernels.swift)

    public func unary(_ op: UnaryOp, input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.unary(op), input.dtype)
        let inputBuffer = try VulkanValidation.operand(input, role: "input", dtype: input.dtype, device: vulkan)
        let outputBuffer = try VulkanValidation.operand(output, role: "output", dtype: op.outputType(for: input.dtype),
                                                        device: vulkan, isOutput: true)
        try input.checkSameShape("input", as: output, "output")
        try elementwise(kind: 0, op: Int32(UnaryOp.allCases.firstIndex(of: op)!), kernel: .unary(op),
                        output: (outputBuffer, output), inputs: [(inputBuffer, input)])
    }

    public func binary(_ op: BinaryOp, lhs: StridedOperand, rhs: StridedOperand, output: StridedOperand) throws(DeviceError) {
        let outputType = try op.outputType(lhs: lhs, rhs: rhs)
        try requireSupport(.binary(op), lhs.dtype)
        let lhsBuffer = try VulkanValidation.operand(lhs, role: "left operand", dtype: lhs.dtype, device: vulkan)
        let rhsBuffer = try VulkanValidation.operand(rhs, role: "right operand", dtype: lhs.dtype, device: vulkan)
        let outputBuffer = try VulkanValidation.operand(output, role: "output", dtype: outputType,
                                                        device: vulkan, isOutput: true)
        try lhs.checkSameShape("left operand", as: rhs, "right operand")
        try lhs.checkSameShape("left operand", as: output, "output")
        try elementwise(kind: 1, op: Int32(BinaryOp.allCases.firstIndex(of: op)!), kernel: .binary(op),
                        output: (outputBuffer, output), inputs: [(lhsBuffer, lhs), (rhsBuffer, rhs)])
    }

    public func convert(input: StridedOperand, output: StridedOperand) throws(DeviceError) {
        try requireSupport(.convert(from: input.dtype), output.dtype)
        let inputBuffer = try VulkanValidation.operand(input, role: "input", dtype: input.dtype, device: vulkan)
        let outputBuffer = try VulkanValidation.operand(output, role: "output", dtype: output.dtype, device: vulkan, isOutput: true)
        try input.checkSameShape("input", as: output, "output")
        try elementwise(kind: 2, op: 0, kernel: .convert(from: input.dtype),
                        output: (outputBuffer, output), inputs: [(inputBuffer, input)])
    }

    // MARK: - Ordering

    public func enqueueHostCallback(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
        try stream.hostStep(evenAfterFailure: false) { body() }
    }

    public func enqueueStatusCallback(_ body: @escaping @Sendable (DeviceError?) -> Void) throws(DeviceError) {
        let stream = self.stream
        try stream.hostStep(evenAfterFailure: true) { body(stream.failure.withLock { $0 }) }
    }

    public func enqueueMarker() throws(DeviceError) -> any QueueMarker {
        try stream.marker()
    }

    /// Markers of this device's queues whose work was submitted are waited for on the GPU (a
    /// semaphore wait); any other marker (not yet submitted, another device, another backend)
    /// on the completion thread.
    public func wait(for marker: any QueueMarker) throws(DeviceError) {
        if let marker = marker as? VulkanMarker, marker.device === vulkan, marker.value > 0,
           marker.isSubmitted.load(ordering: .acquiring) || marker.failure != nil {
            if let error = marker.failure {
                try stream.hostStep(evenAfterFailure: false) { () throws(DeviceError) in throw error }
            } else {
                stream.waitOnDevice(for: marker)
            }
            return
        }
        try stream.hostStep(evenAfterFailure: false) { () throws(DeviceError) in try marker.wait() }
    }

    public var isIdle: Bool { stream.isIdle }

    public func synchronize() throws(DeviceError) {
        try stream.synchronize()
    }

    func requireSupport(_ op: KernelOp, _ dtype: DType) throws(DeviceError) {
        guard vulkan.supports(op, dtype) else { throw .unsupported(device: vulkan.id, op: op, dtype: dtype) }
    }
}
