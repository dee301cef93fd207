import DeviceShimTensor
import Testing

@Suite("Random and …Like creation")
struct RandomCreationTests {
    @Test(arguments: TensorDevices.all)
    func aSeedGivesTheSameNumbersOnEveryBackend(device: String) throws {
        func draws(_ device: String) throws -> (uniform: [Float], normal: [Float], integers: [Int64]) {
            let generator = RandomGenerator(seed: 2026)
            return try (Tensor.rand([257], generator: generator, device: device).toArray(Float.self),
                        Tensor.randn([257], generator: generator, device: device).toArray(Float.self),
                        Tensor.randint(-5, 5, shape: [257], generator: generator, device: device).toArray(Int64.self))
        }
        let (here, onCPU) = try (draws(device), draws("cpu"))
        #expect(here.uniform == onCPU.uniform)
        #expect(here.normal == onCPU.normal)
        #expect(here.integers == onCPU.integers)
        // The three draws took successive counters, so they are not one sequence repeated.
        #expect(here.uniform != (try Tensor.rand([257], generator: RandomGenerator(seed: 2027)).toArray(Float.self)))
    }

    @Test func normalValuesHaveMeanZeroAndDeviationOne() throws {
        let values = try Tensor.randn([100_000], dtype: .float64, generator: RandomGenerator(seed: 5)).toArray(Double.self)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        // Standard errors: 1/√n ≈ 0.0032 for the mean, √(2/n) ≈ 0.0045 for the variance.
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        let beyondThree = values.filter { abs($0) > 3 }.count
        #expect((150...400).contains(beyondThree), "P(|z| > 3) = 0.27 %, so about 270 of 100 000")
    }

    /// Uniform values carry the dtype's own significand bits, so none rounds up to 1.0 when
    /// stored: with 24 bits, about 0.2 % of bfloat16 and 0.02 % of float16 values did.
    @Test(arguments: [DType.bfloat16, .float16, .float32, .float64])
    func uniformValuesStayBelowOne(dtype: DType) throws {
        let values = try Tensor.rand([200_000], dtype: dtype, generator: RandomGenerator(seed: 9)).converted(to: .float64).toArray(Double.self)
        #expect(values.allSatisfy { (0..<1).contains($0) })
        #expect(values.max()! > 0.99)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 0.5) < 0.01)
    }

    @Test func randintChecksItsBoundsAgainstTheDtype() throws {
        #expect(throws: TensorError.invalidArgument("randint: high - 1 = 999 is out of bounds for uint8 (0...255)")) {
            try Tensor.randint(0, 1000, shape: [3], dtype: .uint8)
        }
        #expect(throws: TensorError.invalidArgument("randint: low = -1 is out of bounds for bool (0...1)")) {
            try Tensor.randint(-1, 1, shape: [3], dtype: .bool)
        }
        #expect(throws: TensorError.self) { try Tensor.randint(0, (1 << 11) + 2, shape: [3], dtype: .float16) }
        #expect(throws: TensorError.self) { try Tensor.randint(4, 4, shape: [3]) }
        let digits = try Tensor.randint(10, shape: [1000], generator: RandomGenerator(seed: 4)).toArray(Int64.self)
        #expect(Set(digits) == Set(0..<10))
        let bytes = try Tensor.randint(0, 256, shape: [4000], dtype: .uint8, generator: RandomGenerator(seed: 3)).toArray(UInt8.self)
        #expect(Set(bytes).count == 256)
        let flags = try Tensor.randint(0, 2, shape: [100], dtype: .bool, generator: RandomGenerator(seed: 3)).toArray(Bool.self)
        #expect(flags.contains(true) && flags.contains(false))
        let halves = try Tensor.randint(-2048, 2049, shape: [1000], dtype: .float16).converted(to: .float32).toArray(Float.self)
        #expect(halves.allSatisfy { $0 == $0.rounded() && abs($0) <= 2048 })
    }

    @Test(arguments: TensorDevices.all)
    func likeFormsTakeShapeDtypeAndDevice(device: String) throws {
        let model = try Tensor.zeros([2, 3], dtype: .float64, device: device).transposed()
        let made = try [Tensor.rand(like: model), .randn(like: model), .randint(like: model, 1, 7),
                        .full(like: model, 2.5), .zeros(like: model), .ones(like: model), .empty(like: model)]
        for tensor in made {
            #expect(tensor.shape == [3, 2])
            #expect(tensor.dtype == .float64)
            #expect(tensor.device == model.device)
            #expect(tensor.strides == model.strides)  // a transposed layout, as torch.rand_like keeps
        }
        #expect(try made[2].toArray(Double.self).allSatisfy { (1..<7).contains($0) && $0 == $0.rounded() })
        #expect(try made[3].toArray(Double.self) == Array(repeating: 2.5, count: 6))
        #expect(try made[5].toArray(Double.self) == Array(repeating: 1, count: 6))
        let floats = try Tensor.rand(like: model, dtype: .float32)
        #expect(floats.dtype == .float32 && floats.device == model.device)
        let counts = try Tensor.randint(like: Tensor.zeros([5], dtype: .int32, device: device), 10)
        #expect(counts.dtype == .int32)
        #expect(try counts.toArray(Int32.self).allSatisfy { (0..<10).contains($0) })
        // As torch.rand_like on an integer tensor: uniform floats need a floating-point dtype.
        #expect(throws: TensorError.invalidArgument("rand needs a floating-point dtype, got int32")) { try Tensor.rand(like: counts) }
    }
}
