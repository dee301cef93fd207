#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Writes each record as one line to a file descriptor: stderr, or a log file opened for
/// appending. Each line goes out in a single `write` (retried on partial writes), so lines
/// from many threads and processes never interleave, and a crash loses nothing written.
public final class FileDescriptorSink: RedirectionSink {
    public let format: LogFormat
    /// The path written to, or nil for stderr.
    public let path: String?
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let isPipe: Bool
    private let failedWriteCount = Atomic<Int>(0)

    /// A sink on stderr.
    public convenience init(standardErrorWith format: LogFormat = .text) {
        self.init(descriptor: STDERR_FILENO, format: format)
    }

    /// A sink on an open descriptor it does not own (and never closes).
    public init(descriptor: Int32, format: LogFormat = .text) {
        self.format = format
        self.path = nil
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.isPipe = FileDescriptorSink.isPipeOrSocket(descriptor)
    }

    /// A sink appending to `path`, created (mode 0644) if missing.
    public init(appendingTo path: String, format: LogFormat = .text) throws(LogConfigurationError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpenLogFile(path: path, reason: String(cString: strerror(errno)))
        }
        self.format = format
        self.path = path
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.isPipe = FileDescriptorSink.isPipeOrSocket(descriptor)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Lines that could not be written (disk full, closed pipe); they are dropped, never retried forever.
    public var failedWrites: Int { failedWriteCount.load(ordering: .relaxed) }

    public func write(_ record: RedirectionRecord) {
        var line = LineBuffer()
        format.write(record, into: &line)
        line.append(byte: UInt8(ascii: "\n"))
        let written = line.withBytes { bytes in
            isPipe ? FileDescriptorSink.writeWithoutSigpipe(descriptor, bytes) : FileDescriptorSink.writeAll(descriptor, bytes)
        }
        if !written { failedWriteCount.add(1, ordering: .relaxed) }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if result > 0 {
                offset += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// Writing to a pipe whose reader has gone raises SIGPIPE, which would kill the host
    /// program. The signal is blocked for this thread during the write and any pending
    /// SIGPIPE it caused is consumed, so the host only sees the failed write.
    static func writeWithoutSigpipe(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var sigpipe = sigset_t()
        var previous = sigset_t()
        sigemptyset(&sigpipe)
        sigaddset(&sigpipe, SIGPIPE)
        var pending = sigset_t()
        sigpending(&pending)
        let wasPending = sigismember(&pending, SIGPIPE) == 1
        pthread_sigmask(SIG_BLOCK, &sigpipe, &previous)
        let written = writeAll(descriptor, bytes)
        if !written && errno == EPIPE && !wasPending {
            var noWait = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&sigpipe, nil, &noWait)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return written
    }

    private static func isPipeOrSocket(_ descriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }
}
