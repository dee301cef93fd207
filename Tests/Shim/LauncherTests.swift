import Foundation
import Testing

/// `preload/deviceshim-run` preloads libdeviceshim.so into a program that does not link it.
@Suite struct LauncherTests {
    static let launcher = NativeProgram.repositoryRoot.appendingPathComponent("preload/deviceshim-run").path

    @Test func preloadsTheLibraryFromAnyDirectoryAndPassesTheEnvironment() throws {
        let probe = try NativeProgram.compile("preload_probe.c", linkDeviceShim: false)
        let alone = try NativeProgram.run(probe)
        #expect(alone.stdout == "not preloaded\n")

        let result = try NativeProgram.run(Self.launcher, arguments: [probe], environment: [
            "DEVICESHIM_LIBRARY": try NativeProgram.libraryPath(), "DEVICESHIM_LOG": "debug", "PROBE_VALUE": "42",
        ], directory: "/")
        #expect(result.status == 0)
        #expect(result.stdout == "preloaded 0.1.0\nPROBE_VALUE=42\n")
        let line = try NativeProgram.line(of: "CALL: version", in: "preload_probe.c")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("[deviceshim] deviceshim_version = 0.1.0 by main+0x") == true)
        #expect(result.stderr.contains("(\(probe)) "))
        #expect(result.stderr.contains("preload_probe.c:\(line) [tid "))
    }

    @Test func worksThroughASymlinkAndKeepsAnExistingPreload() throws {
        let probe = try NativeProgram.compile("preload_probe.c", linkDeviceShim: false)
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-run-\(UUID().uuidString)").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Self.launcher)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let result = try NativeProgram.run(link, arguments: ["/bin/sh", "-c", "echo \"$LD_PRELOAD\"; \(probe)"], environment: [
            "DEVICESHIM_LIBRARY": try NativeProgram.libraryPath(), "LD_PRELOAD": "libm.so.6",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == "\(try NativeProgram.libraryPath()):libm.so.6\npreloaded 0.1.0\nPROBE_VALUE=(unset)\n")
        #expect(result.stderr == "")
    }

    @Test func aMissingLibraryOrProgramIsAClearError() throws {
        let missing = try NativeProgram.run(Self.launcher, arguments: ["/bin/true"],
                                            environment: ["DEVICESHIM_LIBRARY": "/nonexistent-deviceshim/libdeviceshim.so"])
        #expect(missing.status == 127)
        #expect(missing.stderr == "deviceshim-run: DEVICESHIM_LIBRARY=/nonexistent-deviceshim/libdeviceshim.so does not exist\n")
        let usage = try NativeProgram.run(Self.launcher)
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("usage: deviceshim-run PROGRAM [ARGS...]"))
    }
}
