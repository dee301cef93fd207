#if canImport(Glibc)
import Glibc
#endif

/// Copies and fills for the memory exports, queued on a stream's backend queue in stream
/// order. CUDA's synchronous calls (`cudaMemcpy`, `cudaMemcpy2D`) and any copy touching
/// pageable host memory wait for the copy before returning, as CUDA's do; with pinned
/// memory the async forms return at once.
enum MemoryTransfers {
    /// Copies `count` bytes from `source` to `destination` (`cudaMemcpy*`); returns the
    /// direction it inferred, for the record.
    @discardableResult
    static func copy(to destination: UnsafeMutableRawPointer?, from source: UnsafeRawPointer?, count: Int, kind: Int32,
                     on stream: CudaStream, waits: Bool) throws(CudaError) -> CopyKind {
        let kind = try CopyKind(validating: kind)
        let (to, from) = (try MemoryPlace.of(destination), try MemoryPlace.of(source))
        try kind.check(source: from, destination: to)
        try queueCopy(to: to, from: from, count: count, on: stream)
        if waits || to.isPageable || from.isPageable { try stream.finishQueuedWork() }
        return direction(from, to)
    }

    /// Copies `height` rows of `width` bytes between pitched memory (`cudaMemcpy2D*`).
    static func copy2D(to destination: UnsafeMutableRawPointer?, pitch destinationPitch: Int, from source: UnsafeRawPointer?,
                       pitch sourcePitch: Int, width: Int, height: Int, kind: Int32, on stream: CudaStream, waits: Bool) throws(CudaError) {
        let kind = try CopyKind(validating: kind)
        guard width <= destinationPitch, width <= sourcePitch else { throw .invalidPitchValue }
        let (to, from) = (try MemoryPlace.of(destination), try MemoryPlace.of(source))
        try kind.check(source: from, destination: to)
        guard width > 0, height > 0, let destination, let source else { return }
        var pageable = to.isPageable || from.isPageable
        for row in 0..<height {
            let rowTo = try MemoryPlace.of(destination + row * destinationPitch)
            let rowFrom = try MemoryPlace.of(source + row * sourcePitch)
            pageable = pageable || rowTo.isPageable || rowFrom.isPageable
            try queueCopy(to: rowTo, from: rowFrom, count: width, on: stream)
        }
        if waits || pageable { try stream.finishQueuedWork() }
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

    private static func queueCopy(to: MemoryPlace, from: MemoryPlace, count: Int, on stream: CudaStream) throws(CudaError) {
        guard count > 0 else { return }
        let (target, origin) = (try to.deviceRegion(count), try from.deviceRegion(count))
        switch (target, origin) {
        case let (target?, origin?):
            try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: origin, to: target) }
        case let (target?, nil):
            let host = HostAddress(from.hostPointer!)
            try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: UnsafeRawPointer(host.pointer), to: target) }
        case let (nil, origin?):
            let host = HostAddress(to.hostPointer!)
            try stream.enqueue { queue throws(DeviceError) in try queue.copy(from: origin, to: host.pointer) }
        case (nil, nil):
            let (host, other) = (HostAddress(to.hostPointer!), HostAddress(from.hostPointer!))
            try stream.enqueue { queue throws(DeviceError) in
                try queue.enqueueHostCallback { host.pointer.copyMemory(from: other.pointer, byteCount: count) }
            }
        }
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
