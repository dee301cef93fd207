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

extension TensorError {
    /// The case's name: the `status` of the failure's record.
    var name: String {
        switch self {
        case .shapeMismatch: "shapeMismatch"
        case .indexOutOfRange: "indexOutOfRange"
        case .invalidArgument: "invalidArgument"
        case .deviceMismatch: "deviceMismatch"
        case .invalidDevice: "invalidDevice"
        case .device: "device"
        }
    }
}

// Every error the engine throws is recorded once, where it is made: a `warn` record with the
// op, the tensor's devices, the error's name and message, naming the Swift code that placed
// the tensor. Errors passed up from a call the engine made are not recorded again.
extension TensorEngine {
    /// `error`, recorded as `api` refusing a call (unless this engine's caller records
    /// failures itself, as the C API does), for `throw`.
    func refused(_ error: TensorError, api: String, requested: String? = nil, resolved: String? = nil,
                 from site: CallSite) -> TensorError {
        if recordsFailures {
            log.record(.warn, RedirectionRecord(api: api, requested: requested, resolved: resolved, status: error.name,
                                                message: error.description), from: site)
        }
        return error
    }
}

extension TensorPlacement {
    /// `error`, recorded as `api` refusing a call on tensors of this placement.
    func refused(_ error: TensorError, api: String) -> TensorError {
        engine.refused(error, api: api, requested: request.description, resolved: device.id.description, from: origin)
    }

    /// Runs device calls for `api`: a `DeviceError` becomes `TensorError.device`, recorded.
    /// (`api` is spelled out only then: every enqueue passes through here.)
    func running<Result>(_ api: @autoclosure () -> String, _ body: () throws(DeviceError) -> Result) throws(TensorError) -> Result {
        do { return try body() } catch { throw refused(.device(error), api: api()) }
    }
}

extension Tensor {
    /// `error`, recorded as the op `function` names refusing a call on this tensor. A helper
    /// that several ops call takes `function: String = #function` itself and passes it on,
    /// so that the record names the op, not the helper.
    func refusal(_ error: TensorError, function: String = #function) -> TensorError {
        placement.refused(error, api: Tensor.apiName(function))
    }

    /// Runs `body`, a check that throws errors nobody recorded yet (`broadcastShape`, a
    /// scalar's range), and records its error as `refusal` does.
    func recording<Result>(function: String = #function, _ body: () throws(TensorError) -> Result) throws(TensorError) -> Result {
        do { return try body() } catch { throw refusal(error, function: function) }
    }

    /// `Tensor.reshaped` for the Swift function `reshaped(_:)`; an op's own name (`Tensor.sum`,
    /// which helpers taking an `api` pass on) stays as it is.
    static func apiName(_ function: String) -> String {
        function.hasPrefix("Tensor.") ? function : "Tensor." + function.prefix { $0 != "(" }
    }
}
