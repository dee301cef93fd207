import Synchronization

/// The tensors C programs hold, by handle (`deviceshim_tensor`, a 64-bit id; 0 is never one).
///
/// Ids come from an atomic counter and are never reused, so a freed or bogus handle is always
/// told apart from a live one. The table is behind a mutex; a call takes its tensors out under
/// the lock and works on its own copies, so another thread freeing a handle mid-call is safe.
final class TensorHandles: Sendable {
    static let shared = TensorHandles()

    /// A live tensor and the engine (so the policy) it was made under.
    struct Entry: Sendable {
        var tensor: Tensor
        var engine: TensorEngine
    }

    private let entries = Mutex<[UInt64: Entry]>([:])
    private let lastHandle = Atomic<UInt64>(0)
    /// The engine that C calls making tensors use: the process's policy, until `deviceshim_set_policy`.
    private let current = Mutex<TensorEngine?>(nil)

    /// The engine new tensors are made with.
    var engine: TensorEngine { current.withLock { $0 } ?? Self.processEngine }

    /// The process's policy (`Redirector.shared`), for C calls: its failures are recorded by
    /// the exports (`TensorCall`), with their C names, so the engine does not record them.
    private static let processEngine = TensorEngine(redirector: .shared, recordsFailures: false)

    /// Makes `engine` the one new tensors are made with (nil: the process's engine again).
    func use(_ engine: TensorEngine?) { current.withLock { $0 = engine } }

    /// Stores `entry` under a new handle.
    func register(_ entry: Entry) -> UInt64 {
        let handle = lastHandle.add(1, ordering: .relaxed).newValue
        entries.withLock { $0[handle] = entry }
        return handle
    }

    /// The tensor behind `handle`; `role` names the argument in the error ("a", "tensors[2]").
    func entry(_ handle: UInt64, role: String) throws(TensorCallError) -> Entry {
        guard let entry = entries.withLock({ $0[handle] }) else { throw unknown(handle, role: role) }
        return entry
    }

    /// The tensors behind `handles`, which must all have been made under one policy (tensors
    /// of two engines on one device would run on two unordered queues).
    func entries(_ handles: [(handle: UInt64, role: String)]) throws(TensorCallError) -> [Entry] {
        var found: [Entry] = []
        for (handle, role) in handles { found.append(try entry(handle, role: role)) }
        if let first = found.first, let index = found.firstIndex(where: { $0.engine !== first.engine }) {
            throw .deviceMismatch("\(handles[0].role) (tensor \(handles[0].handle)) and \(handles[index].role) (tensor "
                + "\(handles[index].handle)) were made under different policies (deviceshim_set_policy came between); "
                + "move one with deviceshim_tensor_to first")
        }
        return found
    }

    /// Removes `handle`, which must be live.
    func remove(_ handle: UInt64) throws(TensorCallError) -> Entry {
        guard let entry = entries.withLock({ $0.removeValue(forKey: handle) }) else { throw unknown(handle, role: "t") }
        return entry
    }

    /// How many handles are live.
    var count: Int { entries.withLock { $0.count } }

    /// Why `handle` names no tensor: 0, freed (ids are never reused), or never made.
    private func unknown(_ handle: UInt64, role: String) -> TensorCallError {
        if handle == 0 { return .invalidHandle("\(role) is 0, which is never a tensor handle") }
        if handle <= lastHandle.load(ordering: .relaxed) {
            return .invalidHandle("\(role) (tensor \(handle)) was freed with deviceshim_tensor_free")
        }
        return .invalidHandle("\(role) (\(handle)) is not a tensor handle DeviceShim made")
    }
}
