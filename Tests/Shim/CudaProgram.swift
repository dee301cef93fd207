import DeviceShimDevices
import Foundation
import Synchronization
import Testing

/// Builds the C programs in `Tests/Shim/Programs` as a user's CUDA program is built: against
/// NVIDIA's headers and linked to NVIDIA's real `libcudart.so.12` / `libcublas.so.12` (from
/// `third_party/cuda`, unpacked by `scripts/setup.sh`), not to DeviceShim. Runs them alone (so
/// NVIDIA's runtime answers) or under `preload/deviceshim-run` with the freshly built library.
enum CudaProgram {
    /// A self-checking program: prints `FAIL <line>: ...` for each failed check and ends with
    /// `ok <N> checks` (exit 0) when all passed.
    struct Program: Sendable, CustomTestStringConvertible {
        var source: String
        var arguments: [String] = []
        var environment: [String: String] = [:]
        /// Links libcublas.so.12 too.
        var usesCublas = false
        /// Built with `CUDA_API_PER_THREAD_DEFAULT_STREAM`, so it calls the `_ptsz`/`_ptds` forms.
        var perThreadDefaultStream = false
        /// Built at -O0, so that each call keeps its own line (for tests of logged callers).
        var keepsLines = false
        var testDescription: String {
            ([source] + arguments + (perThreadDefaultStream ? ["(per-thread default stream)"] : [])).joined(separator: " ")
                + environment.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        }
    }

    /// A backend that computes, as a policy and the device `cuda:0` must resolve to under it.
    struct Backend: Sendable, CustomTestStringConvertible {
        var policy: String
        var resolved: String
        var testDescription: String { "DEVICESHIM_POLICY=\(policy)" }
    }

    /// Every backend that computes on this machine (the CPU always; OpenCL and Vulkan where a
    /// driver is installed, as on CI with PoCL and lavapipe). Each program runs on each.
    static let computingBackends: [Backend] = BackendKind.allCases.filter { backend in
        DeviceRegistry.shared.entries(of: backend).first?.compute != nil
    }.map { Backend(policy: "cuda=\($0)", resolved: "\($0):0") }

    static let device = Program(source: "cuda_device.c")
    static let memory = Program(source: "cuda_memory.c")
    static let streams = Program(source: "cuda_streams.c")
    static let cublas = Program(source: "cublas_ops.c", usesCublas: true)
    static let badInput = Program(source: "cuda_bad_input.c", usesCublas: true)
    static let logged = Program(source: "cuda_logged.c", usesCublas: true, keepsLines: true)

    /// The self-checking programs with their arguments: cuda_device.c checks the compute
    /// capability it is given, 8.6 by default and 7.5 under `DEVICESHIM_CC=7.5`.
    static let selfChecking: [Program] = [
        device,
        Program(source: "cuda_device.c", arguments: ["7.5"], environment: ["DEVICESHIM_CC": "7.5"]),
        memory, Program(source: "cuda_memory.c", perThreadDefaultStream: true),
        streams, cublas, badInput, logged,
    ]

    /// Each program source once.
    static let sources: [Program] = [device, memory, streams, cublas, badInput, logged]

    static let launcher = NativeProgram.repositoryRoot.appendingPathComponent("preload/deviceshim-run").path
    static let cudaFolder = NativeProgram.repositoryRoot.appendingPathComponent("third_party/cuda")

    /// NVIDIA's files the programs need are missing.
    struct MissingNVIDIAFiles: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: run scripts/setup.sh, which unpacks NVIDIA's CUDA 12 headers and libraries into third_party/cuda"
        }
    }

    /// The include and library folders of NVIDIA's CUDA in `folder`; throws `MissingNVIDIAFiles`
    /// when any file the programs need is not there (the tests fail; they never skip).
    static func nvidiaFolders(in folder: URL = cudaFolder) throws -> (include: String, library: String) {
        let needed = ["include/cuda_runtime_api.h", "include/cublas_v2.h", "include/cuda_fp16.h",
                      "lib/libcudart.so.12", "lib/libcublas.so.12", "lib/libcublasLt.so.12"]
        for relative in needed {
            let path = folder.appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: path) else { throw MissingNVIDIAFiles(path: path) }
        }
        return (folder.appendingPathComponent("include").path, folder.appendingPathComponent("lib").path)
    }

    private static let compiled = Mutex<[String: String]>([:])

    /// Compiles `program.source` once per test process with gcc (`-Wall -Wextra -Werror`, so a
    /// warning fails the test) and debug information; returns the binary's path.
    /// With `rpathToNVIDIA`, the binary carries an old-style DT_RPATH to NVIDIA's folder, which
    /// the loader searches before LD_LIBRARY_PATH: NVIDIA's own libraries load, not the drop-ins.
    static func compile(_ program: Program, rpathToNVIDIA: Bool = false) throws -> String {
        let (include, library) = try nvidiaFolders()
        let key = program.testDescription + (rpathToNVIDIA ? " rpath" : "")
        return try compiled.withLock { binaries in
            if let binary = binaries[key] { return binary }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-cuda-programs-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let output = folder.appendingPathComponent((program.source as NSString).deletingPathExtension).path
            var arguments = ["gcc", "-std=gnu11", "-pthread", "-g", program.keepsLines ? "-O0" : "-O1",
                             "-Wall", "-Wextra", "-Werror", "-I", include,
                             NativeProgram.programURL(program.source).path, "-o", output,
                             "-L", library, "-l:libcudart.so.12"]
            if program.usesCublas { arguments.append("-l:libcublas.so.12") }
            arguments += ["-Wl,-rpath-link," + library, "-lm"]
            if rpathToNVIDIA { arguments += ["-Wl,--disable-new-dtags,-rpath," + library] }
            if program.perThreadDefaultStream { arguments.insert("-DCUDA_API_PER_THREAD_DEFAULT_STREAM", at: 1) }
            let result = try NativeProgram.run("/usr/bin/env", arguments: arguments)
            try #require(result.status == 0, "gcc failed for \(program.source): \(result.stderr)")
            binaries[key] = output
            return output
        }
    }

    typealias Result = NativeProgram.Result

    /// Runs `binary` under `preload/deviceshim-run` with the freshly built libdeviceshim.so,
    /// NVIDIA's libraries on LD_LIBRARY_PATH, `backend`'s policy and `environment`; under an
    /// address-space limit (`ulimit -v`) of `addressSpaceKiB` when given.
    static func runUnderDeviceShim(_ binary: String, program: Program, backend: Backend,
                                   environment: [String: String] = [:], addressSpaceKiB: Int? = nil) throws -> Result {
        let (_, library) = try nvidiaFolders()
        var settings = program.environment
        settings["DEVICESHIM_LIBRARY"] = try NativeProgram.libraryPath()
        settings["LD_LIBRARY_PATH"] = library
        settings["DEVICESHIM_POLICY"] = backend.policy
        settings.merge(environment) { $1 }
        if let addressSpaceKiB {
            let limited = ["-c", "ulimit -v \(addressSpaceKiB) && exec \"$@\"", "sh", launcher, binary]
            return try run("/bin/sh", arguments: limited + program.arguments, environment: settings)
        }
        return try run(launcher, arguments: [binary] + program.arguments, environment: settings)
    }

    /// Runs `binary` with NVIDIA's real libraries and without DeviceShim.
    static func runAlone(_ binary: String, program: Program) throws -> Result {
        let (_, library) = try nvidiaFolders()
        return try run(binary, arguments: program.arguments, environment: ["LD_LIBRARY_PATH": library])
    }

    static func run(_ path: String, arguments: [String], environment: [String: String]) throws -> Result {
        try NativeProgram.run(path, arguments: arguments, environment: environment)
    }

    /// Whether `result` is a self-checking program's pass (exit 0, last line `ok N checks`),
    /// and if not, what to show: how it ended, its FAIL / FATAL lines and the end of its stderr.
    static func verdict(_ result: Result) -> (passed: Bool, report: String) {
        let lines = result.stdoutLines
        let okLine = lines.last.flatMap { $0.wholeMatch(of: /ok (\d+) checks/) }
        let passed = !result.killedBySignal && result.status == 0 && okLine != nil
        if passed { return (true, lines.last ?? "") }
        var report: [String] = []
        if result.timedOut { report.append("timed out and was killed") }
        else if result.killedBySignal { report.append("killed by signal \(result.status)") }
        else { report.append("exit status \(result.status)") }
        let failures = lines.filter { $0.hasPrefix("FAIL ") || $0.hasPrefix("FATAL") }
        report += failures.prefix(60)
        if failures.count > 60 { report.append("... and \(failures.count - 60) more FAIL lines") }
        if let summary = lines.last(where: { $0.hasPrefix("FAILED ") || $0.hasPrefix("ok ") }) { report.append(summary) }
        if failures.isEmpty { report += lines.suffix(20) }
        let stderr = result.stderr.split(separator: "\n").suffix(15)
        if !stderr.isEmpty { report.append("stderr (last \(stderr.count) lines):") }
        report += stderr.map(String.init)
        return (false, report.joined(separator: "\n"))
    }
}
