import Logging
import Synchronization
import Testing
@testable import DeviceShimLogging

/// What a swift-log handler was given.
final class CapturedEvents: Sendable {
    let events = Mutex<[LogEvent]>([])
}

/// A swift-log handler that keeps every event.
struct CapturingHandler: LogHandler {
    let captured: CapturedEvents
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        captured.events.withLock { $0.append(event) }
    }
}

@Suite struct SwiftLogSinkTests {
    @Test func forwardsRecordsWithLevelsAndMetadata() {
        let captured = CapturedEvents()
        let logger = Logger(label: "deviceshim") { _ in CapturingHandler(captured: captured) }
        let log = RedirectionLog(level: .debug, sinks: [SwiftLogSink(logger: logger)])
        log.record(.warn, RedirectionRecord(api: "deviceshim.configuration", message: "bad value"))
        log.record(.debug, RedirectionRecord(api: "cudaMalloc", requested: "cuda:0", resolved: "cpu:0", bytes: 256))
        let events = captured.events.withLock { $0 }
        #expect(events.map(\.level) == [.warning, .debug])
        #expect(events[0].message.description.hasPrefix("warning: deviceshim.configuration: bad value by "))
        #expect(events[1].message.description.hasPrefix("cudaMalloc cuda:0 -> cpu:0 256 B by "))
        #expect(events[1].metadata?["resolved"] == .string("cpu:0"))
        #expect(events[1].metadata?["bytes"] == .stringConvertible(256))
    }
}
