import DeviceShimTensor
import Testing

@Suite("Integer matmul")
struct IntegerMatmulTests {
    /// Integer products wrap as PyTorch's do; the expected values are PyTorch 2.13's.
    @Test(arguments: TensorDevices.all)
    func productsWrapAsInPyTorch(device: String) throws {
        let small = try Tensor([-7, 3] as [Int32], shape: [1, 2], device: device)
            .matmul(Tensor([2, -9] as [Int32], shape: [2, 1], device: device))
        #expect(small.dtype == .int32)
        #expect(try small.toArray(Int32.self) == [-41])
        let wrapped = try Tensor([65536] as [Int32], shape: [1, 1], device: device)
            .matmul(Tensor([65536] as [Int32], shape: [1, 1], device: device))
        #expect(try wrapped.toArray(Int32.self) == [0])
        let bytes = try Tensor([200] as [UInt8], shape: [1, 1], device: device).matmul(Tensor([2] as [UInt8], shape: [1, 1], device: device))
        #expect(try bytes.toArray(UInt8.self) == [144])
        // 2^40 · 2^40 + 3 · 5 is 2^80 + 15, beyond float64's exact integers: 15 after wrapping.
        let huge = try Tensor([1 << 40, 3] as [Int64], shape: [1, 2], device: device)
            .matmul(Tensor([1 << 40, 5] as [Int64], shape: [2, 1], device: device))
        #expect(try huge.toArray(Int64.self) == [15])
        #expect(throws: TensorError.self) {
            try Tensor([true], shape: [1, 1], device: device).matmul(Tensor([true], shape: [1, 1], device: device))
        }
    }

    /// The wrapping path (large values) against the exact path (small ones) on a batched,
    /// broadcast product that the wrapping path takes in two chunks of rows (512 and 188).
    @Test func wrappingPathAgreesWithGemmPath() throws {
        let generator = RandomGenerator(seed: 12)
        let a = try Tensor.randint(-50, 50, shape: [2, 700, 64], generator: generator)
        let b = try Tensor.randint(-50, 50, shape: [64, 64], generator: generator)
        let exact = try a.matmul(b)
        // Adding 2^62 to b's first row adds 2^62 · a[…, 0] to each result: a multiple of 2^64,
        // so nothing once wrapped, when a[…, 0] is a multiple of 4.
        let shift = try Tensor.zeros([64, 64], dtype: .int64)
        try shift.selected(dim: 0, index: 0).fill(with: .int(1 << 62))
        let quadrupled = try a.mul(4)
        let wrapped = try quadrupled.matmul(b.add(shift))
        #expect(try wrapped.toArray(Int64.self) == quadrupled.matmul(b).toArray(Int64.self))
        #expect(try exact.shape == [2, 700, 64] && exact.toArray(Int64.self) != wrapped.toArray(Int64.self))
    }
}
