import DeviceShimTensor
import Testing

/// `like:` forms lay their tensor out as PyTorch's `memory_format=torch.preserve_format` does.
/// Expected strides are PyTorch 2.13's `torch.empty_like(x).stride()` for the same views.
@Suite("like: forms keep the input's layout")
struct LikeLayoutTests {
    static let cases: [(name: String, make: @Sendable (String) throws -> Tensor, strides: [Int])] = [
        ("permuted", { try Tensor.zeros([2, 3, 4], device: $0).permuted([2, 0, 1]) }, [1, 12, 4]),
        ("permuted, stepped", { try Tensor.zeros([2, 3, 4], device: $0).permuted([2, 0, 1]).sliced(dim: 2, start: 0, end: nil, step: 2) }, [1, 8, 4]),
        ("permuted, narrowed", { try Tensor.zeros([2, 3, 4], device: $0).permuted([2, 0, 1]).narrowed(dim: 0, start: 1, length: 3) }, [1, 9, 3]),
        ("expanded", { try Tensor.zeros([2, 1, 4], device: $0).expanded(to: [2, 3, 4]) }, [12, 4, 1]),
        ("a size-1 dim's stride", { try Tensor.zeros([4, 1, 3], device: $0).permuted([1, 2, 0]) }, [3, 1, 3]),
        ("narrowed to size-1 dims", { try Tensor.zeros([2, 2, 2], device: $0).narrowed(dim: 0, start: 0, length: 1).narrowed(dim: 1, start: 0, length: 1) }, [4, 2, 1]),
        ("empty, transposed", { try Tensor.zeros([0, 3], device: $0).transposed() }, [1, 3]),
        ("stepped, transposed", { try Tensor.zeros([6, 4], device: $0).sliced(dim: 0, start: 0, end: nil, step: 2).transposed() }, [1, 4]),
        ("expanded, transposed", { try Tensor.zeros([3, 1], device: $0).expanded(to: [3, 4]).transposed() }, [3, 1]),
    ]

    @Test(arguments: TensorDevices.all)
    func everyLikeFormHasPyTorchsStrides(device: String) throws {
        for (name, make, strides) in Self.cases {
            let model = try make(device)
            let made = try [Tensor.rand(like: model), .randn(like: model), .randint(like: model, 1, 7),
                            .full(like: model, 2.5), .zeros(like: model), .ones(like: model), .empty(like: model)]
            for tensor in made {
                #expect(tensor.shape == model.shape, "\(name)")
                #expect(tensor.strides == strides, "\(name)")
            }
        }
    }

    @Test(arguments: TensorDevices.all)
    func valuesReadInLogicalOrder(device: String) throws {
        let model = try Tensor.zeros([2, 3], device: device).transposed()
        let filled = try Tensor.full(like: model, 1.5)
        #expect(try filled.toArray(Float.self) == Array(repeating: 1.5, count: 6))
        // Writes through the transposed layout land where a contiguous copy reads them.
        let ramp = try Tensor.arange(0, 6, dtype: .float32, device: device).reshaped([3, 2])
        try filled.copy(from: ramp)
        #expect(try filled.contiguous().toArray(Float.self) == [0, 1, 2, 3, 4, 5])
        #expect(try filled.add(ramp).toArray(Float.self) == [0, 2, 4, 6, 8, 10])
    }
}
