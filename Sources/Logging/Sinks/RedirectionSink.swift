/// Where records go. A sink renders records and delivers them; the log calls `write` for one
/// record at a time, in order (under the log's lock), and `finish` once when the sink is
/// replaced or the process exits.
///
/// A sink must not log through DeviceShim from `write` (the log's lock is held).
public protocol RedirectionSink: AnyObject, Sendable {
    func write(_ record: RedirectionRecord)
    func finish()
}

extension RedirectionSink {
    public func finish() {}
}

/// The line formats of text sinks (`DEVICESHIM_LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// One greppable line per record (`RecordText`).
    case text
    /// One JSON object per line (`RecordJSON`).
    case json

    func write(_ record: RedirectionRecord, into line: inout LineBuffer) {
        switch self {
        case .text: RecordText.write(record, into: &line)
        case .json: RecordJSON.write(record, into: &line)
        }
    }
}
