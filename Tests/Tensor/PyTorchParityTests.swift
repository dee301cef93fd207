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

    /// On "cuda" through the backend's engine: Vulkan's float64 tanh falls back to the CPU.
    @Test(arguments: TensorDevices.all)
    func geluHasTheTanhForm(backend: String) throws {
        let x = try Tensor([-3, -1, -0.5, 0, 0.5, 1, 3] as [Double], device: "cuda", engine: TensorDevices.engine(backend))
        let expected = [-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0, 0.34571400982514394,
                        0.8411919906082768, 2.996362607918227]
        let approximate = try x.gelu(approximate: .tanh).toArray(Double.self)
        #expect(zip(approximate, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(approximate)")
        let halves = try x.converted(to: .float16).gelu(approximate: .tanh)
        #expect(halves.dtype == .float16)
        #expect(try zip(halves.toArray(Double.self), expected).allSatisfy { abs($0 - $1) <= 2e-3 * max(1, abs($1)) })
        // The exact form differs from it (by 0.0002 at 1).
        #expect(try abs(x.gelu().toArray(Double.self)[5] - 0.8413447460685429) < 1e-12)
    }

    @Test(arguments: TensorDevices.all)
    func softmaxProdAndCumprodTakeADtype(backend: String) throws {
        let counts = try Tensor([1, 2, 3] as [Int32], device: "cuda", engine: TensorDevices.engine(backend))
        #expect(throws: TensorError.self) { try counts.softmax(dim: 0) }
        let soft = try counts.softmax(dim: 0, dtype: .float32)
        #expect(soft.dtype == .float32)
        #expect(try zip(soft.toArray(Float.self), [0.09003057, 0.24472848, 0.66524094] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        let logSoft = try counts.logSoftmax(dim: 0, dtype: .float64)
        #expect(try zip(logSoft.toArray(Double.self), [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(try counts.prod(dtype: .float32).toArray(Float.self) == [6])
        #expect(try counts.prod().dtype == .int64)
        #expect(try counts.prod(dims: [0], keepDim: true, dtype: .int32).toArray(Int32.self) == [6])
        let running = try counts.cumprod(dim: 0, dtype: .float32)
        #expect(running.dtype == .float32)
        #expect(try running.toArray(Float.self) == [1, 2, 6])
        #expect(try counts.cumprod(dim: 0).dtype == .int64)
    }
}
