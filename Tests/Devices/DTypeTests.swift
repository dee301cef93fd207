import Testing
@testable import DeviceShimDevices

@Suite struct ContractTests {
    @Test func contiguousStridesAreRowMajor() {
        #expect(StridedOperand.contiguousStrides(for: [2, 3, 4]) == [12, 4, 1])
        #expect(StridedOperand.contiguousStrides(for: []) == [])
        #expect(StridedOperand.contiguousStrides(for: [0, 5]) == [5, 1])
    }

    /// Dense row-major strides are contiguous, whatever size-1 dimensions say; so is any
    /// operand without elements, including the strides `contiguousStrides` gives a 0 inside
    /// the shape (a fresh `[3, 0]` tensor must not need a copy to be contiguous).
    @Test func contiguityIgnoresSizeOneDimensionsAndEmptyShapes() throws {
        let buffer = try CPUDevice.shared.allocate(byteCount: 64)
        let operand = { (shape: [Int], strides: [Int]) in StridedOperand(buffer, dtype: .float32, shape: shape, strides: strides) }
        #expect(operand([2, 3], [3, 1]).isContiguous)
        #expect(operand([2, 1, 3], [3, 99, 1]).isContiguous)
        #expect(!operand([2, 3], [1, 2]).isContiguous)
        #expect(!operand([2, 3], [0, 1]).isContiguous)
        #expect(operand([3, 0], StridedOperand.contiguousStrides(for: [3, 0])).isContiguous)
        #expect(operand([0], [7]).isContiguous)
    }

    /// Dtypes and ops hash and compare by case (`CaseHashable`), not by their raw strings, and
    /// stay distinct keys.
    @Test func dtypesAndOpsHashTheirCase() {
        func hash(_ value: some Hashable) -> Int {
            var hasher = Hasher()
            value.hash(into: &hasher)
            return hasher.finalize()
        }
        func expectCaseHashed<Op: CaseHashable & CaseIterable>(_: Op.Type) {
            for (number, op) in Op.allCases.enumerated() {
                #expect(hash(op) == hash(UInt8(number)), "\(op) does not hash its case number \(number)")
                #expect(hash(op) != hash(op.rawValue))
            }
            #expect(Set(Op.allCases).count == Op.allCases.count)
            #expect(Op.allCases.allSatisfy { op in Op.allCases.filter { $0 == op }.count == 1 })
        }
        expectCaseHashed(DType.self)
        expectCaseHashed(UnaryOp.self)
        expectCaseHashed(BinaryOp.self)
        expectCaseHashed(ReductionOp.self)
        expectCaseHashed(AxisOp.self)
        expectCaseHashed(ScatterMode.self)
        expectCaseHashed(BackendKind.self)
        expectCaseHashed(DeviceRequest.Kind.self)
        let kernels: [KernelOp: Int] = [.binary(.add): 1, .binary(.mul): 2, .unary(.exp): 3, .convert(from: .int32): 4]
        #expect(kernels[.binary(.mul)] == 2 && kernels[.convert(from: .int32)] == 4 && kernels[.convert(from: .int64)] == nil)
    }

    @Test func byteSizes() {
        #expect(DType.allCases.map(\.byteSize) == [4, 8, 2, 2, 4, 8, 1, 1])
    }
}
