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

    // MARK: drop-in sonames

    static let dropInNames = ["libcublas.so", "libcublas.so.12", "libcublasLt.so.12", "libcudart.so", "libcudart.so.12"]

    /// A fresh folder holding a copy of libdeviceshim.so named `name`, so drop-in folders are
    /// made from nothing.
    static func libraryCopy(named name: String = "libdeviceshim.so") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-dropins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(atPath: try NativeProgram.libraryPath(), toPath: copy.path)
        return copy
    }

    @Test func theDropInFolderHoldsTheSonamesAndComesFirstOnTheLibraryPath() throws {
        let library = try Self.libraryCopy()
        let folder = library.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try NativeProgram.run(Self.launcher, arguments: ["/bin/sh", "-c", "echo \"$LD_LIBRARY_PATH\""], environment: [
            "DEVICESHIM_LIBRARY": library.path, "LD_LIBRARY_PATH": "/opt/elsewhere",
        ])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let dropIns = folder.appendingPathComponent("deviceshim-dropins")
        #expect(result.stdout == "\(dropIns.path):/opt/elsewhere\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dropIns.path).sorted() == Self.dropInNames)
        for name in Self.dropInNames {
            let link = dropIns.appendingPathComponent(name)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../libdeviceshim.so")
            #expect(link.resolvingSymlinksInPath().path == library.resolvingSymlinksInPath().path)
        }
        // Nothing is left beside it: the folder was made under a temporary name and renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["deviceshim-dropins", "libdeviceshim.so"])
    }

    @Test func runsStartingTogetherAllGetTheWholeFolder() async throws {
        let library = try Self.libraryCopy()
        let folder = library.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = try await withThrowingTaskGroup(of: NativeProgram.Result.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try NativeProgram.run(Self.launcher, arguments: ["/bin/sh", "-c", "ls \"${LD_LIBRARY_PATH%%:*}\""],
                                          environment: ["DEVICESHIM_LIBRARY": library.path])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results {
            #expect(result.status == 0)
            #expect(result.stderr == "")
            #expect(result.stdout.split(separator: "\n").map(String.init) == Self.dropInNames)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["deviceshim-dropins", "libdeviceshim.so"])
    }

    @Test func linksToAnotherLibraryAreReplaced() throws {
        let library = try Self.libraryCopy(named: "libdeviceshim-next.so")
        let folder = library.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dropIns = folder.appendingPathComponent("deviceshim-dropins")
        try FileManager.default.createDirectory(at: dropIns, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dropIns.appendingPathComponent("libcudart.so.12").path,
                                                   withDestinationPath: "../libdeviceshim.so")
        let result = try NativeProgram.run(Self.launcher, arguments: ["/bin/true"], environment: ["DEVICESHIM_LIBRARY": library.path])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        for name in Self.dropInNames {
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dropIns.appendingPathComponent(name).path) == "../libdeviceshim-next.so")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dropIns.path).sorted() == Self.dropInNames)
    }

    @Test func aFolderThatCannotBeMadeLeavesThePreloadAndSaysSo() throws {
        let library = try Self.libraryCopy()
        let folder = library.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("deviceshim-dropins").path
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        let result = try NativeProgram.run(Self.launcher, arguments: ["/bin/sh", "-c", "echo \"$LD_PRELOAD|$LD_LIBRARY_PATH\""],
                                           environment: ["DEVICESHIM_LIBRARY": library.path, "LD_LIBRARY_PATH": "/opt/elsewhere"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(library.path)|/opt/elsewhere\n")
        #expect(result.stderr == "deviceshim-run: warning: cannot make the drop-in folder \(blocker); only preloading \(library.path)\n")
    }

    @Test func aMissingProgramIsAClearError() throws {
        let result = try NativeProgram.run(Self.launcher, arguments: ["/nonexistent-deviceshim/program", "x"],
                                           environment: ["DEVICESHIM_LIBRARY": try NativeProgram.libraryPath()])
        #expect(result.status == 127)
        #expect(result.stderr == "deviceshim-run: /nonexistent-deviceshim/program: no such program\n")
    }

    /// A binary linked against NVIDIA's libcudart.so.12, with NVIDIA's folder nowhere on its
    /// search path, starts under the launcher and its CUDA calls land in DeviceShim.
    @Test func aProgramLinkedToNVIDIAsLibcudartStartsWithoutIt() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .searchPath)
        let library = try NativeProgram.libraryPath()
        let alone = try NativeProgram.run(program, environment: ["LD_LIBRARY_PATH": ""])
        #expect(alone.status == 127)
        #expect(alone.stderr.contains("libcudart.so.12: cannot open shared object file"))

        // The loader refuses a libcudart.so.12 that defines symbol versions but not
        // `libcudart.so.12` (NVIDIA's binaries ask for cudaMalloc@libcudart.so.12, ...):
        // libdeviceshim.so must be linked with preload/deviceshim.map for this to pass.
        let versioned = try CudaLinkedProgram.definesCudartVersion(library)
        let result = try NativeProgram.run(Self.launcher, arguments: [program], environment: [
            "DEVICESHIM_LIBRARY": library, "LD_LIBRARY_PATH": "", "DEVICESHIM_LOG": "off",
        ])
        withKnownIssue("libdeviceshim.so defines no symbol version libcudart.so.12 (Package.swift does not link it with preload/deviceshim.map yet)") {
            #expect(result.status == 0)
            #expect(result.stderr == "")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "cudaLaunchKernel from \(library)")
            // The loader took the drop-in libcudart.so.12 to be the preloaded library itself.
            #expect(lines.dropFirst().first == "libcudart.so.12 is \(library)")
            #expect(lines.contains("launch 209"))
        } when: {
            !versioned
        }
        if !versioned {
            #expect(result.stderr.contains("version `libcudart.so.12' not found (required by \(program))"))
        }
    }
}
