/// PyTorch's type promotion (`torch.result_type`), for the dtypes DeviceShim has.
///
/// Operands fall in three groups, strongest first: tensors with dimensions, zero-dimensional
/// tensors, and Swift numbers. A weaker group changes the result only when its category
/// (bool < integer < floating point) is higher: `int32 tensor + 2.5` is float32, but
/// `float16 tensor + float64 zero-dim tensor` stays float16.
public enum TypePromotion {
    /// The dtype both of two dtypes convert to (`torch.promote_types`).
    public static func promoted(_ lhs: DType, _ rhs: DType) -> DType {
        if lhs == rhs { return lhs }
        if Set([lhs, rhs]) == [.float16, .bfloat16] { return .float32 }
        return rank(lhs) >= rank(rhs) ? lhs : rhs
    }

    /// The result dtype of an operation on `tensors` and `scalars` (`torch.result_type`).
    public static func resultType(tensors: [(dtype: DType, rank: Int)], scalars: [TensorScalar] = []) -> DType {
        let dimensioned = tensors.filter { $0.rank > 0 }.map(\.dtype).reduce(nil, promotedSkippingNil)
        let zeroDimensional = tensors.filter { $0.rank == 0 }.map(\.dtype).reduce(nil, promotedSkippingNil)
        let numbers = scalars.map(\.dtype).reduce(nil, promotedSkippingNil)
        return combined(dimensioned, combined(zeroDimensional, numbers)) ?? .float32
    }

    /// The dtype of an op that must compute in floating point (true division, `exp` of an
    /// integer tensor): `dtype` if floating, else the default float dtype, float32.
    public static func floating(_ dtype: DType) -> DType { dtype.isFloatingPoint ? dtype : .float32 }

    /// Whether an in-place op may write a `result` of this dtype into a tensor of `output`
    /// (`torch.can_cast`): never floating point into an integer or bool tensor, nor a number
    /// into a bool tensor; any other pair converts.
    public static func canCast(_ result: DType, to output: DType) -> Bool {
        if result.isFloatingPoint, !output.isFloatingPoint { return false }
        return result == .bool || output != .bool
    }

    private static func rank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: 0
        case .uint8: 1
        case .int32: 2
        case .int64: 3
        case .float16, .bfloat16: 4
        case .float32: 5
        case .float64: 6
        }
    }

    private static func promotedSkippingNil(_ lhs: DType?, _ rhs: DType) -> DType? {
        lhs.map { promoted($0, rhs) } ?? rhs
    }

    /// c10's `combine_categories`: the stronger group wins unless the weaker one's category is higher.
    private static func combined(_ higher: DType?, _ lower: DType?) -> DType? {
        guard let higher else { return lower }
        guard let lower else { return higher }
        if higher.isFloatingPoint { return higher }
        if higher == .bool || lower.isFloatingPoint { return promoted(higher, lower) }
        return higher
    }
}
