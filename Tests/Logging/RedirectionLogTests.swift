import CNativeCaller
import Foundation
import Testing
@testable import DeviceShimLogging

@Suite struct RedirectionLogTests {
    @Test func swiftCallSitesGiveExactFileLineAndFunction() throws {
        let sink = RecordBuffer()
        let log = RedirectionLog(level: .info, sinks: [sink])
        let expectedLine = #line + 1
        log.record(.info, RedirectionRecord(api: "Tensor.to", requested: "cuda:0", resolved: "cpu:0"))
        let record = try #require(sink.records.first)
        #expect(record.caller == Caller(symbol: "swiftCallSitesGiveExactFileLineAndFunction()",
                                        file: "DeviceShimLoggingTests/RedirectionLogTests.swift", line: expectedLine))
        #expect(record.level == .info)
        #expect(record.thread > 0)
        #expect(record.timeNanoseconds > 0)
    }

    @Test func disabledSitesEvaluateNothing() {
        let sink = RecordBuffer()
        let log = RedirectionLog(level: .warn, sinks: [sink])
        var built = 0
        func make() -> RedirectionRecord {
            built += 1
            return RedirectionRecord(api: "cudaMalloc")
        }
        log.record(.info, make())
        log.record(.debug, make())
        log.recordNativeCall(.trace, make())
        #expect(built == 0)
        #expect(sink.records.isEmpty)
        log.record(.warn, make())
        #expect(built == 1)
        #expect(sink.records.count == 1)
    }

    @Test func argumentsAreRenderedAtTraceOnly() {
        let sink = RecordBuffer()
        let log = RedirectionLog(level: .debug, sinks: [sink])
        log.record(.debug, RedirectionRecord(api: "a"), arguments: "n=1")
        log.level = .trace
        log.record(.debug, RedirectionRecord(api: "b"), arguments: "n=2")
        #expect(sink.records.map(\.arguments) == [nil, "n=2"])
    }

    @Test func offWritesNothingNotEvenErrors() {
        let sink = RecordBuffer()
        let log = RedirectionLog(level: .off, sinks: [sink])
        log.record(.error, RedirectionRecord(api: "a"))
        log.record(.off, RedirectionRecord(api: "b"))
        #expect(sink.records.isEmpty)
    }

    @Test func fileSinkCreatesAndAppends() throws {
        let path = temporaryPath("append.log")
        for api in ["first", "second"] {
            let log = try RedirectionLog(configuration: LogConfiguration(level: .info, file: path))
            log.record(.info, RedirectionRecord(api: api))
        }
        let written = try lines(ofFile: path)
        #expect(written.count == 2)
        #expect(written[0].hasPrefix("[deviceshim] first by fileSinkCreatesAndAppends() DeviceShimLoggingTests/RedirectionLogTests.swift:"))
        #expect(written[1].hasPrefix("[deviceshim] second by "))
    }

    @Test func configureWithAnUnopenablePathThrowsAndKeepsTheOldConfiguration() throws {
        let path = temporaryPath("kept.log")
        let log = try RedirectionLog(configuration: LogConfiguration(level: .info, file: path))
        let bad = LogConfiguration(level: .trace, file: "/nonexistent-deviceshim/dir/x.log")
        #expect(throws: LogConfigurationError.cannotOpenLogFile(path: "/nonexistent-deviceshim/dir/x.log",
                                                                reason: "No such file or directory")) {
            try log.configure(bad)
        }
        #expect(log.configuration == LogConfiguration(level: .info, file: path))
        #expect(log.level == .info)
    }

    @Test func environmentWithABadPathWarnsOnceAndLogsToStderr() {
        let stderr = Pipe()
        let environment = ["DEVICESHIM_LOG": "info", "DEVICESHIM_LOG_FILE": "/nonexistent-deviceshim/x.log"]
        let log = RedirectionLog(environment: { environment[$0] }, standardError: stderr.writeEnd)
        log.record(.info, RedirectionRecord(api: "cudaFree"))
        let written = stderr.readAll().split(separator: "\n")
        #expect(written.count == 2)
        #expect(written.first == """
            [deviceshim] warning: deviceshim.configuration: cannot open log file "/nonexistent-deviceshim/x.log": \
            No such file or directory; logging to stderr [tid \(getThreadID())]
            """)
        #expect(written.last?.hasPrefix("[deviceshim] cudaFree by ") == true)
        #expect(log.configuration.file == nil)
    }

    @Test func environmentWarningsAreSilentWhenLoggingIsOff() {
        let stderr = Pipe()
        let environment = ["DEVICESHIM_LOG": "off", "DEVICESHIM_LOG_FORMAT": "xml", "DEVICESHIM_TRACE_FILE": "/nonexistent-deviceshim/t"]
        let log = RedirectionLog(environment: { environment[$0] }, standardError: stderr.writeEnd)
        log.record(.error, RedirectionRecord(api: "cudaMalloc"))
        #expect(stderr.readAll() == "")
    }

    @Test func addedSinksSurviveReconfiguration() throws {
        let sink = RecordBuffer()
        let log = try RedirectionLog(configuration: LogConfiguration(level: .info, file: temporaryPath("a.log")))
        log.addSink(sink)
        try log.configure(LogConfiguration(level: .debug, file: temporaryPath("b.log")))
        log.record(.debug, RedirectionRecord(api: "after"))
        #expect(sink.records.map(\.api) == ["after"])
    }
}

func getThreadID() -> UInt64 { ds_thread_id() }

@Suite struct RecordBufferTests {
    @Test func keepsTheNewestRecordsUpToItsCapacity() {
        let buffer = RecordBuffer(capacity: 2)
        let log = RedirectionLog(level: .info, sinks: [buffer])
        for api in ["a", "b", "c"] { log.record(.info, RedirectionRecord(api: api)) }
        #expect(buffer.records.map(\.api) == ["b", "c"])
        #expect(RecordBuffer().capacity == nil)
    }
}
