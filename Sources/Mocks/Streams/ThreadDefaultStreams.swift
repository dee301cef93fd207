#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The calling thread's default streams (`cudaStreamPerThread`), one per `StreamGroup`.
///
/// They live in thread-specific storage whose destructor releases them when the thread exits:
/// the streams go as a destroyed stream does (pending work still finishes), and a later thread
/// that happens to get the same thread id starts with streams of its own. Only the owning
/// thread ever reads or changes its holder, so it needs no lock.
final class ThreadDefaultStreams {
    /// Streams by group. A stream holds its group, so an identifier here can't be reused.
    private var streams: [ObjectIdentifier: CudaStream] = [:]

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { holder in
            guard let holder else { return }
            Unmanaged<ThreadDefaultStreams>.fromOpaque(holder).release()
        }
        precondition(status == 0, "ThreadDefaultStreams: pthread_key_create failed (\(status)): keys exhausted")
        return key
    }()

    /// The calling thread's default stream of `group`, made by `make` at first use.
    static func stream(of group: StreamGroup, make: () throws(CudaError) -> CudaStream) throws(CudaError) -> CudaStream {
        let holder = current
        if let stream = holder.streams[ObjectIdentifier(group)] { return stream }
        let made = try make()
        holder.streams[ObjectIdentifier(group)] = made
        return made
    }

    /// The calling thread's holder, made and stored at first use (retained by the key).
    private static var current: ThreadDefaultStreams {
        if let stored = pthread_getspecific(key) {
            return Unmanaged<ThreadDefaultStreams>.fromOpaque(stored).takeUnretainedValue()
        }
        let holder = ThreadDefaultStreams()
        let retained = Unmanaged.passRetained(holder)
        // Fails only with ENOMEM; the holder then lasts for this call only.
        if pthread_setspecific(key, retained.toOpaque()) != 0 { retained.release() }
        return holder
    }
}
