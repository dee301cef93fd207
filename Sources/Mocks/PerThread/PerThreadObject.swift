#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One object per OS thread, made at first use and released when the thread exits: a POSIX
/// thread-specific key holding a retained reference, with a destructor that releases it. For
/// per-thread state that must go with its thread (default streams, launch configurations);
/// only the owning thread reaches its object, so the object needs no lock. Each instance
/// holds one key until deinit.
package final class PerThreadObject<Object: AnyObject>: Sendable {
    private let key: pthread_key_t
    private let make: @Sendable () -> Object

    /// `make` builds a thread's object the first time that thread asks for it.
    package init(_ make: @escaping @Sendable () -> Object) {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { stored in
            guard let stored else { return }
            Unmanaged<AnyObject>.fromOpaque(stored).release()
        }
        precondition(status == 0, "PerThreadObject: pthread_key_create failed (\(status)): keys exhausted")
        self.key = key
        self.make = make
    }

    deinit {
        pthread_key_delete(key)
    }

    /// The calling thread's object, made and stored at first use.
    package var current: Object {
        if let stored = pthread_getspecific(key) {
            return Unmanaged<Object>.fromOpaque(stored).takeUnretainedValue()
        }
        let object = make()
        let retained = Unmanaged.passRetained(object)
        // Fails only with ENOMEM; the object then lasts for this call only.
        if pthread_setspecific(key, retained.toOpaque()) != 0 { retained.release() }
        return object
    }
}
