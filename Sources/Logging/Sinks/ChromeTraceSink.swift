#if canImport(Glibc)
import Glibc
#endif
import CNativeCaller
import Synchronization

/// Writes records as a Chrome trace (JSON array format), which Perfetto and chrome://tracing
/// load: timed calls become complete events (`ph: "X"`), others instant events (`ph: "i"`),
/// one track per thread, and one per stream for records that name a stream.
///
/// Events are written as they happen, so memory stays flat and a crash still leaves a trace
/// the viewers accept (the format allows a missing `]`); `finish` (run at exit for the
/// environment-configured log) closes the array so the file is valid JSON.
public final class ChromeTraceSink: RedirectionSink {
    public let path: String
    private let processID = UInt64(getpid())
    private let state: Mutex<State>

    private struct State {
        var descriptor: Int32
        var namedTracks: Set<UInt64> = []
    }

    /// Tracks for streams are numbered from here so they never meet a kernel thread id.
    static let streamTrackBase: UInt64 = 1 << 40

    /// Creates (or truncates) the trace file at `path`.
    public init(path: String) throws(LogConfigurationError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpenTraceFile(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.state = Mutex(State(descriptor: descriptor))
        var header = "[\n"
        header += metadataEvent(kind: "process_name", track: 0, name: "deviceshim " + ChromeTraceSink.programName())
        write(header)
    }

    deinit { finish() }

    public func write(_ record: RedirectionRecord) {
        let track = record.stream.map { ChromeTraceSink.streamTrackBase + $0 } ?? record.thread
        var text = ""
        let isNewTrack = state.withLock { $0.namedTracks.insert(track).inserted }
        if isNewTrack {
            let name = record.stream.map { "stream \($0)" } ?? ChromeTraceSink.threadName(record.thread)
            text += ",\n" + metadataEvent(kind: "thread_name", track: track, name: name)
        }
        text += ",\n" + event(record, track: track)
        write(text)
    }

    /// Closes the JSON array and the file. Later records are dropped.
    public func finish() {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            var closing = "\n]\n"
            _ = closing.withUTF8 { FileDescriptorSink.writeAll(state.descriptor, $0) }
            close(state.descriptor)
            state.descriptor = -1
        }
    }

    private func write(_ text: String) {
        var text = text
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            _ = text.withUTF8 { FileDescriptorSink.writeAll(state.descriptor, $0) }
        }
    }

    private func event(_ record: RedirectionRecord, track: UInt64) -> String {
        var json = JSONObjectWriter()
        json.field("name", string: record.api)
        json.field("cat", staticString: record.level.name)
        if let duration = record.durationNanoseconds {
            json.field("ph", string: "X")
            json.field("dur", microsecondsFromNanoseconds: duration)
        } else {
            json.field("ph", string: "i")
            json.field("s", string: "t")
        }
        json.field("ts", microsecondsFromNanoseconds: record.timeNanoseconds)
        json.field("pid", number: processID)
        json.field("tid", number: track)
        json.object("args") { arguments in
            for (name, value) in [("requested", record.requested), ("resolved", record.resolved), ("reason", record.reason),
                                  ("status", record.status), ("message", record.message), ("arguments", record.arguments),
                                  ("caller", record.caller.flatMap(RecordText.callerText))] {
                if let value { arguments.field(name, string: value) }
            }
            if let bytes = record.bytes { arguments.field("bytes", number: bytes) }
            arguments.field("thread", number: record.thread)
        }
        return json.finished().string
    }

    private func metadataEvent(kind: String, track: UInt64, name: String) -> String {
        var json = JSONObjectWriter()
        json.field("name", string: kind)
        json.field("ph", string: "M")
        json.field("pid", number: processID)
        json.field("tid", number: track)
        json.object("args") { $0.field("name", string: name) }
        return json.finished().string
    }

    /// `thread 1234 (worker)`: the name comes from the calling thread, which is the record's.
    private static func threadName(_ thread: UInt64) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard thread == ds_thread_id(), ds_thread_name(&buffer, 64) == 0, buffer[0] != 0 else { return "thread \(thread)" }
        return "thread \(thread) (" + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + ")"
    }

    private static func programName() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, 4095)
        guard length > 0 else { return "(pid \(getpid()))" }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
