import Testing
@testable import DeviceShimLogging

@Suite struct LogConfigurationTests {
    static func reading(_ environment: [String: String]) -> (configuration: LogConfiguration, problems: [String]) {
        LogConfiguration.reading(environment: { environment[$0] })
    }

    @Test func defaultsToWarnTextOnStderr() {
        let (configuration, problems) = Self.reading([:])
        #expect(configuration == LogConfiguration(level: .warn, file: nil, format: .text, traceFile: nil))
        #expect(problems.isEmpty)
    }

    @Test func readsEveryVariable() {
        let (configuration, problems) = Self.reading([
            "DEVICESHIM_LOG": " Debug ", "DEVICESHIM_LOG_FILE": "/tmp/a.log",
            "DEVICESHIM_LOG_FORMAT": "JSON", "DEVICESHIM_TRACE_FILE": "/tmp/t.json",
        ])
        #expect(configuration == LogConfiguration(level: .debug, file: "/tmp/a.log", format: .json, traceFile: "/tmp/t.json"))
        #expect(problems.isEmpty)
    }

    @Test(arguments: LogLevel.allCases)
    func everyLevelNameParses(level: LogLevel) {
        #expect(Self.reading(["DEVICESHIM_LOG": level.description.uppercased()]).configuration.level == level)
    }

    @Test func badValuesGiveOneProblemEachAndTheDefault() {
        let (configuration, problems) = Self.reading(["DEVICESHIM_LOG": "loud", "DEVICESHIM_LOG_FORMAT": "xml"])
        #expect(configuration.level == .warn)
        #expect(configuration.format == .text)
        #expect(problems == [
            "DEVICESHIM_LOG=\"loud\" is not one of off, error, warn, info, debug, trace; using warn",
            "DEVICESHIM_LOG_FORMAT=\"xml\" is not one of text, json; using text",
        ])
    }

    @Test func emptyValuesMeanUnset() {
        let (configuration, problems) = Self.reading(["DEVICESHIM_LOG": "", "DEVICESHIM_LOG_FILE": "  "])
        #expect(configuration == LogConfiguration())
        #expect(problems.isEmpty)
    }
}
