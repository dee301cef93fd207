import DeviceShimTensor
import Testing

@Suite("Tensor devices")
struct DeviceMovementTests {
    let records = RecordBuffer()

    /// An engine whose policy sends `cuda` and `mps` to the last computing backend here.
    func engine() throws -> (TensorEngine, target: String) {
        let target = TensorDevices.all.last!
        let log = RedirectionLog(level: .debug, sinks: [records])
        let policy = try RedirectPolicy(parsing: "cuda=\(target),cpu; mps=\(target),cpu")
        return (TensorEngine(redirector: Redirector(policy: policy, log: log), log: log), target)
    }

    @Test func cudaTensorsLandOnTheResolvedDeviceAndRecordTheSwiftCaller() throws {
        let (engine, target) = try engine()
        let host = try Tensor([1, 2, 3] as [Float], engine: engine)
        let onCuda = try host.cuda(); let line = #line
        #expect(onCuda.device.backend.rawValue == target)
        #expect(onCuda.requestedDevice.description == "cuda")
        #expect(try onCuda.mul(2).toArray(Float.self) == [2, 4, 6])
        let record = try #require(records.records.last { $0.api == "Tensor.to" && $0.requested == "cuda" })
        #expect(record.resolved == onCuda.device.description)
        #expect(record.caller?.file?.hasSuffix("DeviceMovementTests.swift") == true)
        #expect(record.caller?.line == line)
        let decision = try #require(records.records.first { $0.level == .info && $0.requested == "cuda" })
        #expect(decision.reason?.contains("rule cuda=\(target),cpu") == true)
    }

    @Test func movingCopiesEvenToTheSameRealDevice() throws {
        let (engine, _) = try engine()
        let host = try Tensor([1, 2, 3] as [Float], engine: engine)
        let moved = try host.mps().cpu()
        try moved.fill(with: 9)
        #expect(try host.toArray(Float.self) == [1, 2, 3])
        #expect(try moved.toArray(Float.self) == [9, 9, 9])
        #expect(try host.cpu().toArray(Float.self) == [1, 2, 3])
    }

    @Test func aBadDeviceStringIsATypedError() throws {
        #expect(throws: TensorError.self) { try Tensor([1] as [Float], device: "cuda:x") }
        #expect(throws: TensorError.self) { try Tensor.zeros([2], device: "cuda:7") }
    }
}

@Suite("Tensor bad input")
struct TensorBadInputTests {
    @Test func hugeRequestsAreErrorsNotCrashes() {
        #expect(throws: TensorError.self) { try Tensor.arange(0, 1e300, step: 1e-300) }
        #expect(throws: TensorError.self) { try Tensor.zeros([Int.max / 2, 4]) }
        #expect(throws: TensorError.self) { try Tensor.rand([1 << 40, 1 << 30]) }
    }

    /// Two engines (two policies) that place tensors on one device share its queue, so work
    /// from one is ordered with work from the other.
    @Test func enginesOnOneDeviceShareItsQueue() throws {
        let other = TensorEngine(redirector: Redirector(policy: try RedirectPolicy(parsing: "cuda=cpu")))
        for round in 0..<20 {
            let written = try Tensor.zeros([1 << 16], device: "cuda", engine: other)
            try written.fill(with: .float(Double(round)))
            let reader = try Tensor.zeros([1 << 16])  // the shared engine's cpu:0
            try reader.copy(from: written)
            #expect(try reader.sum().item(Double.self) == Double(round * (1 << 16)))
        }
    }
}
