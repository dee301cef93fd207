import Testing
@testable import DeviceShimDevices

@Suite struct PolicyGrammarTests {
    @Test func parsesTheIssueExample() throws {
        let policy = try RedirectPolicy(parsing: "cuda=vulkan,opencl,cpu;mps=opencl,cpu;cuda:1=opencl:0")
        #expect(policy.rules.map(\.description) == ["cuda=vulkan,opencl,cpu", "mps=opencl,cpu", "cuda:1=opencl:0"])
        #expect(policy.rules[2].targets == [.backend(.opencl, index: 0)])
        #expect(policy.description == "cuda=vulkan,opencl,cpu;mps=opencl,cpu;cuda:1=opencl:0")
    }

    @Test func acceptsSpacesCaseNewlinesCommentsAndATrailingSeparator() throws {
        let text = """
            # DeviceShim policy
            CUDA = Vulkan , CPU   # GPUs first
            mps=gpu;   gpu = opencl:1 ;
            """
        let policy = try RedirectPolicy(parsing: text)
        #expect(policy.description == "cuda=vulkan,cpu;mps=gpu;gpu=opencl:1")
    }

    @Test(arguments: [
        ("cuda=vulkn", 1, 6, "a target (cpu, opencl[:N], vulkan[:N], gpu)", "\"vulkn\""),
        ("cuda", 1, 5, "'=' after cuda", "the end"),
        ("cuda=", 1, 6, "a target (cpu, opencl[:N], vulkan[:N], gpu)", "the end"),
        ("cuda:x=cpu", 1, 6, "a device index (0, 1, …) after ':'", "\"x\""),
        ("cuda=cpu cpu", 1, 10, "',' and another target, or ';' before the next rule", "\"cpu\""),
        ("cuda=cpu;cuda=gpu", 1, 10, "each request once", "a second rule for cuda"),
        ("tpu=cpu", 1, 1, "a device request (cuda, mps, cpu, opencl, vulkan, gpu)", "\"tpu\""),
        ("cuda=cpu,,vulkan", 1, 10, "a target (cpu, opencl[:N], vulkan[:N], gpu)", "\",\""),
        ("mps=cpu\ncuda=vulkan:99999999999999999999", 2, 13, "a device index (0, 1, …) after ':'", "\"999999999999\""),
    ])
    func errorsNameThePositionAndWhatWasExpected(text: String, line: Int, column: Int, expected: String, found: String) {
        #expect(throws: PolicyError(source: "test", line: line, column: column, expected: expected, found: found)) {
            try RedirectPolicy(parsing: text, source: "test")
        }
    }

    @Test func errorDescriptionsReadWell() {
        let error = PolicyError(source: "DEVICESHIM_POLICY", line: 1, column: 6, expected: "a target", found: "\"vulkn\"")
        #expect(error.description == "DEVICESHIM_POLICY: at character 6: expected a target, found \"vulkn\"")
        let multiline = PolicyError(source: "/etc/ds.conf", line: 3, column: 2, expected: "'='", found: "the end")
        #expect(multiline.description == "/etc/ds.conf: at line 3, column 2: expected '=', found the end")
    }

    @Test func requestsParse() throws {
        #expect(try DeviceRequest(parsing: "cuda:1") == DeviceRequest(.cuda, index: 1))
        #expect(try DeviceRequest(parsing: " MPS ") == DeviceRequest(.mps))
        #expect(throws: PolicyError.self) { try DeviceRequest(parsing: "cuda:") }
        #expect(throws: PolicyError.self) { try DeviceRequest(parsing: "cuda:0 extra") }
    }

    /// Request and backend kinds hash by their position in `allCases`, one each, so requests
    /// and devices of different kinds stay apart in dictionaries.
    @Test func kindsArePositionedAsListed() {
        #expect(DeviceRequest.Kind.allCases.map(\.position) == Array(0..<DeviceRequest.Kind.allCases.count))
        #expect(BackendKind.allCases.map(\.position) == Array(0..<BackendKind.allCases.count))
        let requests = DeviceRequest.Kind.allCases.flatMap { [DeviceRequest($0), DeviceRequest($0, index: 0), DeviceRequest($0, index: 1)] }
        #expect(Set(requests).count == requests.count)
    }

    /// Random valid policies print and parse back to themselves; random edits of them either
    /// parse or fail with a position inside the text. Seeded, so failures reproduce.
    @Test func propertyRandomPoliciesRoundTripAndEditsNeverCrash() throws {
        var random = SeededGenerator(seed: 0x5EED)
        let requestKinds = DeviceRequest.Kind.allCases
        let targets: [PolicyTarget] = [.gpu] + BackendKind.allCases.flatMap { [.backend($0, index: nil), .backend($0, index: 0), .backend($0, index: 3)] }
        for _ in 0..<500 {
            var rules: [RedirectPolicy.Rule] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let request = DeviceRequest(requestKinds.randomElement(using: &random)!, index: Bool.random(using: &random) ? nil : Int.random(in: 0...7, using: &random))
                guard !rules.contains(where: { $0.request == request }) else { continue }
                rules.append(RedirectPolicy.Rule(request: request, targets: (0..<Int.random(in: 1...4, using: &random)).map { _ in targets.randomElement(using: &random)! }))
            }
            let policy = RedirectPolicy(rules: rules)
            #expect(try RedirectPolicy(parsing: policy.description) == policy)

            var text = Array(policy.description)
            let position = Int.random(in: 0...text.count, using: &random)
            text.insert(["=", ",", ";", ":", "x", " ", "9", "\n", "#"].randomElement(using: &random)!, at: position)
            do {
                _ = try RedirectPolicy(parsing: String(text))
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && error.column <= text.count + 1)
            }
        }
    }
}

@Suite struct PolicySettingsTests {
    static func reading(_ environment: [String: String], files: [String: String] = [:]) -> (settings: PolicySettings, problems: [String]) {
        PolicySettings.reading(environment: { environment[$0] }, readFile: { path in
            files[path].map { .success($0) } ?? .failure(FileReadError(reason: "No such file or directory"))
        })
    }

    @Test func defaultsWithoutSettings() {
        let (settings, problems) = Self.reading([:])
        #expect(settings == PolicySettings(policy: .default, visibleCudaDevices: nil))
        #expect(settings.policy.description == "cuda=gpu,cpu;mps=gpu,cpu;gpu=gpu,cpu")
        #expect(problems.isEmpty)
    }

    @Test func environmentWinsOverTheConfigFileWhichWinsOverTheDefault() {
        let (settings, problems) = Self.reading(
            ["DEVICESHIM_CONFIG": "/etc/ds.conf", "DEVICESHIM_POLICY": "cuda=opencl,cpu"],
            files: ["/etc/ds.conf": "cuda = vulkan\nmps = cpu\n"])
        #expect(problems.isEmpty)
        #expect(settings.policy.description == "cuda=opencl,cpu;mps=cpu;gpu=gpu,cpu")
    }

    @Test func badPolicyTextIsAWarningAndTheDefault() {
        let (settings, problems) = Self.reading(["DEVICESHIM_POLICY": "cuda=vulkn"])
        #expect(settings.policy == .default)
        #expect(problems == ["DEVICESHIM_POLICY: at character 6: expected a target (cpu, opencl[:N], vulkan[:N], gpu), found \"vulkn\"; using the default policy"])
    }

    @Test func unreadableOrBadConfigFilesAreIgnoredWithAWarning() {
        let missing = Self.reading(["DEVICESHIM_CONFIG": "/nonexistent.conf"])
        #expect(missing.settings.policy == .default)
        #expect(missing.problems == ["DEVICESHIM_CONFIG=\"/nonexistent.conf\" cannot be read (No such file or directory); the file is ignored"])
        let bad = Self.reading(["DEVICESHIM_CONFIG": "/etc/ds.conf"], files: ["/etc/ds.conf": "cuda=cpu\nmps=\n"])
        #expect(bad.settings.policy == .default)
        #expect(bad.problems == ["DEVICESHIM_CONFIG: /etc/ds.conf: at line 2, column 5: expected a target (cpu, opencl[:N], vulkan[:N], gpu), found the end of the line; the file is ignored"])
    }

    @Test(arguments: [("1,0", [1, 0]), ("0,abc,1", [0]), ("", []), (" 2 , 1", [2, 1]), ("-1,0", []), ("GPU-1234", [])])
    func cudaVisibleDevicesParsesAsCudaDoes(text: String, indices: [Int]) {
        #expect(PolicySettings.parseVisibleDevices(text) == indices)
    }
}
