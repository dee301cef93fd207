import DeviceShimTensor
import Testing

/// Elements as raw bytes (RawBytes.swift), on every device here.
@Suite("Tensor raw bytes")
struct RawBytesTests {
    @Test(arguments: TensorDevices.all)
    func bytesRoundTripAndStridedViewsCopyOutInTheirOrder(device: String) throws {
        let values: [Int32] = [1, -2, 3, -4, 5, -6]
        let tensor = try values.withUnsafeBytes { bytes throws(TensorError) in
            try Tensor.fromBytes(bytes, shape: [2, 3], dtype: .int32, device: device)
        }
        #expect(tensor.byteCount == 24)
        #expect(try tensor.toArray(Int32.self) == values)
        var out = [Int32](repeating: 0, count: 6)
        try out.withUnsafeMutableBytes { bytes in try tensor.transposed(0, 1).copyBytes(to: bytes) }
        #expect(out == [1, -4, -2, 5, 3, -6])
    }

    @Test(arguments: TensorDevices.all)
    func copyingInWritesTheElementsViewsShare(device: String) throws {
        let tensor = try Tensor.zeros([2, 2], device: device)
        let view = try tensor.transposed(0, 1)
        let values: [Float] = [1, 2, 3, 4]
        try values.withUnsafeBytes { bytes in try view.copyBytes(from: bytes) }
        #expect(try view.toArray(Float.self) == values)
        #expect(try tensor.toArray(Float.self) == [1, 3, 2, 4])
    }

    @Test func aByteCountThatIsNotTheTensorsIsRefused() throws {
        let tensor = try Tensor.zeros([3])
        var short = [UInt8](repeating: 7, count: 11)
        #expect(throws: TensorError.self) { try short.withUnsafeMutableBytes { bytes in try tensor.copyBytes(to: bytes) } }
        #expect(short == [UInt8](repeating: 7, count: 11))
        #expect(throws: TensorError.self) { try short.withUnsafeBytes { bytes in try tensor.copyBytes(from: bytes) } }
        #expect(throws: TensorError.self) {
            try short.withUnsafeBytes { bytes in try Tensor.fromBytes(bytes, shape: [3], dtype: .float32) }
        }
    }
}
