import DeviceShimTensor
import Testing

/// Forms and refusals a PyTorch user expects, each checked against PyTorch 2.13 by hand.
@Suite("PyTorch parity")
struct PyTorchParityTests {
    @Test(arguments: TensorDevices.all)
    func maxAndMinAlongADimGiveIndices(device: String) throws {
        let x = try Tensor([1, 5, 7, 2] as [Float], shape: [2, 2], device: device)
        let (values, indices) = try x.max(dim: 1)
        #expect(try values.toArray(Float.self) == [5, 7])
        #expect(try indices.toArray(Int64.self) == [1, 0])
        let kept = try x.min(dim: 0, keepDim: true)
        #expect(kept.values.shape == [1, 2] && kept.indices.shape == [1, 2])
        #expect(try kept.values.toArray(Float.self) == [1, 2] && kept.indices.toArray(Int64.self) == [0, 1])
        // Ties give the first index; NaN wins, as in PyTorch.
        #expect(try Tensor([3, 1, 3] as [Float], device: device).max(dim: 0).indices.item(Int64.self) == 0)
        let withNaN = try Tensor([1, .nan, 3, .nan] as [Float], device: device).max(dim: 0)
        #expect(try withNaN.values.item(Float.self).isNaN && withNaN.indices.item(Int64.self) == 1)
        // Bools have a max along a dim, but no argmax.
        let flags = try Tensor([true, false], shape: [1, 2], device: device)
        #expect(try flags.max(dim: 1).values.toArray(Bool.self) == [true] && flags.max(dim: 1).indices.toArray(Int64.self) == [0])
        #expect(throws: TensorError.invalidArgument("argmax(): does not support bool input")) { try flags.argmax() }
    }

    @Test(arguments: TensorDevices.all)
    func boolSubtractionIsRefusedFromEitherSide(device: String) throws {
        let flags = try Tensor([true, false], device: device)
        let refusal = TensorError.invalidArgument("subtraction with a bool tensor is not supported; use logicalXor or logicalNot")
        #expect(throws: refusal) { try 1 - flags }
        #expect(throws: refusal) { try flags - 1 }
        #expect(throws: refusal) { try Tensor([1, 2] as [Int32], device: device) - flags }
        #expect(try (1 - Tensor([1, 2] as [Int32], device: device)).toArray(Int32.self) == [0, -1])
    }

    @Test(arguments: TensorDevices.all)
    func maskedFillBroadcastsAndTakesATensorValue(device: String) throws {
        let row = try Tensor([1, 2, 3] as [Float], device: device)
        let mask = try Tensor([true, false, false, false, false, true], shape: [2, 3], device: device)
        let filled = try row.maskedFill(mask, 9)
        #expect(filled.shape == [2, 3])
        #expect(try filled.toArray(Float.self) == [9, 2, 3, 1, 2, 9])
        let byTensor = try row.maskedFill(mask, Tensor(scalar: 4, device: device))
        #expect(byTensor.dtype == .float32)
        #expect(try byTensor.toArray(Float.self) == [4, 2, 3, 1, 2, 4])
        #expect(throws: TensorError.self) { try row.maskedFill(mask, Tensor([4, 5] as [Float], device: device)) }
        #expect(throws: TensorError.self) { try row.maskedFill(Tensor([true, false], device: device), 9) }
    }

    @Test(arguments: TensorDevices.all)
    func clampTakesOneTensorBound(device: String) throws {
        let x = try Tensor([-2, 0, 5] as [Float], device: device)
        let bound = try Tensor([-1, 1, 1] as [Float], device: device)
        #expect(try x.clamp(min: bound).toArray(Float.self) == [-1, 1, 5])
        #expect(try x.clamp(max: bound).toArray(Float.self) == [-2, 0, 1])
    }
}
