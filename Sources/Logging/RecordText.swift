/// Renders a record as one greppable line, for example
/// `[deviceshim] cudaMalloc cuda:0 -> cpu:0 (rule cuda=cpu) 4096 B by load_weights+0x1c (/usr/bin/app) app.c:42 [tid 1234]`.
public enum RecordText {
    /// The line, without the newline.
    public static func line(_ record: RedirectionRecord) -> String {
        var line = LineBuffer()
        write(record, into: &line)
        return line.string
    }

    static func write(_ record: RedirectionRecord, into line: inout LineBuffer) {
        line.append("[deviceshim] ")
        switch record.level {
        case .error: line.append("error: ")
        case .warn: line.append("warning: ")
        default: break
        }
        line.append(record.api)
        if let arguments = record.arguments {
            line.append("(")
            line.append(arguments)
            line.append(")")
        }
        if let requested = record.requested {
            line.append(" ")
            line.append(requested)
        }
        if let resolved = record.resolved {
            line.append(" -> ")
            line.append(resolved)
        }
        if let reason = record.reason {
            line.append(" (")
            line.append(reason)
            line.append(")")
        }
        if let bytes = record.bytes {
            line.append(" ")
            line.append(decimal: bytes)
            line.append(" B")
        }
        if let stream = record.stream {
            line.append(" stream ")
            line.append(decimal: stream)
        }
        if let duration = record.durationNanoseconds {
            line.append(" in ")
            writeDuration(duration, into: &line)
        }
        if let status = record.status {
            line.append(" = ")
            line.append(status)
        }
        if let message = record.message {
            line.append(": ")
            line.append(message)
        }
        if let caller = record.caller, caller != Caller() {
            line.append(" by ")
            writeCaller(caller, into: &line)
        }
        line.append(" [tid ")
        line.append(decimal: record.thread)
        line.append("]")
    }

    /// `symbol+0x1c (/object/path) file.c:42`, leaving out what is unknown; nil when nothing is known.
    public static func callerText(_ caller: Caller) -> String? {
        guard caller != Caller() else { return nil }
        var line = LineBuffer(capacity: 128)
        writeCaller(caller, into: &line)
        return line.string
    }

    static func writeCaller(_ caller: Caller, into line: inout LineBuffer) {
        var separator = false
        func space() {
            if separator { line.append(" ") }
            separator = true
        }
        if caller.symbol != nil || caller.offset != nil {
            space()
            if let symbol = caller.symbol { line.append(symbol) }
            if let offset = caller.offset {
                line.append(caller.symbol == nil ? "0x" : "+0x")
                line.append(hexadecimal: offset)
            }
        }
        if let object = caller.object {
            space()
            line.append("(")
            line.append(object)
            line.append(")")
        }
        if let file = caller.file {
            space()
            line.append(file)
            if let number = caller.line {
                line.append(":")
                line.append(decimal: number)
            }
        }
    }

    /// `850 ns`, `12.3 µs`, `4.5 ms`, `1.2 s`: one decimal, truncated, integer arithmetic.
    public static func durationText(_ nanoseconds: UInt64) -> String {
        var line = LineBuffer(capacity: 16)
        writeDuration(nanoseconds, into: &line)
        return line.string
    }

    static func writeDuration(_ nanoseconds: UInt64, into line: inout LineBuffer) {
        switch nanoseconds {
        case ..<1_000:
            line.append(decimal: nanoseconds)
            line.append(" ns")
        case ..<1_000_000:
            line.append(nanoseconds, dividedBy: 1_000, decimals: 1)
            line.append(" µs")
        case ..<1_000_000_000:
            line.append(nanoseconds, dividedBy: 1_000_000, decimals: 1)
            line.append(" ms")
        default:
            line.append(nanoseconds, dividedBy: 1_000_000_000, decimals: 1)
            line.append(" s")
        }
    }
}
