/// Why a tensor operation failed. Each case says what to change, as PyTorch's messages do.
public enum TensorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Shapes that cannot combine: broadcasting, matmul sizes, cat, reshape.
    case shapeMismatch(String)
    /// A dimension or index outside its range.
    case indexOutOfRange(String)
    /// An argument that cannot be used: a dtype the op does not take, a bad step.
    case invalidArgument(String)
    /// Tensors of one op live on different devices (`lhs` and `rhs` name them).
    case deviceMismatch(String, String)
    /// A device string that does not parse, e.g. `"cuda:x"`.
    case invalidDevice(String)
    /// The device failed or has no kernel for the op on any device the policy allows.
    case device(DeviceError)

    public var description: String {
        switch self {
        case let .shapeMismatch(message): "shape mismatch: \(message)"
        case let .indexOutOfRange(message): "index out of range: \(message)"
        case let .invalidArgument(message): "invalid argument: \(message)"
        case let .deviceMismatch(lhs, rhs):
            "expected all tensors to be on the same device, but found at least two devices, \(lhs) and \(rhs)"
        case let .invalidDevice(message): "invalid device: \(message)"
        case let .device(error): error.description
        }
    }
}

extension TensorError {
    /// Runs `body`, turning a `DeviceError` into `.device`.
    static func wrapping<Result>(_ body: () throws(DeviceError) -> Result) throws(TensorError) -> Result {
        do { return try body() } catch { throw .device(error) }
    }
}
