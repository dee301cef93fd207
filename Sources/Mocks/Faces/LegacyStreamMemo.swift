#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Each thread's memo of `CudaRuntime.legacyDefaultStream`: the (redirector generation,
/// `cuda:N`) it last answered, and the stream's address, which the runtime keeps alive as long
/// as it lives (streams of retired generations too).
///
/// The memo is plain values (thread-specific keys), so that a caller may keep it in a global
/// and read it with no reference counting: Swift retains a class reference read from a global
/// around every call out, which on the copies' hot path would cost more than the lookup.
public struct LegacyStreamMemo: Sendable {
    @usableFromInline let devices: PerThreadInteger.Slot
    @usableFromInline let keys: PerThreadInteger.Slot
    @usableFromInline let streams: PerThreadInteger.Slot

    init(devices: PerThreadInteger, keys: PerThreadInteger, streams: PerThreadInteger) {
        (self.devices, self.keys, self.streams) = (devices.slot, keys.slot, streams.slot)
    }

    /// The stream the calling thread last found for `cuda:index` (its current device when nil),
    /// if `generation` (the redirector's, which the caller reads) is the one it was found in.
    @inlinable public func stream(for index: Int? = nil, generation: Int) -> CudaStream? {
        unmanagedStream(for: index, generation: generation)?.takeUnretainedValue()
    }

    /// `stream(for:generation:)` unretained, for a caller that lends it to its work without
    /// retaining it (the runtime keeps it alive).
    @inlinable public func unmanagedStream(for index: Int? = nil, generation: Int) -> Unmanaged<CudaStream>? {
        let key = Self.key(generation: generation, index: index ?? devices.value)
        guard key != 0, keys.value == key, let address = UnsafeRawPointer(bitPattern: streams.value) else { return nil }
        return Unmanaged<CudaStream>.fromOpaque(address)
    }

    /// Makes `stream` the calling thread's answer for `cuda:index` in `generation`. The caller
    /// keeps `stream` alive as long as the memo's runtime.
    func remember(_ stream: CudaStream, for index: Int, generation: Int) {
        let key = Self.key(generation: generation, index: index)
        guard key != 0 else { return }
        streams.store(Int(bitPattern: Unmanaged.passUnretained(stream).toOpaque()))
        keys.store(key)
    }

    /// `index` and `generation` as one nonzero integer, or 0 when they do not fit.
    @inlinable static func key(generation: Int, index: Int) -> Int {
        guard index >= 0, index < 1 << 20, generation >= 0, generation < 1 << 40 else { return 0 }
        return generation << 20 | (index + 1)
    }
}
