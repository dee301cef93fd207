/// Renders a record as one JSON object on one line (JSON lines). The field names are fixed:
/// `api`, `requested`, `resolved`, `reason`, `caller` (`symbol`, `object`, `offset`, `file`,
/// `line`), `thread`, `time_ns`, `duration_ns`, `bytes`, `status` are always present (null
/// when unknown); `level` always, and `stream`, `arguments`, `message` when set.
public enum RecordJSON {
    /// The JSON object, without the newline.
    public static func line(_ record: RedirectionRecord) -> String {
        var line = LineBuffer()
        write(record, into: &line)
        return line.string
    }

    static func write(_ record: RedirectionRecord, into line: inout LineBuffer) {
        var json = JSONObjectWriter(into: line)
        json.field("level", staticString: record.level.name)
        json.field("api", string: record.api)
        json.field("requested", string: record.requested)
        json.field("resolved", string: record.resolved)
        json.field("reason", string: record.reason)
        if let caller = record.caller {
            json.object("caller") { object in
                object.field("symbol", string: caller.symbol)
                object.field("object", string: caller.object)
                object.field("offset", number: caller.offset)
                object.field("file", string: caller.file)
                object.field("line", number: caller.line)
            }
        } else {
            json.field("caller", string: nil)
        }
        json.field("thread", number: record.thread)
        json.field("time_ns", number: record.timeNanoseconds)
        json.field("duration_ns", number: record.durationNanoseconds)
        json.field("bytes", number: record.bytes)
        json.field("status", string: record.status)
        if let stream = record.stream { json.field("stream", number: stream) }
        if let arguments = record.arguments { json.field("arguments", string: arguments) }
        if let message = record.message { json.field("message", string: message) }
        line = json.finished()
    }
}
