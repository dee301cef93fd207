import Logging

/// Forwards records to a swift-log `Logger`, so DeviceShim's records join an application's
/// own logging. The message is the record's text line; its fields are metadata.
public final class SwiftLogSink: RedirectionSink {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func write(_ record: RedirectionRecord) {
        var metadata: Logger.Metadata = ["api": .string(record.api), "thread": .stringConvertible(record.thread)]
        for (name, value) in [("requested", record.requested), ("resolved", record.resolved), ("reason", record.reason),
                              ("status", record.status), ("caller", record.caller.flatMap(RecordText.callerText))] {
            if let value { metadata[name] = .string(value) }
        }
        if let bytes = record.bytes { metadata["bytes"] = .stringConvertible(bytes) }
        if let duration = record.durationNanoseconds { metadata["duration_ns"] = .stringConvertible(duration) }
        var line = RecordText.line(record)
        line.removeFirst("[deviceshim] ".count)
        logger.log(level: SwiftLogSink.level(record.level), "\(line)", metadata: metadata)
    }

    static func level(_ level: LogLevel) -> Logger.Level {
        switch level {
        case .off, .error: .error
        case .warn: .warning
        case .info: .info
        case .debug: .debug
        case .trace: .trace
        }
    }
}
