import DeviceShimTensor
import Testing

/// Rank-0 tensors and empty dimensions through the ops that take a dimension. `dim` 0 and -1
/// name a rank-0 tensor itself, as in PyTorch. Each op gives PyTorch's result (PyTorch 2.13,
/// checked by hand), or PyTorch's refusal as a `TensorError`; none may trap.
@Suite("Rank-0 tensors and empty dimensions")
struct EdgeShapeTests {
    @Test(arguments: [0, -1])
    func dimensionOpsWorkAsInPyTorch(dim: Int) throws {
        let x = try Tensor(scalar: 2.5)
        let value = { (tensor: Tensor) throws -> [Float] in try tensor.toArray(Float.self) }
        #expect(try value(x.sum(dims: [dim])) == [2.5])
        #expect(try x.sum(dims: [dim], keepDim: true).shape == [])
        #expect(try value(x.mean(dims: [dim])) == [2.5])
        #expect(try value(x.prod(dims: [dim])) == [2.5])
        #expect(try value(x.max(dims: [dim])) == [2.5])
        #expect(try x.argmax(dim: dim).toArray(Int64.self) == [0])
        #expect(try value(x.norm(dims: [dim])) == [2.5])
        #expect(try value(x.cumsum(dim: dim)) == [2.5])
        #expect(try value(x.cumprod(dim: dim)) == [2.5])
        #expect(try value(x.softmax(dim: dim)) == [1])
        #expect(try value(x.logSoftmax(dim: dim)) == [0])
        let sorted = try x.sort(dim: dim)
        #expect(try value(sorted.values) == [2.5] && sorted.indices.toArray(Int64.self) == [0])
        #expect(try value(x.topk(1, dim: dim).values) == [2.5])
        #expect(try x.unsqueezed(dim).shape == [1])
        #expect(try x.squeezed(dim).shape == [])
        #expect(try x.transposed(dim, dim).shape == [])
        #expect(try x.flattened(startDim: dim, endDim: dim).shape == [1])
        #expect(try Tensor.stack([x, x], dim: dim).shape == [2])
        let index = try Tensor(scalar: 0)
        #expect(try value(x.gather(dim: dim, index: index)) == [2.5])
        #expect(try value(x.indexSelect(dim: dim, index: Tensor([0] as [Int64]))) == [2.5])
        #expect(try value(x.scatter(dim: dim, index: index, value: 4)) == [4])
    }

    @Test(arguments: [0, -1])
    func opsThatNeedADimensionAreRefused(dim: Int) throws {
        let x = try Tensor(scalar: 2.5)
        #expect(throws: TensorError.self) { try x.split(size: 1, dim: dim) }
        #expect(throws: TensorError.self) { try x.split(sizes: [1], dim: dim) }
        #expect(throws: TensorError.self) { try x.chunked(2, dim: dim) }
        #expect(throws: TensorError.self) { try Tensor.cat([x, x], dim: dim) }
        #expect(throws: TensorError.self) { try x.narrowed(dim: dim, start: 0, length: 1) }
        #expect(throws: TensorError.self) { try x.selected(dim: dim, index: 0) }
        #expect(throws: TensorError.self) { try x.sliced(dim: dim, start: 0, end: 1) }
        #expect(throws: TensorError.self) { try x.topk(2, dim: dim) }
        #expect(throws: TensorError.self) { try x.sum(dims: [1]) }
    }

    @Test(arguments: TensorDevices.all)
    func emptyDimensionsReduceAsInPyTorch(device: String) throws {
        let empty = try Tensor.zeros([0], device: device)
        #expect(try empty.sum().toArray(Float.self) == [0])
        #expect(try empty.prod().toArray(Float.self) == [1])
        #expect(try empty.mean().item(Float.self).isNaN)
        #expect(try empty.norm().toArray(Float.self) == [0])
        #expect(try empty.all().toArray(Bool.self) == [true])
        #expect(try empty.any().toArray(Bool.self) == [false])
        #expect(throws: TensorError.self) { try empty.max() }
        #expect(throws: TensorError.self) { try empty.argmax() }
        let wide = try Tensor.zeros([2, 0], device: device)
        #expect(try wide.sum(dims: [1]).toArray(Float.self) == [0, 0])
        #expect(try wide.mean(dims: [1]).toArray(Float.self).allSatisfy(\.isNaN))
        #expect(try wide.max(dims: [0]).shape == [0])
        #expect(try wide.argmax(dim: 0).shape == [0])
        #expect(throws: TensorError.self) { try wide.max(dims: [1]) }
        #expect(throws: TensorError.self) { try wide.argmax(dim: 1) }
        #expect(try wide.softmax(dim: 1).shape == [2, 0])
        #expect(try wide.cumsum(dim: 1).shape == [2, 0])
        #expect(try wide.sort(dim: 1).values.shape == [2, 0])
        #expect(try wide.topk(0, dim: 1).values.shape == [2, 0])
        #expect(try wide.matmul(Tensor.zeros([0, 3], device: device)).toArray(Float.self) == Array(repeating: 0, count: 6))
        // torch.chunk of an empty dimension gives `chunks` empty pieces.
        #expect(try wide.chunked(3, dim: 1).map(\.shape) == [[2, 0], [2, 0], [2, 0]])
        #expect(try empty.chunked(2).map(\.shape) == [[0], [0]])
    }
}
