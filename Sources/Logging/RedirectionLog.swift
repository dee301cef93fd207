#if canImport(Glibc)
import Glibc
#endif
import CNativeCaller
import Synchronization

/// The redirection log: a level, a set of sinks, and the record sites that feed them.
///
/// `RedirectionLog.shared` is configured from `DEVICESHIM_LOG`, `DEVICESHIM_LOG_FILE`,
/// `DEVICESHIM_LOG_FORMAT` and `DEVICESHIM_TRACE_FILE` at first use; `configure(_:)` changes
/// it from Swift. Other instances (tests, embedders) are independent.
///
/// A disabled record site costs one relaxed atomic load and a branch: the record, its
/// strings and the caller are only built behind `isEnabled`. Records are delivered to the
/// sinks one at a time, in order, under a lock, so lines never interleave.
public final class RedirectionLog: Sendable {
    @usableFromInline let threshold: Atomic<UInt8>
    private let state: Mutex<State>

    private struct State {
        var configuration: LogConfiguration
        var configuredSinks: [any RedirectionSink]
        var addedSinks: [any RedirectionSink] = []
        var sinks: [any RedirectionSink] { configuredSinks + addedSinks }
    }

    /// The process-wide log, configured from the environment the first time it is used. If a
    /// Chrome trace is configured, it is completed at exit.
    public static let shared: RedirectionLog = {
        let log = RedirectionLog(environment: { getenv($0).map { String(cString: $0) } })
        if log.configuration.traceFile != nil { atexit { RedirectionLog.shared.finish() } }
        return log
    }()

    /// A log with `configuration`; throws if its file or trace file cannot be opened.
    public init(configuration: LogConfiguration = LogConfiguration()) throws(LogConfigurationError) {
        let sinks = try Self.sinks(for: configuration)
        threshold = Atomic(configuration.level.rawValue)
        state = Mutex(State(configuration: configuration, configuredSinks: sinks))
    }

    /// A log that writes to `sinks` only (no stderr), at `level`.
    public init(level: LogLevel, sinks: [any RedirectionSink]) {
        threshold = Atomic(level.rawValue)
        state = Mutex(State(configuration: LogConfiguration(level: level), configuredSinks: [], addedSinks: sinks))
    }

    /// A log configured from `environment` that never fails: each bad value or unusable path
    /// becomes one warning record (written to `standardError` or the log file) and its default.
    public init(environment: (String) -> String?, standardError: Int32 = STDERR_FILENO) {
        var (configuration, problems) = LogConfiguration.reading(environment: environment)
        // A file that cannot be opened is dropped from the configuration (its default stands
        // in) with one warning, and the sinks are built again.
        var sinks: [any RedirectionSink] = []
        while true {
            do throws(LogConfigurationError) {
                sinks = try Self.sinks(for: configuration, standardError: standardError)
                break
            } catch {
                switch error {
                case .cannotOpenLogFile:
                    problems.append("\(error); logging to stderr")
                    configuration.file = nil
                case .cannotOpenTraceFile:
                    problems.append("\(error); no trace is written")
                    configuration.traceFile = nil
                }
            }
        }
        threshold = Atomic(configuration.level.rawValue)
        state = Mutex(State(configuration: configuration, configuredSinks: sinks))
        for problem in problems {
            recordEvent(.warn, RedirectionRecord(api: "deviceshim.configuration", message: problem))
        }
    }

    /// The configuration in force.
    public var configuration: LogConfiguration { state.withLock { $0.configuration } }

    /// The level in force; setting it keeps the sinks.
    public var level: LogLevel {
        get { LogLevel(rawValue: threshold.load(ordering: .relaxed)) ?? .off }
        set {
            state.withLock { $0.configuration.level = newValue }
            threshold.store(newValue.rawValue, ordering: .relaxed)
        }
    }

    /// Replaces the configuration. The new files are opened first: if one cannot be, this
    /// throws and the old configuration stays in force.
    public func configure(_ configuration: LogConfiguration) throws(LogConfigurationError) {
        let sinks = try Self.sinks(for: configuration)
        let replaced = state.withLock { state in
            defer {
                state.configuration = configuration
                state.configuredSinks = sinks
            }
            return state.configuredSinks
        }
        threshold.store(configuration.level.rawValue, ordering: .relaxed)
        replaced.forEach { $0.finish() }
    }

    /// Adds a sink that receives every record from now on, whatever the configuration.
    public func addSink(_ sink: any RedirectionSink) {
        state.withLock { $0.addedSinks.append(sink) }
    }

    /// Completes every sink (closes the Chrome trace). Called at exit for `shared`.
    public func finish() {
        state.withLock { $0.sinks }.forEach { $0.finish() }
    }

    /// Whether records at `level` are written. One relaxed atomic load.
    @inlinable @inline(__always)
    public func isEnabled(_ level: LogLevel) -> Bool {
        level != .off && level.rawValue <= threshold.load(ordering: .relaxed)
    }

    /// Logs a record from Swift code. The caller is this call's `#function`, `#fileID` and
    /// `#line`; `record` and `arguments` are only evaluated when `level` (for arguments,
    /// `trace`) is enabled.
    @inlinable
    public func record(
        _ level: LogLevel, _ record: @autoclosure () -> RedirectionRecord, arguments: @autoclosure () -> String? = nil,
        fileID: String = #fileID, line: Int = #line, function: String = #function
    ) {
        guard isEnabled(level) else { return }
        emit(record(), level: level, site: .swift(fileID: fileID, line: line, function: function), arguments: arguments())
    }

    /// Logs a record for a C entry point of DeviceShim. The caller is found by unwinding past
    /// DeviceShim's own frames (`NativeCallers`); it costs nothing when `level` is disabled.
    @inlinable
    public func recordNativeCall(
        _ level: LogLevel, _ record: @autoclosure () -> RedirectionRecord, arguments: @autoclosure () -> String? = nil
    ) {
        guard isEnabled(level) else { return }
        emit(record(), level: level, site: .native, arguments: arguments())
    }

    /// Logs a record whose caller is `site`, for code that passes its own caller through
    /// (e.g. the redirector, called from Swift faces and C entry points alike).
    @inlinable
    public func record(
        _ level: LogLevel, _ record: @autoclosure () -> RedirectionRecord, from site: CallSite,
        arguments: @autoclosure () -> String? = nil
    ) {
        guard isEnabled(level) else { return }
        emit(record(), level: level, site: site, arguments: arguments())
    }

    /// Logs an event no caller asked for directly (a configuration warning, device discovery):
    /// the record has no caller.
    @inlinable
    public func recordEvent(_ level: LogLevel, _ record: @autoclosure () -> RedirectionRecord) {
        guard isEnabled(level) else { return }
        emit(record(), level: level)
    }

    @usableFromInline
    func emit(_ record: RedirectionRecord, level: LogLevel, site: CallSite, arguments: @autoclosure () -> String?) {
        var record = record
        switch site {
        case let .swift(fileID, line, function): record.caller = Caller(symbol: function, file: fileID, line: line)
        case .native: record.caller = NativeCallers.shared.caller()
        }
        if isEnabled(.trace) { record.arguments = arguments() }
        emit(record, level: level)
    }

    /// Stamps `record` with the level, thread and time (unless set) and hands it to the sinks.
    @usableFromInline
    func emit(_ record: RedirectionRecord, level: LogLevel) {
        var record = record
        record.level = level
        record.thread = ds_thread_id()
        if record.timeNanoseconds == 0 { record.timeNanoseconds = ds_monotonic_ns() }
        state.withLock { state in
            for sink in state.configuredSinks { sink.write(record) }
            for sink in state.addedSinks { sink.write(record) }
        }
    }

    private static func sinks(for configuration: LogConfiguration, standardError: Int32 = STDERR_FILENO)
        throws(LogConfigurationError) -> [any RedirectionSink] {
        var sinks: [any RedirectionSink] = []
        if let file = configuration.file {
            sinks.append(try FileDescriptorSink(appendingTo: file, format: configuration.format))
        } else {
            sinks.append(FileDescriptorSink(descriptor: standardError, format: configuration.format))
        }
        if let traceFile = configuration.traceFile { sinks.append(try ChromeTraceSink(path: traceFile)) }
        return sinks
    }
}

/// Who called: a Swift call site (exact, from default arguments) or native code (found by
/// unwinding when a record is made).
public enum CallSite: Sendable, Hashable {
    case swift(fileID: String, line: Int, function: String)
    case native
}

/// Monotonic time for timing redirected work, the clock records are stamped with.
public enum MonotonicClock {
    /// Nanoseconds of CLOCK_MONOTONIC.
    @inlinable public static func now() -> UInt64 { ds_monotonic_ns() }
}
