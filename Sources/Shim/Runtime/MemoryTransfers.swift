#if canImport(Glibc)
import Glibc
#endif

/// Copies and fills for the memory exports, queued on a stream's backend queue in stream
/// order. CUDA's synchronous calls (`cudaMemcpy`, `cudaMemcpy2D`) and any copy touching
/// pageable host memory wait for the copy before returning, as CUDA's do; with pinned
/// memory the async forms return at once.
enum MemoryTransfers {
    /// Copies `count` bytes from `source` to `destination` (`cudaMemcpy*`); returns the
    /// direction it inferred, for the record. Inlined with the steps it takes, so that the two
    /// pointers' places are not copied from call to call: an 8-byte `cudaMemcpy` ran 1185
    /// instructions where it ran 1257 (callgrind).
    @discardableResult @inline(__always)
    static func copy(to destination: UnsafeMutableRawPointer?, from source: UnsafeRawPointer?, count: Int, kind: Int32,
                     on stream: CudaStream, waits: Bool) throws(CudaError) -> CopyKind {
        let kind = try CopyKind(validating: kind)
        let (to, from) = try MemoryPlace.of(destination, source)
        try kind.check(source: from, destination: to)
        let (direction, waits) = (direction(from, to), waits || to.isPageable || from.isPageable)
        try queueCopy(to: consume to, from: consume from, count: count, on: stream)
        if waits { try stream.finishQueuedWork() }
        return direction
    }

    /// Copies `count` bytes at once on the calling thread when that is the whole of what the
    /// full path (`copy`) would do and it would succeed silently: the log takes no record of
    /// it, both pointers are host bytes (host memory, or device memory the host addresses)
    /// that agree with `kind`, and the stream has nothing to run first. Says whether it did;
    /// when it did not, nothing happened. An 8-byte `cudaMemcpy` so ran 680 instructions
    /// where the full path ran 1185 (callgrind).
    @inline(__always)
    static func copyNow(to destination: UnsafeMutableRawPointer?, from source: UnsafeRawPointer?, count: Int, kind: Int32,
                        on handle: OpaquePointer?) -> Bool {
        guard count > 0, let direction = CopyKind(rawValue: kind), let destination, let source,
              CudaCall.succeedsSilently,
              let (to, from, buffers) = MemoryPlace.registry.hostBytes(UInt(bitPattern: destination), UInt(bitPattern: source),
                                                                       count: count, deviceRange: MemoryPlace.deviceRange)
        else { return false }
        defer { buffers.0?.release(); buffers.1?.release() }
        guard direction.agrees(source: (from.isDevice, from.isManaged), destination: (to.isDevice, to.isManaged)) else {
            return false
        }
        return CudaHandles.withKnownStream(handle) { stream in stream.copyNow(from: from.address, to: to.address, count: count) }
    }

    /// Copies `height` rows of `width` bytes between pitched memory (`cudaMemcpy2D*`).
    static func copy2D(to destination: UnsafeMutableRawPointer?, pitch destinationPitch: Int, from source: UnsafeRawPointer?,
                       pitch sourcePitch: Int, width: Int, height: Int, kind: Int32, on stream: CudaStream, waits: Bool) throws(CudaError) {
        let kind = try CopyKind(validating: kind)
        guard width <= destinationPitch, width <= sourcePitch else { throw .invalidPitchValue }
        let (to, from) = (try MemoryPlace.of(destination), try MemoryPlace.of(source))
        try kind.check(source: from, destination: to)
        guard width > 0, height > 0, let destination, let source else { return }
        try checkRows(from: destination, pitch: destinationPitch, width: width, height: height, in: to)
        try checkRows(from: source, pitch: sourcePitch, width: width, height: height, in: from)
        for row in 0..<height {
            try queueCopy(to: MemoryPlace.of(destination + row * destinationPitch), from: MemoryPlace.of(source + row * sourcePitch),
                          count: width, on: stream)
        }
        if waits || to.isPageable || from.isPageable { try stream.finishQueuedWork() }
    }

    /// Checks `height` rows of `width` bytes, `pitch` apart from `start`, before any is copied
    /// or filled, as CUDA checks a 2D range as a whole: every row lies in the memory the first
    /// does (`first`: the same allocation, or pageable host memory) and, on a device, inside
    /// its allocation. A range whose end no pointer can hold is `.invalidValue` too, so that
    /// `start + row * pitch` cannot overflow (a third row 2^63 bytes on traps). Before, each
    /// row was placed alone: with a pitch of 2^62 the second row of a device copy landed on
    /// a host address and was copied to as host memory (SIGSEGV).
    static func checkRows(from start: UnsafeRawPointer, pitch: Int, width: Int, height: Int,
                          in first: MemoryPlace) throws(CudaError) {
        let (span, spanOverflows) = (height - 1).multipliedReportingOverflow(by: pitch)
        let (length, lengthOverflows) = span.addingReportingOverflow(width)
        guard !spanOverflows, !lengthOverflows,
              !UInt(bitPattern: start).addingReportingOverflow(UInt(length)).overflow else { throw .invalidValue }
        for row in 1..<max(height, 1) {
            let place = try MemoryPlace.of(start + row * pitch)
            guard place.isInSameMemory(as: first) else { throw .invalidValue }
            _ = try place.deviceRegion(width)
        }
    }

    /// Sets `count` bytes at `destination` to `value`'s low byte (`cudaMemset*`): device
    /// memory on the queue, DeviceShim's host memory (managed, pinned) in a host callback.
    static func fill(_ destination: UnsafeMutableRawPointer?, value: Int32, count: Int, on stream: CudaStream) throws(CudaError) {
        let place = try MemoryPlace.of(destination)
        let byte = UInt8(truncatingIfNeeded: value)
        if let region = try place.deviceRegion(count) {
            try stream.enqueue { queue throws(DeviceError) in try queue.fill(region, with: FillPattern(byte: byte)) }
        } else if case let .pinnedHost(pointer, _) = place {
            try place.checkHostBytes(count)
            let target = HostAddress(pointer)
            try stream.enqueue { queue throws(DeviceError) in
                try queue.enqueueHostCallback { _ = memset(target.pointer, Int32(byte), count) }
            }
        } else {
            throw .invalidValue
        }
    }

    /// Takes the places, so that their buffers move into the regions queued (a copy of a place
    /// would retain its buffer once more).
    @inline(__always)
    private static func queueCopy(to: consuming MemoryPlace, from: consuming MemoryPlace, count: Int,
                                  on stream: CudaStream) throws(CudaError) {
        guard count > 0 else { return }
        let (toHost, fromHost) = (to.hostPointer.map(HostAddress.init), from.hostPointer.map(HostAddress.init))
        // Each region is bound once, straight from the place it is cut from: a region bound
        // again (in a later condition) would be copied, its buffer retained.
        if let target = try to.deviceRegion(count) {
            if let origin = try from.deviceRegion(count) {
                try enqueueCopy(from: origin, to: target, on: stream)
            } else if let fromHost {
                try enqueueCopy(from: UnsafeRawPointer(fromHost.pointer), to: target, on: stream)
            }
        } else if let origin = try from.deviceRegion(count) {
            if let toHost { try enqueueCopy(from: origin, to: toHost.pointer, on: stream) }
        } else if let toHost, let fromHost {
            try stream.enqueue { queue throws(DeviceError) in
                try queue.enqueueHostCallback { toHost.pointer.copyMemory(from: fromHost.pointer, byteCount: count) }
            }
        }
    }

    // The regions are parameters (borrowed), so the closures use them without a retain.
    private static func enqueueCopy(from source: BufferRegion, to target: BufferRegion, on stream: CudaStream) throws(CudaError) {
        try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: source, to: target) }
    }

    private static func enqueueCopy(from source: UnsafeRawPointer, to target: BufferRegion, on stream: CudaStream) throws(CudaError) {
        try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: source, to: target) }
    }

    private static func enqueueCopy(from source: BufferRegion, to target: UnsafeMutableRawPointer,
                                    on stream: CudaStream) throws(CudaError) {
        try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: source, to: target) }
    }

    private static func direction(_ from: MemoryPlace, _ to: MemoryPlace) -> CopyKind {
        switch (from.isDevice, to.isDevice) {
        case (false, false): .hostToHost
        case (false, true): .hostToDevice
        case (true, false): .deviceToHost
        case (true, true): .deviceToDevice
        }
    }
}
