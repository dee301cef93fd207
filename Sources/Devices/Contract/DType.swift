/// The element types the tensor engine uses, and so every backend's kernels.
public enum DType: String, Sendable, CaseHashable, CaseIterable, CustomStringConvertible {
    case float32, float64, float16, bfloat16, int32, int64, uint8, bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16: 2
        case .uint8, .bool: 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: true
        default: false
        }
    }

    public var description: String { rawValue }
}
