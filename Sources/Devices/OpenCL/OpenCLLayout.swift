/// How the OpenCL kernels take a `StridedWalk` (up to four operands): dense operands get
/// the contiguous kernels, the rest the strided ones with the walk packed as their `Layout`
/// struct (at most `OpenCLKernelSource.maxRank` dimensions per launch).
extension StridedWalk {
    /// Whether operand `index` is dense (stride 1 over one dimension, or a single element).
    func isDense(_ index: Int) -> Bool {
        shape.isEmpty || (shape.count == 1 && strides[index][0] == 1)
    }

    /// The kernels' `Layout`: count, rank, shape[8], stride[4][8], offset[4] (all `long`);
    /// operands the walk does not have get zeros.
    var openCLLayout: [Int64] {
        let (rank, operands) = (OpenCLKernelSource.maxRank, OpenCLKernelSource.maxOperands)
        precondition(strides.count <= operands, "a Layout walks at most \(operands) operands")
        var words = [Int64(elementCount), Int64(max(shape.count, 1))]
        let paddedShape = shape.isEmpty ? [1] : shape
        words += (0..<rank).map { $0 < paddedShape.count ? Int64(paddedShape[$0]) : 1 }
        for operand in 0..<operands {
            let operandStrides = operand < strides.count ? (shape.isEmpty ? [0] : strides[operand]) : []
            words += (0..<rank).map { $0 < operandStrides.count ? Int64(operandStrides[$0]) : 0 }
        }
        words += (0..<operands).map { $0 < offsets.count ? Int64(offsets[$0]) : 0 }
        return words
    }
}
