/// Renders a record as one greppable line (without the newline), for example
/// `[deviceshim] cudaMalloc cuda:0 -> cpu:0 (rule cuda=cpu) 4096 B by load_weights+0x1c (/usr/bin/app) app.c:42 [tid 1234]`.
public enum RecordText {
    public static func line(_ record: RedirectionRecord) -> String {
        var text = "[deviceshim] "
        text.reserveCapacity(160)
        switch record.level {
        case .error: text += "error: "
        case .warn: text += "warning: "
        default: break
        }
        text += record.api
        if let arguments = record.arguments { text += "(" + arguments + ")" }
        if let requested = record.requested { text += " " + requested }
        if let resolved = record.resolved { text += " -> " + resolved }
        if let reason = record.reason { text += " (" + reason + ")" }
        if let bytes = record.bytes { text += " \(bytes) B" }
        if let stream = record.stream { text += " stream \(stream)" }
        if let duration = record.durationNanoseconds { text += " in " + durationText(duration) }
        if let status = record.status { text += " = " + status }
        if let message = record.message { text += ": " + message }
        if let caller = record.caller, let callerText = callerText(caller) { text += " by " + callerText }
        text += " [tid \(record.thread)]"
        return text
    }

    /// `symbol+0x1c (/object/path) file.c:42`, leaving out what is unknown; nil when nothing is known.
    public static func callerText(_ caller: Caller) -> String? {
        var parts: [String] = []
        if let symbol = caller.symbol {
            if let offset = caller.offset { parts.append(symbol + "+0x" + String(offset, radix: 16)) } else { parts.append(symbol) }
        } else if let offset = caller.offset {
            parts.append("0x" + String(offset, radix: 16))
        }
        if let object = caller.object { parts.append("(" + object + ")") }
        if let file = caller.file {
            parts.append(caller.line.map { file + ":\($0)" } ?? file)
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// `850 ns`, `12.3 µs`, `4.56 ms`, `1.234 s`: three significant digits, integer arithmetic.
    static func durationText(_ nanoseconds: UInt64) -> String {
        switch nanoseconds {
        case ..<1_000: return "\(nanoseconds) ns"
        case ..<1_000_000: return decimal(nanoseconds, per: 1_000) + " µs"
        case ..<1_000_000_000: return decimal(nanoseconds, per: 1_000_000) + " ms"
        default: return decimal(nanoseconds, per: 1_000_000_000) + " s"
        }
    }

    private static func decimal(_ value: UInt64, per unit: UInt64) -> String {
        let whole = value / unit
        let tenths = (value % unit) * 10 / unit
        return "\(whole).\(tenths)"
    }
}
