/// What the log records and where it goes. From the environment with
/// `LogConfiguration(environment:)`, or built in Swift and applied with
/// `RedirectionLog.configure(_:)`.
public struct LogConfiguration: Sendable, Hashable {
    /// `DEVICESHIM_LOG`: records at this level and below are written. Default `warn`.
    public var level: LogLevel
    /// `DEVICESHIM_LOG_FILE`: append lines to this file instead of stderr.
    public var file: String?
    /// `DEVICESHIM_LOG_FORMAT`: `text` (default) or `json` (JSON lines).
    public var format: LogFormat
    /// `DEVICESHIM_TRACE_FILE`: also write a Chrome trace here, completed at exit.
    public var traceFile: String?

    public init(level: LogLevel = .warn, file: String? = nil, format: LogFormat = .text, traceFile: String? = nil) {
        self.level = level
        self.file = file
        self.format = format
        self.traceFile = traceFile
    }

    /// The environment variable names, in one place.
    public enum Variable {
        public static let level = "DEVICESHIM_LOG"
        public static let file = "DEVICESHIM_LOG_FILE"
        public static let format = "DEVICESHIM_LOG_FORMAT"
        public static let traceFile = "DEVICESHIM_TRACE_FILE"
    }

    /// Reads the settings from `environment` (a lookup such as `getenv`). A bad value never
    /// fails: its default is used and `problems` says, one sentence each, what was wrong.
    public static func reading(environment: (String) -> String?) -> (configuration: LogConfiguration, problems: [String]) {
        var configuration = LogConfiguration()
        var problems: [String] = []
        if let text = value(Variable.level, environment) {
            if let level = LogLevel(name: text) {
                configuration.level = level
            } else {
                problems.append("\(Variable.level)=\"\(text)\" is not one of \(LogLevel.namesList); using \(configuration.level)")
            }
        }
        if let text = value(Variable.format, environment) {
            if let format = LogFormat(rawValue: text.lowercased()) {
                configuration.format = format
            } else {
                problems.append("\(Variable.format)=\"\(text)\" is not one of text, json; using \(configuration.format.rawValue)")
            }
        }
        configuration.file = value(Variable.file, environment)
        configuration.traceFile = value(Variable.traceFile, environment)
        return (configuration, problems)
    }

    private static func value(_ name: String, _ environment: (String) -> String?) -> String? {
        guard let raw = environment(name) else { return nil }
        let trimmed = raw.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// Why a log configuration could not be applied.
public enum LogConfigurationError: Error, Hashable, CustomStringConvertible {
    case cannotOpenLogFile(path: String, reason: String)
    case cannotOpenTraceFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpenLogFile(path, reason): "cannot open log file \"\(path)\": \(reason)"
        case let .cannotOpenTraceFile(path, reason): "cannot open trace file \"\(path)\": \(reason)"
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks (Foundation-free, for the
    /// environment and config parsing of every layer).
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
