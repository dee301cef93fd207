import DeviceShimTensor
import Testing

@Suite("Tensor core")
struct TensorCoreTests {
    @Test(arguments: TensorDevices.all)
    func arithmeticBroadcastsAndPromotes(device: String) throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Int32], shape: [2, 3], device: device)
        let b = try Tensor([0.5, 1.5, 2.5] as [Float], device: device)
        let sum = try a + b
        #expect(sum.dtype == .float32)
        #expect(sum.shape == [2, 3])
        #expect(try sum.toArray(Float.self) == [1.5, 3.5, 5.5, 4.5, 6.5, 8.5])
        let halved = try a / 2
        #expect(halved.dtype == .float32)
        #expect(try halved.toArray(Float.self) == [0.5, 1, 1.5, 2, 2.5, 3])
        let shifted = try a + 2
        #expect(shifted.dtype == .int32)
        #expect(try shifted.toArray(Int32.self) == [3, 4, 5, 6, 7, 8])
    }

    @Test(arguments: TensorDevices.all)
    func viewsShareStorage(device: String) throws {
        let base = try Tensor.arange(0, 12, device: device).reshaped([3, 4])
        let transposed = try base.transposed()
        #expect(transposed.shape == [4, 3])
        #expect(transposed.strides == [1, 4])
        #expect(try transposed.toArray(Int64.self) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let column = try base.selected(dim: 1, index: 2)
        try column.fill(with: -1)
        #expect(try base.toArray(Int64.self) == [0, 1, -1, 3, 4, 5, -1, 7, 8, 9, -1, 11])
        let stepped = try base.sliced(dim: 1, start: 0, end: nil, step: 2)
        #expect(try stepped.toArray(Int64.self) == [0, -1, 4, -1, 8, -1])
        #expect(throws: TensorError.self) { try transposed.viewed(as: [12]) }
        #expect(try transposed.reshaped([12]).toArray(Int64.self) == [0, 4, 8, 1, 5, 9, -1, -1, -1, 3, 7, 11])
    }

    @Test(arguments: TensorDevices.all)
    func reductionsOverDims(device: String) throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3], device: device)
        #expect(try x.sum().item() == .float(21))
        #expect(try x.sum(dims: [0]).toArray(Float.self) == [5, 7, 9])
        #expect(try x.mean(dims: [1], keepDim: true).shape == [2, 1])
        #expect(try x.mean(dims: [1]).toArray(Float.self) == [2, 5])
        #expect(try x.argmax(dim: 1).toArray(Int64.self) == [2, 2])
        #expect(try x.argmax().item() == .int(5))
        #expect(try x.variance().item(Double.self) == 3.5)
        let ints = try Tensor([1, 2, 3] as [Int32], device: device)
        #expect(try ints.sum().dtype == .int64)
        #expect(throws: TensorError.self) { try ints.mean() }
    }

    @Test(arguments: TensorDevices.all)
    func matmulBroadcastsBatches(device: String) throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3], device: device)
        let b = try Tensor([7, 8, 9, 10, 11, 12] as [Float], shape: [3, 2], device: device)
        #expect(try a.matmul(b).toArray(Float.self) == [58, 64, 139, 154])
        #expect(try a.matmul(a.transposed()).toArray(Float.self) == [14, 32, 32, 77])
        let batch = try Tensor.stack([a, a.mul(2)])
        let product = try batch.matmul(b)
        #expect(product.shape == [2, 2, 2])
        #expect(try product.toArray(Float.self) == [58, 64, 139, 154, 116, 128, 278, 308])
        let vector = try Tensor([1, 1, 1] as [Float], device: device)
        #expect(try a.matmul(vector).toArray(Float.self) == [6, 15])
        #expect(throws: TensorError.self) { try a.matmul(a) }
    }

    @Test(arguments: TensorDevices.all)
    func chainMatchesHandComputation(device: String) throws {
        let a = try Tensor([1, -2, 3, -4] as [Float], device: device)
        let b = try Tensor([2, 2, 2, 2] as [Float], device: device)
        let c = try Tensor([1, 1, -10, 1] as [Float], device: device)
        #expect(try (a * b + c).relu().sum().item() == .float(3))
    }

    @Test(arguments: TensorDevices.all)
    func sortGatherAndSoftmax(device: String) throws {
        let x = try Tensor([3, 1, 2, 1] as [Float], device: device)
        let (values, indices) = try x.sort()
        #expect(try values.toArray(Float.self) == [1, 1, 2, 3])
        #expect(try indices.toArray(Int64.self) == [1, 3, 2, 0])
        #expect(try x.topk(2).indices.toArray(Int64.self) == [0, 2])
        // Unsorted: any order of the same elements (ours: sorted); the indices point at the values.
        let (smallest, at) = try x.topk(3, largest: false, sorted: false)
        #expect(try smallest.toArray(Float.self).sorted() == [1, 1, 2])
        #expect(try x.gather(dim: 0, index: at).toArray(Float.self) == smallest.toArray(Float.self))
        #expect(try x.cumsum(dim: 0).toArray(Float.self) == [3, 4, 6, 7])
        let probabilities = try x.softmax(dim: 0).toArray(Double.self)
        #expect(Swift.abs(probabilities.reduce(0, +) - 1) < 1e-6)
        let picked = try x.gather(dim: 0, index: Tensor([2, 0] as [Int64], device: device))
        #expect(try picked.toArray(Float.self) == [2, 3])
    }

    /// topk through the device's kernel (the CPU's heap for k up to 6 here, its sort above;
    /// Vulkan's one-pass selection for k up to 16, its argsort's first k above) or a narrowed
    /// sort (OpenCL) gives the stable sort's first k, ties included.
    @Test(arguments: TensorDevices.all)
    func topkIsTheStableSortsPrefix(device: String) throws {
        let generator = RandomGenerator(seed: 7)
        let x = try Tensor.randint(0, 20, shape: [4, 100], generator: generator, device: device).converted(to: .float32)
        for k in [1, 6, 7, 50, 100] {
            for largest in [true, false] {
                let (values, indices) = try x.topk(k, dim: 1, largest: largest)
                let (sortedValues, order) = try x.sort(dim: 1, descending: largest)
                #expect(values.shape == [4, k] && indices.shape == [4, k])
                #expect(try indices.toArray(Int64.self) == order.narrowed(dim: 1, start: 0, length: k).toArray(Int64.self),
                        "k \(k), largest \(largest)")
                #expect(try values.toArray(Float.self) == sortedValues.narrowed(dim: 1, start: 0, length: k).toArray(Float.self))
            }
        }
    }

    /// Compound assignment writes into the tensor's storage, so views see it; a result that
    /// would change the tensor's shape or lose its kind of dtype is refused, as `add_` is.
    @Test(arguments: TensorDevices.all)
    func compoundAssignmentWritesInPlace(device: String) throws {
        var x = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3], device: device)
        let row = try x.selected(dim: 0, index: 1)
        try x += Tensor([10, 20, 30] as [Float], device: device)
        try x *= 2
        #expect(try row.toArray(Float.self) == [28, 50, 72])
        var counts = try Tensor([1, 2, 3] as [Int32], device: device)
        try counts += Tensor([0.5, 0.5, 0.5] as [Float], device: device).greater(0)  // bool into int32 converts
        #expect(try counts.toArray(Int32.self) == [2, 3, 4])
        #expect(throws: TensorError.self) { try counts += 0.5 }
        #expect(throws: TensorError.self) { try counts /= 2 }
        var flags = try Tensor([true, false], device: device)
        #expect(throws: TensorError.self) { try flags += 1 }
        var small = try Tensor([1, 2, 3] as [Float], device: device)
        #expect(throws: TensorError.self) { try small += Tensor.ones([2, 3], device: device) }
        #expect(try counts.toArray(Int32.self) == [2, 3, 4])
        #expect(try small.toArray(Float.self) == [1, 2, 3])
        #expect(try flags.toArray(Bool.self) == [true, false])
    }

    @Test func mixingDevicesIsAnError() throws {
        guard TensorDevices.all.count > 1 else { return }
        let a = try Tensor([1, 2] as [Float], device: "cpu")
        let b = try Tensor([1, 2] as [Float], device: TensorDevices.all[1])
        #expect(throws: TensorError.deviceMismatch(a.device.description, b.device.description)) { try a + b }
    }

    @Test func randomTensorsRepeatPerSeed() throws {
        let first = try Tensor.rand([5], generator: RandomGenerator(seed: 7)).toArray(Float.self)
        let again = try Tensor.rand([5], generator: RandomGenerator(seed: 7)).toArray(Float.self)
        #expect(first == again)
        #expect(first.allSatisfy { (0..<1).contains($0) })
        let ints = try Tensor.randint(3, 9, shape: [100], generator: RandomGenerator(seed: 1)).toArray(Int64.self)
        #expect(ints.allSatisfy { (3..<9).contains($0) })
        #expect(Set(ints).count == 6)
    }

    @Test func descriptionLooksLikePyTorch() throws {
        let x = try Tensor([1.5, -2, 3.25, 4] as [Float], shape: [2, 2])
        #expect(x.description == "tensor([[ 1.5000, -2.0000],\n        [ 3.2500,  4.0000]], shape=[2, 2], dtype=float32, device=cpu on cpu:0)")
        let large = try Tensor.arange(0, 2000)
        #expect(large.description.hasPrefix("tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000]"))
    }
}
