import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `deviceshim-cli run -- PROGRAM [ARGS...]`: runs PROGRAM as `preload/deviceshim-run` does,
/// with this build's `libdeviceshim.so`.
///
/// It finds the library, checks that PROGRAM exists, and then `execv`s the launcher script with
/// `DEVICESHIM_LIBRARY` set: the script alone makes the drop-in folder and sets `LD_PRELOAD` and
/// `LD_LIBRARY_PATH`, so the two ways of running a program can never disagree about them. The
/// launcher `exec`s PROGRAM in turn, so PROGRAM keeps this process and its exit status is ours.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program with DeviceShim preloaded and its drop-in sonames first on LD_LIBRARY_PATH.",
        usage: "deviceshim-cli run -- PROGRAM [ARGS...]",
        discussion: """
            The library is libdeviceshim.so next to deviceshim-cli, or DEVICESHIM_LIBRARY. The environment \
            passes through (DEVICESHIM_*, CUDA_VISIBLE_DEVICES, ...). The exit status is PROGRAM's; 127 if \
            PROGRAM or the library is missing.
            """)

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program to run and its arguments.", valueName: "program"))
    var command: [String] = []

    /// PROGRAM and its arguments. Passthrough capture takes `--` too, which only ends
    /// deviceshim-cli's own arguments.
    var programAndArguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    /// `preload/deviceshim-run` of the checkout this CLI was built from.
    static let launcher = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("preload/deviceshim-run").path

    func validate() throws {
        // Passthrough capture takes `--help` as well.
        if ["-h", "--help"].contains(command.first) { throw CleanExit.helpRequest(self) }
        if programAndArguments.isEmpty { throw ValidationError("missing PROGRAM") }
    }

    func run() throws {
        let command = programAndArguments
        let program = command[0]
        let library = try Self.library()
        guard Self.isRunnable(program) else { throw Self.failure("\(program): no such program", status: 127) }
        guard access(Self.launcher, X_OK) == 0 else {
            throw Self.failure("the launcher \(Self.launcher) is missing: deviceshim-cli runs it from the checkout it was built in", status: 127)
        }
        setenv("DEVICESHIM_LIBRARY", library, 1)
        let arguments = ([Self.launcher] + command).map { strdup($0) } + [nil]
        execv(Self.launcher, arguments)
        let reason = String(cString: strerror(errno))
        throw Self.failure("cannot run \(Self.launcher): \(reason)", status: 126)
    }

    /// DEVICESHIM_LIBRARY if set, otherwise libdeviceshim.so in this executable's folder.
    static func library() throws -> String {
        if let named = ProcessInfo.processInfo.environment["DEVICESHIM_LIBRARY"] {
            guard FileManager.default.fileExists(atPath: named) else {
                throw failure("DEVICESHIM_LIBRARY=\(named) does not exist", status: 127)
            }
            return named
        }
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = folder.appendingPathComponent("libdeviceshim.so").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw failure("no libdeviceshim.so next to deviceshim-cli in \(folder.path): build it (swift build --product deviceshim) or set DEVICESHIM_LIBRARY",
                          status: 127)
        }
        return path
    }

    /// Whether `program` names an executable file, as a path or through PATH (as `execvp` finds it).
    static func isRunnable(_ program: String) -> Bool {
        func isExecutableFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && access(path, X_OK) == 0
        }
        if program.contains("/") { return isExecutableFile(program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":", omittingEmptySubsequences: false).contains { folder in
            isExecutableFile((folder.isEmpty ? "." : String(folder)) + "/" + program)
        }
    }

    /// Writes `deviceshim-cli run: message` to stderr and returns the exit status to throw.
    static func failure(_ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("deviceshim-cli run: \(message)\n".utf8))
        return ExitCode(status)
    }
}
