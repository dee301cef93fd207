import Synchronization

/// The handles the C ABI gives out for Swift objects (streams, events, cuBLAS handles): each
/// is the object's address, valid from creation until destruction. A value never given out,
/// or already destroyed, is not found, so a bogus handle is an error, never dereferenced.
final class HandleTable<Object: AnyObject & Sendable>: Sendable {
    /// Live objects sorted by address: a lookup (every async copy names its stream) is a
    /// binary search, cheaper than hashing the handle for a dictionary.
    private let objects = Mutex<[(address: UInt, object: Object)]>([])

    /// A new handle for `object`, which the table keeps alive until `remove`.
    func insert(_ object: Object) -> OpaquePointer {
        let address = HandleTable.address(of: object)
        objects.withLock { objects in
            let index = HandleTable.index(of: address, in: objects)
            if index < objects.count, objects[index].address == address {
                objects[index].object = object
            } else {
                objects.insert((address, object), at: index)
            }
        }
        return OpaquePointer(bitPattern: address)!
    }

    /// The object's address, which is its handle while it is live.
    static func address(of object: Object) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }

    /// The object `handle` names, if it is live.
    func lookup(_ handle: OpaquePointer?) -> Object? {
        let address = UInt(bitPattern: handle)
        return objects.withLock { objects in
            let index = HandleTable.index(of: address, in: objects)
            return index < objects.count && objects[index].address == address ? objects[index].object : nil
        }
    }

    /// Ends `handle`; returns its object, or nil if the handle was not live.
    func remove(_ handle: OpaquePointer?) -> Object? {
        let address = UInt(bitPattern: handle)
        return objects.withLock { objects in
            let index = HandleTable.index(of: address, in: objects)
            guard index < objects.count, objects[index].address == address else { return nil }
            return objects.remove(at: index).object
        }
    }

    /// Ends every handle whose object satisfies `condition` (`cudaDeviceReset`).
    func removeAll(where condition: (Object) -> Bool) {
        objects.withLock { objects in objects.removeAll { condition($0.object) } }
    }

    /// The first index whose address is at least `address` (binary search).
    private static func index(of address: UInt, in objects: [(address: UInt, object: Object)]) -> Int {
        var (low, high) = (0, objects.count)
        while low < high {
            let middle = (low + high) / 2
            if objects[middle].address < address { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The streams and events of the C ABI, and CUDA's special stream handles.
enum CudaHandles {
    static let streams = HandleTable<CudaStream>()
    /// The runtime's memo of each thread's legacy stream, held here as plain values (see
    /// `LegacyStreamMemo`).
    private static let legacyStreamMemo = CudaCall.runtime.legacyStreamMemo
    static let events = HandleTable<CudaEvent>()

    /// `cudaStreamLegacy` and `cudaStreamPerThread` as CUDA's header defines them.
    static let legacyStream = UInt(0x1), perThreadStream = UInt(0x2)

    /// The stream `handle` names: 0 and `cudaStreamLegacy` are the current device's legacy
    /// default stream, `cudaStreamPerThread` the thread's default stream; anything else must
    /// be a live stream (`.invalidResourceHandle` otherwise).
    static func stream(_ handle: OpaquePointer?, api: String) throws(CudaError) -> CudaStream {
        switch UInt(bitPattern: handle) {
        case 0, legacyStream:
            if let stream = legacyStreamMemo.stream(generation: CudaCall.runtime.redirector.generation) { return stream }
            return try CudaCall.runtime.legacyDefaultStream(nil, api: api, from: .native)
        case perThreadStream:
            return try StreamGroup.shared(for: CudaCall.resolve(api: api).device).perThreadDefaultStream()
        default:
            guard let stream = streams.lookup(handle) else { throw .invalidResourceHandle }
            return stream
        }
    }

    /// Runs `body` with the stream `handle` names (see `stream(_:api:)`); a legacy stream the
    /// thread has used before is lent without a retain (`rememberedLegacyStream`).
    static func withStream<Result>(_ handle: OpaquePointer?, api: String,
                                   _ body: (CudaStream) throws(CudaError) -> Result) throws(CudaError) -> Result {
        if let stream = rememberedLegacyStream(handle) {
            return try stream._withUnsafeGuaranteedRef { stream in
                Swift.Result { () throws(CudaError) in try body(stream) }
            }.get()
        }
        return try body(stream(handle, api: api))
    }

    /// Runs `body` with the stream `handle` names when it is found without a call's other
    /// steps (a legacy stream the thread has used before, lent as in `withStream`, or a live
    /// created stream); false, without running `body`, otherwise.
    @inline(__always)
    static func withKnownStream(_ handle: OpaquePointer?, _ body: (CudaStream) -> Bool) -> Bool {
        if let stream = rememberedLegacyStream(handle) { return stream._withUnsafeGuaranteedRef(body) }
        // 0, `cudaStreamLegacy` and `cudaStreamPerThread` are never in the table.
        return streams.lookup(handle).map(body) ?? false
    }

    /// The legacy stream, unretained, when `handle` names it and the thread's memo has it. The
    /// runtime keeps it alive, so a caller may lend it to its work without a retain and a
    /// release, which the copies' hot path is spared.
    @inline(__always)
    private static func rememberedLegacyStream(_ handle: OpaquePointer?) -> Unmanaged<CudaStream>? {
        let bits = UInt(bitPattern: handle)
        guard bits == 0 || bits == legacyStream else { return nil }
        return legacyStreamMemo.unmanagedStream(generation: CudaCall.runtime.redirector.generation)
    }

    /// The live event `handle` names, or `.invalidResourceHandle`.
    static func event(_ handle: OpaquePointer?) throws(CudaError) -> CudaEvent {
        guard let event = events.lookup(handle) else { throw .invalidResourceHandle }
        return event
    }

    /// The handle CUDA would give `stream` (0 for the legacy default stream), for callbacks.
    static func handle(of stream: CudaStream) -> OpaquePointer? {
        switch stream.kind {
        case .legacyDefault: nil
        case .perThreadDefault: OpaquePointer(bitPattern: perThreadStream)
        case .created: OpaquePointer(bitPattern: HandleTable.address(of: stream))
        }
    }
}
