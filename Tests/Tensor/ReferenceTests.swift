import DeviceShimTensor
import Testing

/// Every case of `Tests/Tensor/Reference` (PyTorch CPU results, see its README) replayed on
/// every backend that computes here.
@Suite("PyTorch reference cases")
struct ReferenceTests {
    static let families = ["creation", "views", "unary", "binary", "promotion", "reductions", "matmul", "joining",
                           "indexing", "scans", "sorting"]
    static let arguments = families.flatMap { family in TensorDevices.all.map { (family, $0) } }

    /// Each family runs on its own engine, whose records prove the backend computed: no
    /// kernel failed (and was disabled), and only the ops the backend lacks by design fell
    /// back to the CPU.
    @Test(arguments: arguments)
    func familyMatchesPyTorch(family: String, device: String) throws {
        let cases = try ReferenceCase.load(family)
        #expect(cases.count > 10)
        let records = RecordBuffer()
        let engine = TensorDevices.engine(device, recordingTo: records)
        var failures: [String] = []
        defer {
            let faults = records.records.filter { $0.status == "disabled" || $0.status == "retired" }
            #expect(faults.isEmpty, Comment(rawValue: "\(family) on \(device): " + faults.map { $0.message ?? "" }.joined(separator: "; ")))
            let declared = TensorDevices.declaredFallbacks[device] ?? []
            let fellBack = records.records.compactMap(\.reason).filter { $0.hasPrefix("fallback:") }
            let undeclared = fellBack.filter { reason in !declared.contains { reason.hasSuffix("has no \($0)") } }
            #expect(undeclared.isEmpty, Comment(rawValue: "\(family) on \(device) fell back: " + undeclared.joined(separator: "; ")))
        }
        for testCase in cases {
            do {
                let results = try ReferenceCall(testCase: testCase, backend: device, engine: engine).run()
                let expected = testCase.expected.array ?? [testCase.expected]
                guard results.count == expected.count else {
                    failures.append("\(testCase.name): \(results.count) results, expected \(expected.count)")
                    continue
                }
                for (result, wanted) in zip(results, expected) {
                    if let problem = try ReferenceTensors.mismatch(result, wanted, tolerance: testCase.tolerance) {
                        failures.append("\(testCase.name): \(problem)")
                    }
                }
            } catch {
                failures.append("\(testCase.name): threw \(error)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(cases.count) \(family) cases differ on \(device):\n" + failures.joined(separator: "\n")))
    }

    @Test(arguments: TensorDevices.all)
    func refusalsAreTypedErrors(device: String) throws {
        let cases = try ReferenceCase.load("errors")
        var accepted: [String] = []
        for testCase in cases where !testCase.name.hasSuffix("tuple-dim") {
            do {
                let results = try ReferenceCall(testCase: testCase, backend: device).run()
                accepted.append("\(testCase.name): gave \(results.map { "\($0.dtype)\($0.shape)" })")
            } catch is TensorError {
                continue
            } catch {
                accepted.append("\(testCase.name): harness error \(error)")
            }
        }
        #expect(accepted.isEmpty, Comment(rawValue: "\(accepted.count) of \(cases.count) refusals were not TensorErrors on \(device):\n" + accepted.joined(separator: "\n")))
    }
}
