/// Matrix products (`torch.matmul`, `mm`, `bmm`) on the device's GEMM kernel.
///
/// The kernel is column-major, as BLAS is; a row-major product `C = A·B` is the column-major
/// `Cᵀ = Bᵀ·Aᵀ`, so the operands are passed swapped and nothing is transposed in memory.
extension Tensor {
    /// The matrix product with PyTorch's rules: 1-D operands are vectors (a dimension is
    /// added and removed again), and batch dimensions broadcast.
    public func matmul(_ other: Tensor) throws(TensorError) -> Tensor {
        try checkSameDevice([other])
        guard rank > 0, other.rank > 0 else { throw refusal(.invalidArgument("both arguments to matmul need at least 1 dimension, got \(rank) and \(other.rank)")) }
        let lhs = rank == 1 ? try unsqueezed(0) : self
        let rhs = other.rank == 1 ? try other.unsqueezed(1) : other
        var product = try Tensor.batchedProduct(lhs, rhs)
        if rank == 1 { product = try product.squeezed(-2) }
        if other.rank == 1 { product = try product.squeezed(-1) }
        return product
    }

    /// The product of two matrices (`torch.mm`).
    public func mm(_ other: Tensor) throws(TensorError) -> Tensor {
        guard rank == 2, other.rank == 2 else { throw refusal(.invalidArgument("mm expects two matrices, got ranks \(rank) and \(other.rank)")) }
        return try matmul(other)
    }

    /// Products of matching batches of matrices (`torch.bmm`).
    public func bmm(_ other: Tensor) throws(TensorError) -> Tensor {
        guard rank == 3, other.rank == 3, shape[0] == other.shape[0] else {
            throw refusal(.invalidArgument("bmm expects two 3-D tensors with one batch size, got \(shape) and \(other.shape)"))
        }
        return try matmul(other)
    }

    /// `lhs · rhs` for operands of rank ≥ 2 whose leading dimensions broadcast.
    private static func batchedProduct(_ lhs: Tensor, _ rhs: Tensor) throws(TensorError) -> Tensor {
        let (m, k) = (lhs.shape[lhs.rank - 2], lhs.shape[lhs.rank - 1])
        let (k2, n) = (rhs.shape[rhs.rank - 2], rhs.shape[rhs.rank - 1])
        guard k == k2 else {
            throw lhs.refusal(.shapeMismatch("mat1 and mat2 shapes cannot be multiplied (\(m)x\(k) and \(k2)x\(n))"), function: "matmul(_:)")
        }
        let batch = try lhs.recording(function: "matmul(_:)") { () throws(TensorError) in
            try broadcastShape([Array(lhs.shape.dropLast(2)), Array(rhs.shape.dropLast(2))])
        }
        let batchCount = batch.reduce(1, *)
        guard lhs.dtype == rhs.dtype else {
            throw lhs.refusal(.invalidArgument("expected both matmul operands to have the same dtype, but got \(lhs.dtype) and \(rhs.dtype)"), function: "matmul(_:)")
        }
        guard lhs.dtype.isFloatingPoint else { return try integerProduct(lhs, rhs, batch: batch) }
        let dtype = lhs.dtype
        let left = try GemmMatrix(try lhs.converted(to: dtype).expanded(to: batch + [m, k]), batchCount: batchCount)
        let right = try GemmMatrix(try rhs.converted(to: dtype).expanded(to: batch + [k, n]), batchCount: batchCount)
        let shape = batch + [m, n]
        return try compute(.gemm, dtype, api: "Tensor.matmul", inputs: [left.tensor, right.tensor], shape: shape, outputDType: dtype) {
            queue, inputs, output throws(DeviceError) in
            // Column-major view: C is n×m with leading dimension n; B plays A's part.
            let operation = GemmOperation(
                dtype: dtype, transposeA: right.isTransposed, transposeB: left.isTransposed, m: n, n: m, k: k,
                a: MatrixOperand(inputs[1].buffer, offset: inputs[1].offset, leadingDimension: right.leadingDimension, batchStride: right.batchStride),
                b: MatrixOperand(inputs[0].buffer, offset: inputs[0].offset, leadingDimension: left.leadingDimension, batchStride: left.batchStride),
                c: MatrixOperand(output.buffer, offset: output.offset, leadingDimension: Swift.max(n, 1), batchStride: m * n),
                batchCount: batchCount)
            try queue.gemm(operation)
        }
    }
}

/// Integer products, which wrap on overflow as PyTorch's do (int32 65536 · 65536 is 0).
extension Tensor {
    /// The most elements one step of the wrapping product makes (8 bytes each).
    private static let wrappingChunkElements = 1 << 22

    /// `lhs · rhs` for integer matrices. While every sum of products stays below 2^53 in
    /// magnitude, the product runs on the GEMM kernel in float64, which is then exact; it
    /// goes through int64 to the dtype, so a result beyond the dtype wraps. Larger values are
    /// multiplied and summed in int64 (wrapping), rows in chunks, without GEMM's speed.
    private static func integerProduct(_ lhs: Tensor, _ rhs: Tensor, batch: [Int]) throws(TensorError) -> Tensor {
        guard lhs.dtype != .bool else {
            throw lhs.refusal(.invalidArgument("matmul is not implemented for bool tensors, as in PyTorch"), function: "matmul(_:)")
        }
        let (wideLeft, wideRight) = (try lhs.converted(to: .float64), try rhs.converted(to: .float64))
        let depth = Double(lhs.shape[lhs.rank - 1])
        func largest(_ tensor: Tensor) throws(TensorError) -> Double {
            tensor.count == 0 ? 0 : try tensor.abs().max().item(Double.self)
        }
        if try largest(wideLeft) * largest(wideRight) * depth < 0x1p53 {
            return try batchedProduct(wideLeft, wideRight).converted(to: .int64).converted(to: lhs.dtype)
        }
        let (m, n) = (lhs.shape[lhs.rank - 2], rhs.shape[rhs.rank - 1])
        let left = try lhs.converted(to: .int64).expanded(to: batch + Array(lhs.shape.suffix(2))).unsqueezed(-1)
        let right = try rhs.converted(to: .int64).expanded(to: batch + Array(rhs.shape.suffix(2))).unsqueezed(-3)
        let rowsPerChunk = Swift.max(1, wrappingChunkElements / Swift.max(1, batch.reduce(1, *) * Int(depth) * n))
        var pieces: [Tensor] = []
        for start in stride(from: 0, to: m, by: rowsPerChunk) {
            let rows = try left.narrowed(dim: -3, start: start, length: Swift.min(rowsPerChunk, m - start))
            pieces.append(try rows.mul(right).sum(dims: [-2]))
        }
        // Here m ≥ 1: an empty operand took the GEMM path above.
        return try Tensor.cat(pieces, dim: -2).converted(to: lhs.dtype)
    }
}

/// A batch of row-major matrices as the GEMM kernel takes them: each matrix with unit stride
/// along rows or columns, and one stride between batches (0 when broadcast); otherwise a
/// contiguous copy.
private struct GemmMatrix {
    let tensor: Tensor
    /// Whether the matrix is stored column by column (a transposed view).
    let isTransposed: Bool
    let leadingDimension: Int
    let batchStride: Int

    init(_ tensor: Tensor, batchCount: Int) throws(TensorError) {
        let rows = tensor.shape[tensor.rank - 2], columns = tensor.shape[tensor.rank - 1]
        let rowStride = tensor.strides[tensor.rank - 2], columnStride = tensor.strides[tensor.rank - 1]
        let batchStride = GemmMatrix.uniformBatchStride(tensor)
        if let batchStride, columnStride == 1 || columns == 1, rowStride >= Swift.max(columns, 1) {
            self.init(tensor: tensor, isTransposed: false, leadingDimension: rowStride, batchStride: batchStride)
        } else if let batchStride, rowStride == 1 || rows == 1, columnStride >= Swift.max(rows, 1) {
            self.init(tensor: tensor, isTransposed: true, leadingDimension: columnStride, batchStride: batchStride)
        } else {
            let dense = try tensor.cloned()
            self.init(tensor: dense, isTransposed: false, leadingDimension: Swift.max(columns, 1),
                      batchStride: batchCount > 1 ? rows * columns : 0)
        }
    }

    private init(tensor: Tensor, isTransposed: Bool, leadingDimension: Int, batchStride: Int) {
        self.tensor = tensor
        self.isTransposed = isTransposed
        self.leadingDimension = leadingDimension
        self.batchStride = batchStride
    }

    /// The one stride between consecutive matrices of the batch, if the batch dimensions
    /// (flattened in row-major order) have one.
    private static func uniformBatchStride(_ tensor: Tensor) -> Int? {
        let sizes = tensor.shape.dropLast(2), strides = tensor.strides.dropLast(2)
        var expected: Int?
        var step = 1
        for (size, stride) in zip(sizes, strides).reversed() where size != 1 {
            if let known = expected {
                guard stride == known * step else { return nil }
            } else {
                expected = stride
            }
            step *= size
        }
        return expected ?? 0
    }
}
