/// PyTorch's broadcasting: shapes align at the end; each pair of sizes must match or one be 1.
extension Tensor {
    /// The shape `shapes` broadcast to together, or a `shapeMismatch` naming the clash. (A
    /// pure function of shapes, so it makes no record; the ops that call it record its error.)
    public static func broadcastShape(_ shapes: [[Int]]) throws(TensorError) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            for (index, size) in shape.enumerated() {
                let axis = rank - shape.count + index
                if result[axis] == 1 {
                    result[axis] = size
                } else if size != 1 && size != result[axis] {
                    throw .shapeMismatch("the size of tensor a (\(result[axis])) must match the size of tensor b (\(size)) at non-singleton dimension \(axis) (shapes \(shapes))")
                }
            }
        }
        return result
    }

    /// A view of this tensor broadcast to `shape` (stride 0 along repeated dimensions).
    public func broadcast(to shape: [Int]) throws(TensorError) -> Tensor {
        self.shape == shape ? self : try expanded(to: shape)
    }
}

/// One operand of an element-wise op: a tensor, or a Swift number (which promotes weakly).
public enum ElementwiseOperand: Sendable {
    case tensor(Tensor)
    case scalar(TensorScalar)

    var tensor: Tensor? { if case let .tensor(value) = self { value } else { nil } }

    /// The operand as a tensor of `dtype` on `placement`: converted, or a filled rank-0 tensor.
    func materialized(_ dtype: DType, on placement: TensorPlacement) throws(TensorError) -> Tensor {
        switch self {
        case let .tensor(tensor): try tensor.converted(to: dtype)
        case let .scalar(value): try Tensor.full([], value, dtype: dtype, on: placement, checked: false)
        }
    }

    /// `torch.result_type` of two operands; two tensors of one dtype take no arrays.
    static func resultType(_ lhs: ElementwiseOperand, _ rhs: ElementwiseOperand) -> DType {
        if case let .tensor(left) = lhs, case let .tensor(right) = rhs, left.dtype == right.dtype { return left.dtype }
        return resultType([lhs, rhs])
    }

    /// `torch.result_type` of `operands`.
    static func resultType(_ operands: [ElementwiseOperand]) -> DType {
        var tensors: [(dtype: DType, rank: Int)] = []
        var scalars: [TensorScalar] = []
        for operand in operands {
            switch operand {
            case let .tensor(tensor): tensors.append((tensor.dtype, tensor.rank))
            case let .scalar(value): scalars.append(value)
            }
        }
        return TypePromotion.resultType(tensors: tensors, scalars: scalars)
    }
}

/// What element-wise ops take besides tensors: `a.add(b)`, `a.mul(2)`, `a + 0.5`.
public protocol TensorOperand: Sendable {
    var elementwiseOperand: ElementwiseOperand { get }
}

extension Tensor: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .tensor(self) } }
extension TensorScalar: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .scalar(self) } }
extension Int: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .scalar(.int(Int64(self))) } }
extension Double: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .scalar(.float(self)) } }
extension Float: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .scalar(.float(Double(self))) } }
extension Bool: TensorOperand { public var elementwiseOperand: ElementwiseOperand { .scalar(.bool(self)) } }
