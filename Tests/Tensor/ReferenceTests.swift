import DeviceShimTensor
import Testing

/// Every case of `Tests/Tensor/Reference` (PyTorch CPU results, see its README) replayed on
/// every backend that computes here.
@Suite("PyTorch reference cases")
struct ReferenceTests {
    static let families = ["creation", "views", "unary", "binary", "promotion", "reductions", "matmul", "joining",
                           "indexing", "scans", "sorting"]
    static let arguments = families.flatMap { family in TensorDevices.all.map { (family, $0) } }

    @Test(arguments: arguments)
    func familyMatchesPyTorch(family: String, device: String) throws {
        let cases = try ReferenceCase.load(family)
        #expect(cases.count > 10)
        var failures: [String] = []
        for testCase in cases {
            do {
                let results = try ReferenceCall(testCase: testCase, backend: device).run()
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
