import Foundation
import Testing

/// Builds and runs the C programs in `Tests/Shim/Programs` against the freshly built
/// `libdeviceshim.so` (scripts/test.sh builds every product before the tests run).
enum NativeProgram {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding this test binary, which is where SwiftPM put libdeviceshim.so.
    static let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    static func libraryPath() throws -> String {
        let path = buildDirectory.appendingPathComponent("libdeviceshim.so").path
        try #require(FileManager.default.fileExists(atPath: path),
                     "\(path) is missing: build every product first (`swift build --build-tests`, as scripts/test.sh does)")
        return path
    }

    /// The 1-based line of `source` holding `marker` (e.g. "CALL: version").
    static func line(of marker: String, in source: String) throws -> Int {
        let text = try String(contentsOf: programURL(source), encoding: .utf8)
        let index = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(marker) })
        return index + 1
    }

    static func programURL(_ source: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Shim/Programs").appendingPathComponent(source)
    }

    /// Compiles `source` with debug information into a fresh folder; returns the binary's path.
    /// `flags` go last (warnings, `-pthread`, libraries such as `-lm`).
    static func compile(_ source: String, compiler: String = "gcc", linkDeviceShim: Bool = true, flags: [String] = []) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-programs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent((source as NSString).deletingPathExtension).path
        var arguments = ["-g", "-O0", "-I", repositoryRoot.appendingPathComponent("include").path, programURL(source).path, "-o", output]
        if linkDeviceShim {
            _ = try libraryPath()
            arguments += ["-L", buildDirectory.path, "-ldeviceshim", "-Wl,-rpath," + buildDirectory.path]
        }
        let result = try run("/usr/bin/env", arguments: [compiler] + arguments + flags)
        try #require(result.status == 0, "\(compiler) failed: \(result.stderr)")
        return output
    }

    struct Result {
        var status: Int32
        var killedBySignal = false
        var timedOut = false
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs `path` with this process's environment less DeviceShim's settings and the loader's
    /// (`LD_PRELOAD`, `LD_LIBRARY_PATH`), plus `environment`. Output goes through files, so a
    /// chatty program can never fill a pipe and hang; a program still running after `timeout`
    /// seconds is killed.
    static func run(_ path: String, arguments: [String] = [], environment: [String: String] = [:],
                    directory: String? = nil, timeout: TimeInterval = 600) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdoutURL = folder.appendingPathComponent("stdout"), stderrURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("DEVICESHIM_") && $0.key != "LD_PRELOAD" && $0.key != "LD_LIBRARY_PATH"
        }
        // A program that crashes inside libdeviceshim.so would start Swift's backtracer, which
        // here once outlived its own 30 s timeout and held the run for 15 minutes: without it
        // the crash ends the program at once, and the test fails on the signal.
        inherited["SWIFT_BACKTRACE"] = "enable=no"
        inherited.merge(environment) { $1 }
        process.environment = inherited
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                      timedOut: timedOut,
                      stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
                      stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }
}
