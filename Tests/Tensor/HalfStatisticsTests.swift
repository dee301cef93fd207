import DeviceShimTensor
import Testing

@Suite("16-bit statistics")
struct HalfStatisticsTests {
    /// float16 and bfloat16 statistics compute in float32 and round once, as PyTorch does
    /// (the values below are PyTorch 2.13's): the sums inside them would overflow float16.
    @Test(arguments: TensorDevices.all)
    func statisticsRoundOnceAtTheEnd(device: String) throws {
        for dtype in [DType.float16, .bfloat16] {
            let hundreds = try Tensor.full([2, 1000], 100, dtype: dtype, device: device)
            let values = { (tensor: Tensor) throws -> [Float] in
                #expect(tensor.dtype == dtype)
                return try tensor.converted(to: .float32).toArray(Float.self)
            }
            #expect(try values(hundreds.mean()) == [100])
            #expect(try values(hundreds.mean(dims: [1])) == [100, 100])
            #expect(try values(hundreds.variance()) == [0])
            #expect(try values(Tensor([300, 400] as [Float], device: device).converted(to: dtype).norm()) == [500])
            #expect(try values(Tensor([300] as [Float], device: device).converted(to: dtype).norm(p: 3)) == [300])
        }
        // A variance beyond float16's range is infinite, as PyTorch gives.
        #expect(try Tensor.arange(0, 1000, dtype: .float16, device: device).variance().converted(to: .float32).item(Float.self) == .infinity)
        #expect(try Tensor.arange(0, 1000, dtype: .bfloat16, device: device).variance().converted(to: .float32).item(Float.self) == 83456)
    }
}
