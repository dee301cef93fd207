/// How much DeviceShim logs. Each level includes the ones before it.
///
/// - `error`, `warn`: problems (a bad setting, a failed call).
/// - `info`: one record per redirection decision (device chosen, allocation, copy, launch).
/// - `debug`: every intercepted call.
/// - `trace`: every intercepted call with its arguments.
public enum LogLevel: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case off = 0, error, warn, info, debug, trace

    /// Parses a level name as `DEVICESHIM_LOG` takes it: case-insensitive, `warning` for `warn`.
    public init?(name: String) {
        switch name.lowercased() {
        case "off", "none": self = .off
        case "error": self = .error
        case "warn", "warning": self = .warn
        case "info": self = .info
        case "debug": self = .debug
        case "trace": self = .trace
        default: return nil
        }
    }

    public var description: String { "\(name)" }

    /// The level's name as a static C-compatible string (`off`, `error`, … `trace`).
    public var name: StaticString {
        switch self {
        case .off: "off"
        case .error: "error"
        case .warn: "warn"
        case .info: "info"
        case .debug: "debug"
        case .trace: "trace"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The accepted names, for messages: "off, error, warn, info, debug, trace".
    static let namesList = allCases.map(\.description).joined(separator: ", ")
}
