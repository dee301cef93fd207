#if canImport(Glibc)
import Glibc
#endif
import CNativeCaller
import Synchronization

/// Finds the native code that called one of DeviceShim's C entry points.
///
/// The stack is unwound (libunwind) from inside DeviceShim; the first frames belong to the
/// unwinder, then come DeviceShim's own frames, and the first frame after those that is not
/// DeviceShim's (nor the Swift runtime's) is the caller. No fixed frame count is assumed, so
/// inlining and build modes cannot shift the answer. Each return address is symbolised once
/// (dladdr, then DWARF through libdw) and cached.
public final class NativeCallers: Sendable {
    public static let shared = NativeCallers()

    private let internalObjects: Mutex<[Range<UInt>]>
    private let cache = Mutex<[UInt: Caller]>([:])
    static let maximumDepth = 64

    init() {
        var ranges: [Range<UInt>] = []
        for address in [#dsohandle, NativeCallers.swiftRuntimeAddress()].compactMap({ $0 }) {
            if let range = NativeCallers.objectRange(containing: address), !ranges.contains(range) { ranges.append(range) }
        }
        internalObjects = Mutex(ranges)
    }

    /// Treats the loaded object containing `address` as part of DeviceShim: its frames are
    /// skipped when looking for a caller (for wrappers such as drop-in libraries).
    public func treatAsInternal(objectContaining address: UnsafeRawPointer) {
        guard let range = NativeCallers.objectRange(containing: address) else { return }
        internalObjects.withLock { if !$0.contains(range) { $0.append(range) } }
    }

    /// The first caller outside DeviceShim on the current thread's stack, symbolised.
    /// Nil if the stack never left DeviceShim (e.g. a Swift caller inside the same image).
    public func caller() -> Caller? {
        callerReturnAddress().map(symbolised)
    }

    /// The return address into the first frame outside DeviceShim, unsymbolised.
    public func callerReturnAddress() -> UInt? {
        let internalObjects = self.internalObjects.withLock { $0 }
        return withUnsafeTemporaryAllocation(of: UInt.self, capacity: NativeCallers.maximumDepth) { frames in
            let count = Int(ds_capture_stack(frames.baseAddress!, Int32(frames.count)))
            var enteredDeviceShim = false
            for address in frames.prefix(count) {
                let isInternal = internalObjects.contains { $0.contains(address) }
                if isInternal {
                    enteredDeviceShim = true
                } else if enteredDeviceShim {
                    return address
                }
            }
            return nil
        }
    }

    /// What is known about a return address (cached per address).
    public func symbolised(_ returnAddress: UInt) -> Caller {
        if let known = cache.withLock({ $0[returnAddress] }) { return known }
        var info = ds_symbol_info()
        ds_symbolize(returnAddress, &info)
        defer { ds_symbol_info_free(&info) }
        let caller = Caller(
            symbol: info.symbol.map { String(cString: $0) },
            object: info.object.map { String(cString: $0) },
            offset: info.symbol != nil || info.object != nil ? UInt(info.offset) : nil,
            file: info.file.map { String(cString: $0) },
            line: info.line > 0 ? Int(info.line) : nil)
        cache.withLock { $0[returnAddress] = caller }
        return caller
    }

    /// How the stack is unwound and whether DWARF lines are available, for diagnostics.
    public static var capabilities: String {
        "unwinder: " + String(cString: ds_unwinder_description()) + "; DWARF lines: "
            + (ds_dwarf_available() != 0 ? "libdw" : "unavailable (libdw.so.1 not found)")
    }

    static func objectRange(containing address: UnsafeRawPointer) -> Range<UInt>? {
        var start: UInt = 0
        var end: UInt = 0
        guard ds_object_range(address, &start, &end) == 0 else { return nil }
        return start..<end
    }

    /// An address inside the Swift runtime library, when it is a separate object.
    private static func swiftRuntimeAddress() -> UnsafeRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "swift_retain").map { UnsafeRawPointer($0) }
    }
}
