import Foundation
import Testing

extension Tag {
    /// Needs DeviceShim's CUDA runtime and cuBLAS C exports: until an export a program calls
    /// exists, NVIDIA's own function answers and the program fails (its FAIL / FATAL lines say
    /// which call). These tests are the acceptance tests of those exports.
    @Tag static var cudaExports: Self
}

/// C programs built as a user's CUDA program is built (NVIDIA's headers, linked to NVIDIA's
/// real libcudart.so.12 / libcublas.so.12) run under `preload/deviceshim-run` on every backend
/// that computes, and check themselves against CUDA's documented behaviour.
@Suite struct CudaProgramTests {
    // MARK: - The programs really use NVIDIA's libraries

    /// Without DeviceShim, NVIDIA's runtime answers: with no driver it is
    /// cudaErrorInsufficientDriver (35), which each program reports and exits with.
    @Test(arguments: CudaProgram.sources)
    func aloneNVIDIAsRuntimeAnswersInsufficientDriver(program: CudaProgram.Program) throws {
        let binary = try CudaProgram.compile(program)
        let result = try CudaProgram.runAlone(binary, program: program)
        let exitedWith35 = !result.killedBySignal && result.status == 35
        #expect(exitedWith35, "\(program.source) without DeviceShim: \(CudaProgram.verdict(result).report)")
        #expect(result.stdout.contains("cudaErrorInsufficientDriver"), "stdout: \(result.stdout)")
    }

    @Test func aMissingThirdPartyFolderIsAFailureNamingSetup() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-deviceshim/third_party/cuda")
        let error = #expect(throws: CudaProgram.MissingNVIDIAFiles.self) {
            try CudaProgram.nvidiaFolders(in: missing)
        }
        #expect(error?.description.contains("run scripts/setup.sh") == true)
        #expect(error?.description.hasPrefix("/nonexistent-deviceshim/third_party/cuda/") == true)
    }

    // MARK: - Self-checking programs under DeviceShim

    @Test(.tags(.cudaExports), .timeLimit(.minutes(10)),
          arguments: CudaProgram.selfChecking, CudaProgram.computingBackends)
    func selfCheckingProgramPasses(program: CudaProgram.Program, backend: CudaProgram.Backend) throws {
        let binary = try CudaProgram.compile(program)
        let result = try CudaProgram.runUnderDeviceShim(binary, program: program, backend: backend)
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "\(program.testDescription) under \(backend.testDescription):\n\(report)")
    }

    /// A binary whose DT_RPATH finds NVIDIA's libraries before the launcher's drop-ins still
    /// runs on DeviceShim: the preloaded exports take its calls. The loader's own log shows
    /// NVIDIA's libcudart and libcublas were loaded.
    @Test(.tags(.cudaExports), arguments: CudaProgram.computingBackends)
    func programsThatLoadNVIDIAsLibrariesAreInterceptedByThePreload(backend: CudaProgram.Backend) throws {
        let program = CudaProgram.cublas
        let binary = try CudaProgram.compile(program, rpathToNVIDIA: true)
        let loaderLog = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-ld-\(UUID().uuidString)").path
        let result = try CudaProgram.runUnderDeviceShim(binary, program: program, backend: backend,
                                                        environment: ["LD_DEBUG": "libs", "LD_DEBUG_OUTPUT": loaderLog])
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "\(program.testDescription) with NVIDIA's libraries loaded:\n\(report)")
        let folder = FileManager.default.temporaryDirectory.path
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix((loaderLog as NSString).lastPathComponent) }
        defer { for log in logs { try? FileManager.default.removeItem(atPath: folder + "/" + log) } }
        let text = try logs.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined()
        let (_, library) = try CudaProgram.nvidiaFolders()
        #expect(text.contains("calling init: \(library)/libcudart.so.12"), "NVIDIA's libcudart was not loaded")
        #expect(text.contains("calling init: \(library)/libcublas.so.12"), "NVIDIA's libcublas was not loaded")
    }

    /// Under `ulimit -v 8 GiB` the terabyte of device addresses DeviceShim reserves is refused;
    /// a smaller reservation still gives cudaMalloc its memory (before, 36 checks failed with
    /// cudaErrorMemoryAllocation).
    @Test(.tags(.cudaExports))
    func deviceMemoryWorksUnderAnAddressSpaceLimit() throws {
        let program = CudaProgram.memory
        let binary = try CudaProgram.compile(program)
        let cpu = CudaProgram.Backend(policy: "cuda=cpu", resolved: "cpu:0")
        let result = try CudaProgram.runUnderDeviceShim(binary, program: program, backend: cpu, addressSpaceKiB: 8 << 20)
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "\(program.testDescription) under ulimit -v 8 GiB:\n\(report)")
    }

    // MARK: - Redirection records

    /// Each marked call of cuda_logged.c: the API as called, the calling function.
    static let markedCalls: [(api: String, symbol: String)] = [
        ("cudaSetDevice", "choose_device"),
        ("cudaMalloc", "allocate_matrix"),
        ("cudaMemcpy", "upload_weights"),
        ("cudaStreamCreate", "make_stream"),
        ("cublasSgemm_v2", "multiply"),
        ("cudaMemcpyAsync", "download_result"),
        ("cudaStreamSynchronize", "wait_for"),
        ("cudaFree", "release_matrix"),
    ]

    /// Runs cuda_logged.c with JSON records at `debug` into a file; returns the run and the records.
    func loggedRun(_ backend: CudaProgram.Backend) throws -> (binary: String, result: CudaProgram.Result, records: [[String: Any]]) {
        let binary = try CudaProgram.compile(CudaProgram.logged)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-cuda-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logFile = folder.appendingPathComponent("records.jsonl").path
        let result = try CudaProgram.runUnderDeviceShim(binary, program: CudaProgram.logged, backend: backend, environment: [
            "DEVICESHIM_LOG": "debug", "DEVICESHIM_LOG_FORMAT": "json", "DEVICESHIM_LOG_FILE": logFile,
        ])
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return (binary, result, try NativeProgram.jsonLines(text))
    }

    @Test(.tags(.cudaExports), arguments: CudaProgram.computingBackends)
    func recordsNameTheCallingFunctionAndLine(backend: CudaProgram.Backend) throws {
        let (binary, result, records) = try loggedRun(backend)
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "cuda_logged.c under \(backend.testDescription):\n\(report)")
        #expect(result.stderr == "", "with DEVICESHIM_LOG_FILE nothing goes to stderr")
        for (api, symbol) in Self.markedCalls {
            let line = try NativeProgram.line(of: "CALL: \(api) */", in: "cuda_logged.c")
            let calls = records.filter { $0["api"] as? String == api }
            try #require(!calls.isEmpty, "no record with api \"\(api)\" among \(Set(records.compactMap { $0["api"] as? String }).sorted())")
            let fromMarker = calls.filter { ($0["caller"] as? [String: Any])?["symbol"] as? String == symbol }
            #expect(!fromMarker.isEmpty,
                    "records of \(api) name callers \(calls.map { ($0["caller"] as? [String: Any])?["symbol"] as? String ?? "nil" }), want \(symbol)")
            for record in fromMarker {
                let caller = try #require(record["caller"] as? [String: Any])
                #expect(caller["line"] as? Int == line, "\(api) from \(symbol): line \(caller["line"] ?? "nil"), want \(line)")
                #expect((caller["file"] as? String)?.hasSuffix("Tests/Shim/Programs/cuda_logged.c") == true,
                        "\(api): file \(caller["file"] ?? "nil")")
                #expect(caller["object"] as? String == binary, "\(api): object \(caller["object"] ?? "nil")")
                #expect((caller["offset"] as? Int ?? 0) > 0, "\(api): offset \(caller["offset"] ?? "nil")")
            }
        }
        // The copies of 4 x 4 floats carry their size.
        for api in ["cudaMemcpy", "cudaMemcpyAsync"] {
            let sizes = records.filter { $0["api"] as? String == api }.map { $0["bytes"] as? Int }
            #expect(!sizes.isEmpty && sizes.allSatisfy { $0 == 64 }, "\(api) records' bytes: \(sizes), want 64 each")
        }
    }

    @Test(.tags(.cudaExports), arguments: CudaProgram.computingBackends)
    func firstUseOfCuda0IsAnInfoRecordNamingTheRule(backend: CudaProgram.Backend) throws {
        let (_, result, records) = try loggedRun(backend)
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "cuda_logged.c under \(backend.testDescription):\n\(report)")
        let first = try #require(records.first { $0["requested"] as? String == "cuda:0" },
                                 "no record with requested \"cuda:0\" among \(records.count) records")
        #expect(first["level"] as? String == "info", "first use of cuda:0: \(first)")
        #expect(first["resolved"] as? String == backend.resolved, "first use of cuda:0: \(first)")
        #expect((first["reason"] as? String)?.contains("rule \(backend.policy)") == true,
                "the reason names the rule \(backend.policy): \(first)")
    }

    @Test(.tags(.cudaExports), arguments: CudaProgram.computingBackends)
    func nothingReachesStderrWhenLoggingIsOff(backend: CudaProgram.Backend) throws {
        let binary = try CudaProgram.compile(CudaProgram.badInput)
        let result = try CudaProgram.runUnderDeviceShim(binary, program: CudaProgram.badInput, backend: backend,
                                                        environment: ["DEVICESHIM_LOG": "off"])
        let (passed, report) = CudaProgram.verdict(result)
        #expect(passed, "cuda_bad_input.c under \(backend.testDescription):\n\(report)")
        #expect(result.stderr == "", "stderr with DEVICESHIM_LOG=off:\n\(result.stderr)")
    }
}

/// A program built with `CUDA_API_PER_THREAD_DEFAULT_STREAM` calls the `_ptsz` / `_ptds`
/// forms; DeviceShim exports them (the self-checking run of that build is in `selfChecking`).
@Suite struct PerThreadDefaultStreamBuildTests {
    @Test func thePerThreadBuildCallsThePtszFormsAndDeviceShimExportsThem() throws {
        let binary = try CudaProgram.compile(Program(source: "cuda_memory.c", perThreadDefaultStream: true))
        let undefined = try NativeProgram.run("/usr/bin/env", arguments: ["nm", "-D", "--undefined-only", binary]).stdout
        let called = Set(undefined.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.split(separator: "@")[0]) } }
            .filter { $0.hasSuffix("_ptsz") || $0.hasSuffix("_ptds") })
        #expect(called.contains("cudaMemcpy_ptds") && called.contains("cudaMemcpyAsync_ptsz"), "\(called.sorted())")
        let exported = try NativeProgram.run("/usr/bin/env", arguments: ["nm", "-D", "--defined-only", try NativeProgram.libraryPath()]).stdout
        let ours = Set(exported.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.split(separator: "@")[0]) } })
        #expect(called.subtracting(ours).isEmpty, "not exported: \(called.subtracting(ours).sorted())")
    }

    private typealias Program = CudaProgram.Program
}
