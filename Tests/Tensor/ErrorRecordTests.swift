import DeviceShimTensor
import Testing

/// Every `TensorError` a Swift caller gets is also one `warn` record, made where the error
/// is: the op's name, the tensor's devices, the error's name and message, and the Swift code
/// that placed the tensor. Errors passed up through other ops are not recorded again, and an
/// engine whose caller records failures itself (the C API's) makes none.
@Suite("Tensor error records")
struct ErrorRecordTests {
    let records = RecordBuffer()

    func engine(recordsFailures: Bool = true) -> TensorEngine {
        let log = RedirectionLog(level: .debug, sinks: [records])
        return TensorEngine(redirector: Redirector(log: log), log: log, recordsFailures: recordsFailures)
    }

    var warnings: [RedirectionRecord] { records.records.filter { $0.level == .warn } }

    /// Runs `body`, expecting a `TensorError`, and returns it.
    func refusal(_ body: () throws(TensorError) -> Void) throws -> TensorError {
        do throws(TensorError) {
            try body()
        } catch {
            return error
        }
        Issue.record("expected a TensorError")
        throw TensorError.invalidArgument("no error")
    }

    @Test func aRefusedOpIsOneWarningNamingTheOpAndWhereTheTensorWasMade() throws {
        let x = try Tensor([1, 2, 3] as [Float], engine: engine()); let line = #line
        let error = try refusal { () throws(TensorError) in _ = try x.reshaped([2, 2]) }
        let warning = try #require(warnings.only)
        #expect(warning.api == "Tensor.reshaped")
        #expect(warning.status == "shapeMismatch")
        #expect(warning.message == error.description)
        #expect(warning.requested == "cpu" && warning.resolved == "cpu:0")
        #expect(warning.caller?.file?.hasSuffix("ErrorRecordTests.swift") == true)
        #expect(warning.caller?.line == line)
    }

    /// The dimension check all reductions share names the reduction, not itself.
    @Test func aSharedCheckNamesTheOpThatCalledIt() throws {
        let engine = engine()
        let x = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2], engine: engine)
        _ = try refusal { () throws(TensorError) in _ = try x.sum(dims: [5]) }
        _ = try refusal { () throws(TensorError) in _ = try x.narrowed(dim: -3, start: 0, length: 1) }
        _ = try refusal { () throws(TensorError) in _ = try x + Tensor([1, 2, 3] as [Float], engine: engine) }
        #expect(warnings.map(\.api) == ["Tensor.sum", "Tensor.narrowed", "Tensor.add"])
        #expect(warnings.map(\.status) == ["indexOutOfRange", "indexOutOfRange", "shapeMismatch"])
    }

    /// `maskedFill` calls `where`, `full` and the broadcast check; its refusal is still one record.
    @Test func anErrorPassedUpThroughOtherOpsIsRecordedOnce() throws {
        let engine = engine()
        let x = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2], engine: engine)
        let mask = try Tensor([true, false, true], engine: engine)
        _ = try refusal { () throws(TensorError) in _ = try x.maskedFill(mask, 0) }
        _ = try refusal { () throws(TensorError) in _ = try x.maskedFill(try x.greater(0), .float(1e39)) }
        #expect(warnings.map(\.api) == ["Tensor.maskedFill", "Tensor.maskedFill"])
        #expect(warnings.map(\.status) == ["shapeMismatch", "invalidArgument"])
    }

    @Test func aCreationRefusedBeforeAnyTensorNamesTheCaller() throws {
        let engine = engine()
        _ = try refusal { () throws(TensorError) in _ = try Tensor.zeros([2], device: "cuda:x", engine: engine) }; let line = #line
        _ = try refusal { () throws(TensorError) in _ = try Tensor.arange(0, 5, step: 0, engine: engine) }
        #expect(warnings.map(\.api) == ["Tensor.zeros", "Tensor.arange"])
        #expect(warnings.map(\.status) == ["invalidDevice", "invalidArgument"])
        #expect(warnings.first?.requested == "cuda:x")
        #expect(warnings.first?.caller?.line == line)
    }

    @Test func anEngineWhoseCallerRecordsFailuresMakesNoRecordOfThem() throws {
        let x = try Tensor([1, 2, 3] as [Float], engine: engine(recordsFailures: false))
        _ = try refusal { () throws(TensorError) in _ = try x.reshaped([2, 2]) }
        #expect(warnings.isEmpty)
        #expect(!records.records.isEmpty, "the engine's other records are still made")
    }
}

private extension Array {
    /// The one element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
