#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One pointer-sized integer per OS thread, 0 until a thread stores another: a POSIX
/// thread-specific key holding the value itself as the key's pointer bits, so no thread ever
/// allocates or needs a destructor. CUDA's per-thread state (last error, current device)
/// lives in these. Each instance holds one key (a process has at least 128) until deinit.
@usableFromInline
final class PerThreadInteger: Sendable {
    @usableFromInline let key: pthread_key_t

    init() {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "PerThreadInteger: pthread_key_create failed (\(status)): keys exhausted")
        self.key = key
    }

    deinit {
        pthread_key_delete(key)
    }

    /// The calling thread's value.
    @inlinable var value: Int { slot.value }

    /// The key as a plain value, through which a hot path reads without holding the instance
    /// (a reference read from a global is otherwise retained around each call out).
    @inlinable var slot: Slot { Slot(key: key) }

    @usableFromInline
    struct Slot: Sendable {
        @usableFromInline let key: pthread_key_t

        @inlinable init(key: pthread_key_t) { self.key = key }

        /// The calling thread's value.
        @inlinable var value: Int { Int(bitPattern: pthread_getspecific(key)) }

        /// See `PerThreadInteger.store`.
        func store(_ value: Int) {
            _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: value))
        }
    }

    /// Stores the calling thread's value. Fails only with ENOMEM, and only the first time a
    /// thread stores a value for a key beyond glibc's first 32; the value is then not kept,
    /// as a crash would be worse.
    func store(_ value: Int) {
        slot.store(value)
    }
}
