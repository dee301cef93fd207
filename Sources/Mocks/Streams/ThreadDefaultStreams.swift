/// The calling thread's default streams (`cudaStreamPerThread`), one per `StreamGroup`.
///
/// They live in a `PerThreadObject`, released when the thread exits:
/// the streams go as a destroyed stream does (pending work still finishes), and a later thread
/// that happens to get the same thread id starts with streams of its own. Only the owning
/// thread ever reads or changes its holder, so it needs no lock.
final class ThreadDefaultStreams {
    /// Streams by group. A stream holds its group, so an identifier here can't be reused.
    private var streams: [ObjectIdentifier: CudaStream] = [:]

    private static let holders = PerThreadObject { ThreadDefaultStreams() }

    /// The calling thread's default stream of `group`, made by `make` at first use.
    static func stream(of group: StreamGroup, make: () throws(CudaError) -> CudaStream) throws(CudaError) -> CudaStream {
        let holder = holders.current
        if let stream = holder.streams[ObjectIdentifier(group)] { return stream }
        let made = try make()
        holder.streams[ObjectIdentifier(group)] = made
        return made
    }
}
