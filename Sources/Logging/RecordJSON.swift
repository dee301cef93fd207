/// Renders a record as one JSON object on one line (JSON lines). The field names are fixed:
/// `api`, `requested`, `resolved`, `reason`, `caller` (`symbol`, `object`, `offset`, `file`,
/// `line`), `thread`, `time_ns`, `duration_ns`, `bytes`, `status` are always present (null
/// when unknown); `level` always, and `stream`, `arguments`, `message` when set.
public enum RecordJSON {
    public static func line(_ record: RedirectionRecord) -> String {
        var json = JSONObjectWriter()
        json.field("level", string: record.level.description)
        json.field("api", string: record.api)
        json.field("requested", string: record.requested)
        json.field("resolved", string: record.resolved)
        json.field("reason", string: record.reason)
        json.field("caller", raw: record.caller.map(callerObject) ?? "null")
        json.field("thread", number: record.thread)
        json.field("time_ns", number: record.timeNanoseconds)
        json.field("duration_ns", number: record.durationNanoseconds)
        json.field("bytes", number: record.bytes)
        json.field("status", string: record.status)
        if let stream = record.stream { json.field("stream", number: stream) }
        if let arguments = record.arguments { json.field("arguments", string: arguments) }
        if let message = record.message { json.field("message", string: message) }
        return json.finished()
    }

    static func callerObject(_ caller: Caller) -> String {
        var json = JSONObjectWriter()
        json.field("symbol", string: caller.symbol)
        json.field("object", string: caller.object)
        json.field("offset", number: caller.offset)
        json.field("file", string: caller.file)
        json.field("line", number: caller.line)
        return json.finished()
    }
}

/// Builds one JSON object field by field; strings are escaped per RFC 8259.
struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    private mutating func key(_ name: String) {
        text += empty ? "\"" : ",\""
        empty = false
        text += name
        text += "\":"
    }

    mutating func field(_ name: String, string value: String?) {
        key(name)
        if let value { JSONObjectWriter.appendQuoted(value, to: &text) } else { text += "null" }
    }

    mutating func field<Number: BinaryInteger>(_ name: String, number value: Number?) {
        key(name)
        text += value.map { "\($0)" } ?? "null"
    }

    /// A value that is already JSON (a nested object, a number with a fraction).
    mutating func field(_ name: String, raw value: String) {
        key(name)
        text += value
    }

    mutating func finished() -> String {
        text += "}"
        return text
    }

    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        let needsEscapes = value.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if !needsEscapes {
            text += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
