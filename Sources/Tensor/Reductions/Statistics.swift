/// Reductions composed from sums: mean, variance, standard deviation, vector norms.
extension Tensor {
    /// The mean over `dims` (`torch.mean`); the tensor must be floating point, as in PyTorch.
    public func mean(dims: [Int]? = nil, keepDim: Bool = false, dtype: DType? = nil) throws(TensorError) -> Tensor {
        let input = try converted(to: dtype ?? self.dtype)
        try input.requireFloatingPoint("mean")
        let total = try input.sum(dims: dims, keepDim: keepDim)
        return try total.div(Double(reducedCount(dims)))
    }

    /// The variance over `dims` with `correction` (1: Bessel's, the default, as `torch.var`).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try requireFloatingPoint("var")
        let centered = try sub(mean(dims: dims, keepDim: true))
        let squares = try centered.mul(centered).sum(dims: dims, keepDim: keepDim)
        return try squares.div(Double(Swift.max(reducedCount(dims) - correction, 0)))
    }

    /// The standard deviation over `dims` with `correction` (`torch.std`).
    public func standardDeviation(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try variance(dims: dims, correction: correction, keepDim: keepDim).sqrt()
    }

    /// The `p`-norm over `dims` (`torch.linalg.vector_norm`): 2 by default, `.infinity` for
    /// the largest magnitude, 0 for the count of nonzero elements.
    public func norm(p: Double = 2, dims: [Int]? = nil, keepDim: Bool = false) throws(TensorError) -> Tensor {
        try requireFloatingPoint("norm")
        let magnitudes = try abs()
        switch p {
        case .infinity: return try magnitudes.max(dims: dims, keepDim: keepDim)
        case -.infinity: return try magnitudes.min(dims: dims, keepDim: keepDim)
        case 0: return try magnitudes.notEqual(0).converted(to: dtype).sum(dims: dims, keepDim: keepDim)
        case 1: return try magnitudes.sum(dims: dims, keepDim: keepDim)
        case 2: return try magnitudes.mul(magnitudes).sum(dims: dims, keepDim: keepDim).sqrt()
        default: return try magnitudes.pow(p).sum(dims: dims, keepDim: keepDim).pow(1 / p)
        }
    }

    /// How many elements each result of a reduction over `dims` combines.
    func reducedCount(_ dims: [Int]?) throws(TensorError) -> Int {
        guard let dims, !dims.isEmpty else { return count }
        var axes = Set<Int>()
        for dim in dims { axes.insert(try normalized(dim)) }
        return rank == 0 ? 1 : axes.map { shape[$0] }.reduce(1, *)
    }

    func requireFloatingPoint(_ api: String) throws(TensorError) {
        guard dtype.isFloatingPoint else {
            throw placement.refused(.invalidArgument("\(api)() could not infer the output dtype: the input dtype must be floating point, but got \(dtype)"), api: "Tensor.\(api)")
        }
    }
}
