import DeviceShimTensor
import Testing

/// Every case of `Tests/Tensor/Reference` (PyTorch CPU results, see its README) replayed on
/// every backend that computes here.
@Suite("PyTorch reference cases")
struct ReferenceTests {
    static let families = ["creation", "views", "unary", "binary", "promotion", "reductions", "matmul", "joining",
                           "indexing", "scans", "sorting", "overlapping"]
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
                let (inputs, results) = try ReferenceCall(testCase: testCase, backend: device, engine: engine).runKeepingInputs()
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
                if family == "views", let problem = try Self.aliasingProblem(testCase, input: inputs.first as? Tensor, result: results[0]) {
                    failures.append("\(testCase.name): \(problem)")
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
            } catch let error as TensorError {
                // PyTorch's "out of range" errors (an IndexError) are ours of that kind too.
                let message = testCase.expected.object?["message"]?.string ?? ""
                if message.contains("out of range"), case .indexOutOfRange = error { continue }
                if message.contains("out of range") { accepted.append("\(testCase.name): \(error), expected indexOutOfRange") }
                continue
            } catch {
                accepted.append("\(testCase.name): harness error \(error)")
            }
        }
        #expect(accepted.isEmpty, Comment(rawValue: "\(accepted.count) of \(cases.count) refusals were not the right TensorErrors on \(device):\n" + accepted.joined(separator: "\n")))
    }

    /// Why a view op's result does not alias its input as PyTorch's does, or nil. Where PyTorch
    /// gives a view, the result must have its strides (on dims longer than 1: PyTorch's strides
    /// of size-1 dims are a convention) and offset, and see a write to the input; where
    /// PyTorch copies (`contiguous` of a transposed tensor), it must not see the write.
    static func aliasingProblem(_ testCase: ReferenceCase, input: Tensor?, result: Tensor) throws -> String? {
        guard let input, result.count > 0 else { return nil }
        if let strides = testCase.view_strides {
            let differs = zip(zip(result.shape, result.strides), strides).contains { $0.0 > 1 && $0.1 != $1 }
            if differs || result.offset != testCase.view_offset {
                return "view strides \(result.strides) offset \(result.offset), PyTorch's \(strides) offset \(testCase.view_offset ?? -1)"
            }
        }
        let values = { () throws -> [Double] in try result.converted(to: .float64).toArray(Double.self) }
        let before = try values()
        // Two different writes, so that a result already holding one value still tells.
        let marks: [TensorScalar] = input.dtype == .bool ? [.bool(true), .bool(false)] : [.int(7), .int(3)]
        var seen: [[Double]] = []
        for mark in marks {
            try input.fill(with: mark)
            seen.append(try values())
        }
        if testCase.view_strides != nil, !zip(marks, seen).allSatisfy({ mark, now in now.allSatisfy { $0 == mark.doubleValue } }) {
            return "PyTorch's result is a view of the input; this one does not see writes to it"
        }
        if testCase.view_strides == nil, seen.contains(where: { $0 != before }) {
            return "PyTorch's result is a copy; this one changed when the input was written"
        }
        return nil
    }
}
