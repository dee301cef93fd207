/// An iteration space for the strided kernels: a shape and up to three operands' element
/// strides and offsets, with dimensions collapsed (length-1 dimensions dropped, neighbours
/// that every operand walks as one merged), packed as the kernels' `Layout` struct.
struct OpenCLLayout {
    var shape: [Int]
    var strides: [[Int]]
    var offsets: [Int]

    /// The collapsed space of `shape` over operands given as (offset, strides).
    init(shape: [Int], operands: [(offset: Int, strides: [Int])]) {
        offsets = operands.map(\.offset)
        var keptShape: [Int] = []
        var kept: [[Int]] = operands.map { _ in [] }
        for axis in shape.indices where shape[axis] != 1 {
            if let last = keptShape.last,
               operands.indices.allSatisfy({ kept[$0][kept[$0].count - 1] == operands[$0].strides[axis] * shape[axis] }) {
                keptShape[keptShape.count - 1] = last * shape[axis]
                for operand in operands.indices { kept[operand][kept[operand].count - 1] = operands[operand].strides[axis] }
            } else {
                keptShape.append(shape[axis])
                for operand in operands.indices { kept[operand].append(operands[operand].strides[axis]) }
            }
        }
        self.shape = keptShape
        strides = kept
    }

    var elementCount: Int { shape.reduce(1, *) }

    /// Whether operand `index` is dense (stride 1 over one dimension, or a single element).
    func isDense(_ index: Int) -> Bool {
        shape.isEmpty || (shape.count == 1 && strides[index][0] == 1)
    }

    /// Spaces of at most `OpenCLKernelSource.maxRank` dimensions covering this one: the
    /// leading dimensions beyond that become separate launches at moved offsets.
    func pieces() -> [OpenCLLayout] {
        let extra = shape.count - OpenCLKernelSource.maxRank
        guard extra > 0 else { return [self] }
        var result: [OpenCLLayout] = []
        var index = [Int](repeating: 0, count: extra)
        while true {
            var piece = OpenCLLayout(shape: Array(shape[extra...]), strides: strides.map { Array($0[extra...]) }, offsets: offsets)
            for operand in offsets.indices {
                piece.offsets[operand] += zip(index, strides[operand]).map { $0 * $1 }.reduce(0, +)
            }
            result.append(piece)
            var axis = extra - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return result }
        }
    }

    private init(shape: [Int], strides: [[Int]], offsets: [Int]) {
        self.shape = shape
        self.strides = strides
        self.offsets = offsets
    }

    /// The kernels' `Layout`: count, rank, shape[8], stride[3][8], offset[3] (all `long`).
    var packed: [Int64] {
        let rank = OpenCLKernelSource.maxRank
        var words = [Int64(elementCount), Int64(max(shape.count, 1))]
        let paddedShape = shape.isEmpty ? [1] : shape
        words += (0..<rank).map { $0 < paddedShape.count ? Int64(paddedShape[$0]) : 1 }
        for operand in 0..<3 {
            let operandStrides = operand < strides.count ? (shape.isEmpty ? [0] : strides[operand]) : []
            words += (0..<rank).map { $0 < operandStrides.count ? Int64(operandStrides[$0]) : 0 }
        }
        words += (0..<3).map { $0 < offsets.count ? Int64(offsets[$0]) : 0 }
        return words
    }
}
