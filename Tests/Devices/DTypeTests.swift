import Testing
@testable import DeviceShimDevices

@Suite struct ContractTests {
    @Test func contiguousStridesAreRowMajor() {
        #expect(StridedOperand.contiguousStrides(for: [2, 3, 4]) == [12, 4, 1])
        #expect(StridedOperand.contiguousStrides(for: []) == [])
        #expect(StridedOperand.contiguousStrides(for: [0, 5]) == [5, 1])
    }

    @Test func byteSizes() {
        #expect(DType.allCases.map(\.byteSize) == [4, 8, 2, 2, 4, 8, 1, 1])
    }
}
