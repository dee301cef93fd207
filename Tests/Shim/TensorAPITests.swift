import Foundation
import Synchronization
import Testing

/// tensor_api.c, a C program built with gcc against `include/deviceshim.h` and linked to the
/// freshly built libdeviceshim.so, sets the policy `cuda=<backend>,cpu` and checks the tensor
/// C API (values, every error path, handles shared by threads) on every backend that computes.
@Suite struct TensorAPITests {
    static let source = "tensor_api.c"
    private static let compiled = Mutex<String?>(nil)

    /// The program, compiled once per test process (`-Wall -Wextra -Werror`: a warning fails).
    static func binary() throws -> String {
        try compiled.withLock { binary in
            if let binary { return binary }
            let made = try NativeProgram.compile(source, flags: ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-pthread", "-lm"])
            binary = made
            return made
        }
    }

    /// The backend's name and the device `cuda` must land on under `cuda=<backend>,cpu`.
    static func arguments(_ backend: CudaProgram.Backend) -> [String] {
        [String(backend.resolved.prefix { $0 != ":" }), backend.resolved]
    }

    /// Runs the program on `backend` with `environment`.
    static func run(_ backend: CudaProgram.Backend, environment: [String: String] = [:]) throws -> NativeProgram.Result {
        try NativeProgram.run(try binary(), arguments: arguments(backend), environment: environment, timeout: 300)
    }

    private static let loggedRuns = Mutex<[String: (result: NativeProgram.Result, log: String)]>([:])

    /// The program's run on `backend` with JSON records at `debug` into a file, and the
    /// records (run once per backend per test process: two tests read them).
    static func loggedRun(_ backend: CudaProgram.Backend) throws -> (result: NativeProgram.Result, records: [[String: Any]]) {
        let (result, log) = try loggedRuns.withLock { runs in
            if let run = runs[backend.resolved] { return run }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-tensor-log-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let logFile = folder.appendingPathComponent("records.jsonl").path
            let result = try run(backend, environment: [
                "DEVICESHIM_LOG": "debug", "DEVICESHIM_LOG_FORMAT": "json", "DEVICESHIM_LOG_FILE": logFile,
            ])
            let run = (result: result, log: (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "")
            runs[backend.resolved] = run
            return run
        }
        return (result, try NativeProgram.jsonLines(log))
    }

    /// Each marked call of tensor_api.c: the API as called, the calling function.
    static let markedCalls: [(api: String, symbol: String)] = [
        ("deviceshim_set_policy", "choose_policy"),
        ("deviceshim_tensor_from_data", "upload_matrix"),
        ("deviceshim_tensor_add", "add_bias"),
        ("deviceshim_tensor_matmul", "multiply_matrices"),
        ("deviceshim_tensor_reduce", "row_sums"),
        ("deviceshim_tensor_copy_to_host", "download"),
        ("deviceshim_tensor_free", "release"),
    ]

    @Test(.timeLimit(.minutes(10)), arguments: CudaProgram.computingBackends)
    func theProgramPassesAndEveryCallIsARecordNamingItsCaller(backend: CudaProgram.Backend) throws {
        let (result, records) = try Self.loggedRun(backend)
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "tensor_api.c on \(backend.resolved):\n\(report)")
        #expect(result.stderr == "", "with DEVICESHIM_LOG_FILE nothing goes to stderr")
        let binary = try Self.binary()
        let calls = records.filter { ($0["api"] as? String)?.hasPrefix("deviceshim_") == true }
        try #require(calls.count > 500, "\(calls.count) records of deviceshim_ calls")
        let foreign = calls.filter { ($0["caller"] as? [String: Any])?["object"] as? String != binary }
        #expect(foreign.isEmpty, "records whose caller is not in the program: \(foreign.prefix(3))")

        for (api, symbol) in Self.markedCalls {
            let line = try NativeProgram.line(of: "CALL: \(api) */", in: Self.source)
            let fromMarker = calls.filter { $0["api"] as? String == api && Self.caller($0)["symbol"] as? String == symbol }
            try #require(!fromMarker.isEmpty, "no record of \(api) names \(symbol)")
            for record in fromMarker {
                let caller = Self.caller(record)
                #expect(record["level"] as? String == "debug" && record["status"] as? String == "DEVICESHIM_OK", "\(record)")
                #expect(caller["line"] as? Int == line, "\(api) from \(symbol): line \(caller["line"] ?? "nil"), want \(line)")
                #expect((caller["file"] as? String)?.hasSuffix("Tests/Shim/Programs/tensor_api.c") == true, "\(api): \(caller)")
                #expect((caller["offset"] as? Int ?? 0) > 0, "\(api): \(caller)")
            }
        }
        // The tensor the program uploads: asked for on cuda, placed on the backend.
        let upload = try #require(calls.first { $0["api"] as? String == "deviceshim_tensor_from_data" })
        #expect(upload["requested"] as? String == "cuda" && upload["resolved"] as? String == backend.resolved, "\(upload)")
        #expect((upload["message"] as? String)?.hasSuffix(": [2, 3] float32") == true, "\(upload)")
    }

    @Test(.timeLimit(.minutes(10)), arguments: CudaProgram.computingBackends)
    func failuresAreWarningsWithTheMessageAndTheRedirectionNamesTheCCaller(backend: CudaProgram.Backend) throws {
        let (result, records) = try Self.loggedRun(backend)
        #expect(CudaProgram.verdict(result).passed, "tensor_api.c on \(backend.resolved)")
        // The failing add: a warning with the status and why.
        let line = try NativeProgram.line(of: "CALL: failing deviceshim_tensor_add */", in: Self.source)
        let failure = try #require(records.first { Self.caller($0)["symbol"] as? String == "add_mismatched" && $0["api"] as? String == "deviceshim_tensor_add" })
        #expect(failure["level"] as? String == "warn")
        #expect(failure["status"] as? String == "DEVICESHIM_SHAPE_MISMATCH")
        #expect((failure["message"] as? String)?.hasPrefix("shape mismatch: the size of tensor a (3) must match") == true, "\(failure)")
        #expect(Self.caller(failure)["line"] as? Int == line)
        // Every failed call is a warning with its status and message (the engine's own warnings,
        // such as the redirector's for `cuda:7`, come on top).
        let warnings = records.filter { $0["level"] as? String == "warn" && ($0["api"] as? String)?.hasPrefix("deviceshim_") == true }
        #expect(warnings.count > 60, "\(warnings.count) warnings")
        #expect(warnings.allSatisfy { !(($0["message"] as? String) ?? "").isEmpty && ($0["status"] as? String)?.hasPrefix("DEVICESHIM_") == true },
                "\(warnings.filter { ($0["message"] as? String) == nil }.prefix(3))")
        #expect(!records.contains { $0["level"] as? String == "error" })
        // The redirector's first decision for `cuda` under the program's policy names the C caller.
        let decision = try #require(records.first { $0["level"] as? String == "info" && $0["requested"] as? String == "cuda" })
        #expect(decision["resolved"] as? String == backend.resolved, "\(decision)")
        #expect((decision["reason"] as? String)?.contains("rule cuda=\(Self.arguments(backend)[0]),cpu") == true, "\(decision)")
        #expect(Self.caller(decision)["symbol"] as? String == "upload_matrix", "\(decision)")
        #expect(Self.caller(decision)["line"] as? Int == (try NativeProgram.line(of: "CALL: deviceshim_tensor_from_data */", in: Self.source)))
        // The worker threads' calls are records of their own threads, naming worker_thread.
        let workers = records.filter { Self.caller($0)["symbol"] as? String == "worker_thread" }
        #expect(Set(workers.compactMap { $0["thread"] as? Int }).count == 4, "threads of worker_thread records")
    }

    @Test(arguments: CudaProgram.computingBackends)
    func atTheDefaultLevelOnlyFailuresReachStderrAndWithLoggingOffNothing(backend: CudaProgram.Backend) throws {
        let quiet = try Self.run(backend, environment: ["DEVICESHIM_LOG": "off"])
        #expect(CudaProgram.verdict(quiet).passed, "tensor_api.c with DEVICESHIM_LOG=off:\n\(CudaProgram.verdict(quiet).report)")
        #expect(quiet.stderr == "")
        let result = try Self.run(backend)
        #expect(CudaProgram.verdict(result).passed, "tensor_api.c:\n\(CudaProgram.verdict(result).report)")
        let lines = result.stderrLines
        #expect(lines.count > 60)
        // The calls' warnings, and the redirector's one for `cuda:7`, which has no device.
        let unexpected = lines.filter {
            !($0.hasPrefix("[deviceshim] warning: deviceshim_") && $0.contains(" = DEVICESHIM_"))
                && !$0.hasPrefix("[deviceshim] warning: Tensor.full cuda:7 = no device: cuda:7 does not exist")
        }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(5))")
        let line = try NativeProgram.line(of: "CALL: failing deviceshim_tensor_add */", in: Self.source)
        #expect(lines.contains { $0.hasPrefix("[deviceshim] warning: deviceshim_tensor_add = DEVICESHIM_SHAPE_MISMATCH: shape mismatch: ")
            && $0.contains(" by add_mismatched+0x") && $0.contains("tensor_api.c:\(line) [tid ") })
    }

    /// Every function the header declares is exported by libdeviceshim.so, unversioned, and
    /// every `deviceshim_` export is declared.
    @Test func theHeaderAndTheExportsAgree() throws {
        let header = try String(contentsOf: NativeProgram.repositoryRoot.appendingPathComponent("include/deviceshim.h"), encoding: .utf8)
        let declared = Set(header.matches(of: /\b(deviceshim_[a-z_]+)\(/).map { String($0.output.1) })
        let symbols = try NativeProgram.run("/usr/bin/env", arguments: ["nm", "-D", "--defined-only", try NativeProgram.libraryPath()]).stdout
        let exported = symbols.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { $0.hasPrefix("deviceshim_") }
        #expect(declared.count >= 40, "\(declared.sorted())")
        #expect(exported.allSatisfy { !$0.contains("@") }, "versioned: \(exported.filter { $0.contains("@") })")
        #expect(declared.subtracting(exported).isEmpty, "declared but not exported: \(declared.subtracting(exported).sorted())")
        #expect(Set(exported).subtracting(declared).isEmpty, "exported but not declared: \(Set(exported).subtracting(declared).sorted())")
    }

    static func caller(_ record: [String: Any]) -> [String: Any] { record["caller"] as? [String: Any] ?? [:] }
}
