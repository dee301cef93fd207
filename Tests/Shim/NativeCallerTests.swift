import Foundation
import Testing

/// C programs built with gcc and clang (`-g`) call DeviceShim's C API; the records must name
/// the calling function, its object, and the source line of the call.
@Suite struct NativeCallerTests {
    @Test(arguments: ["gcc", "clang"])
    func recordsNameTheNativeCallerWithFileAndLine(compiler: String) throws {
        let program = try NativeProgram.compile("caller_program.c", compiler: compiler)
        let result = try NativeProgram.run(program, environment: ["DEVICESHIM_LOG": "debug", "DEVICESHIM_LOG_FORMAT": "json"])
        #expect(result.status == 0)
        #expect(result.stdout == "version 0.1.0\n")
        let records = try NativeProgram.jsonLines(result.stderr)
        let version = try #require(records.first { $0["api"] as? String == "deviceshim_version" })
        let caller = try #require(version["caller"] as? [String: Any])
        #expect(caller["symbol"] as? String == "load_weights")
        #expect(caller["object"] as? String == program)
        #expect((caller["offset"] as? Int ?? 0) > 0)
        #expect((caller["file"] as? String)?.hasSuffix("Tests/Shim/Programs/caller_program.c") == true)
        #expect(caller["line"] as? Int == (try NativeProgram.line(of: "CALL: version", in: "caller_program.c")))
        #expect(version["status"] as? String == "0.1.0")
        #expect(version["level"] as? String == "debug")
    }

    @Test func textLinesNameTheCallerAndTheThread() throws {
        let program = try NativeProgram.compile("caller_program.c")
        let result = try NativeProgram.run(program, arguments: ["bad-level"], environment: ["DEVICESHIM_LOG": "info"])
        let badLevelLine = try NativeProgram.line(of: "CALL: bad level", in: "caller_program.c")
        #expect(result.stderrLines.count == 1)
        let line = try #require(result.stderrLines.first)
        #expect(line.hasPrefix("""
            [deviceshim] warning: deviceshim_set_log_level = DEVICESHIM_INVALID_ARGUMENT: "loud" is not one of \
            off, error, warn, info, debug, trace; level stays info by main+0x
            """))
        #expect(line.contains(" (\(program)) "))
        #expect(line.contains("caller_program.c:\(badLevelLine) [tid "))
        #expect(result.stdout.contains("status 1: an argument is missing or not one of the accepted values\n"))
        #expect(result.stdout.hasSuffix("level info\n"))
    }

    @Test func nothingReachesStderrWhenLoggingIsOff() throws {
        let program = try NativeProgram.compile("caller_program.c")
        let result = try NativeProgram.run(program, arguments: ["bad-level"],
                                           environment: ["DEVICESHIM_LOG": "off", "DEVICESHIM_LOG_FORMAT": "yaml"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasSuffix("level off\n"))
    }

    @Test func badEnvironmentValuesGiveOneWarningEachAndLoggingGoesOn() throws {
        let program = try NativeProgram.compile("caller_program.c")
        let result = try NativeProgram.run(program, environment: [
            "DEVICESHIM_LOG": "verbose", "DEVICESHIM_LOG_FORMAT": "xml",
            "DEVICESHIM_LOG_FILE": "/nonexistent-deviceshim/a.log", "DEVICESHIM_TRACE_FILE": "/nonexistent-deviceshim/t.json",
        ])
        #expect(result.status == 0)
        let lines = result.stderrLines
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix("[deviceshim] warning: deviceshim.configuration: ") })
        #expect(lines[0].contains("DEVICESHIM_LOG=\"verbose\" is not one of off, error, warn, info, debug, trace; using warn"))
        #expect(lines[1].contains("DEVICESHIM_LOG_FORMAT=\"xml\" is not one of text, json; using text"))
        #expect(lines[2].contains("cannot open log file \"/nonexistent-deviceshim/a.log\": No such file or directory; logging to stderr"))
        #expect(lines[3].contains("cannot open trace file \"/nonexistent-deviceshim/t.json\": No such file or directory; no trace is written"))
    }

    @Test func logFileAndChromeTraceFromANativeProcess() throws {
        let program = try NativeProgram.compile("caller_program.c")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let logFile = folder.appendingPathComponent("run.log").path, traceFile = folder.appendingPathComponent("trace.json").path
        let result = try NativeProgram.run(program, arguments: ["bad-level"], environment: [
            "DEVICESHIM_LOG": "debug", "DEVICESHIM_LOG_FILE": logFile, "DEVICESHIM_TRACE_FILE": traceFile,
        ])
        #expect(result.stderr == "")
        let logged = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n")
        #expect(logged.map { $0.split(separator: " ")[1] } == ["deviceshim_version", "warning:", "deviceshim_status_string", "deviceshim_log_level"])
        let trace = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: traceFile))) as? [[String: Any]])
        let names = trace.filter { $0["ph"] as? String != "M" }.compactMap { $0["name"] as? String }
        #expect(names == ["deviceshim_version", "deviceshim_set_log_level", "deviceshim_status_string", "deviceshim_log_level"])
    }
}
