/// Status codes of DeviceShim's own C API (`deviceshim_status` in deviceshim.h): every call
/// of it returns one. Tensor calls map `TensorError` and `DeviceError` onto them
/// (`TensorCallError`).
public enum DeviceShimStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    case invalidArgument = 1
    case invalidHandle = 2
    case shapeMismatch = 3
    case indexOutOfRange = 4
    case deviceMismatch = 5
    case invalidDevice = 6
    case deviceError = 7
    case outOfMemory = 8
    case unsupported = 9

    /// The name of the C constant, as records show it.
    var name: String {
        switch self {
        case .ok: "DEVICESHIM_OK"
        case .invalidArgument: "DEVICESHIM_INVALID_ARGUMENT"
        case .invalidHandle: "DEVICESHIM_INVALID_HANDLE"
        case .shapeMismatch: "DEVICESHIM_SHAPE_MISMATCH"
        case .indexOutOfRange: "DEVICESHIM_INDEX_OUT_OF_RANGE"
        case .deviceMismatch: "DEVICESHIM_DEVICE_MISMATCH"
        case .invalidDevice: "DEVICESHIM_INVALID_DEVICE"
        case .deviceError: "DEVICESHIM_DEVICE_ERROR"
        case .outOfMemory: "DEVICESHIM_OUT_OF_MEMORY"
        case .unsupported: "DEVICESHIM_UNSUPPORTED"
        }
    }

    /// What `deviceshim_status_string` answers.
    var message: StaticString {
        switch self {
        case .ok: "no error"
        case .invalidArgument: "an argument is missing or not one of the accepted values"
        case .invalidHandle: "a tensor handle is 0, freed, or was never made by DeviceShim"
        case .shapeMismatch: "tensor shapes do not fit together"
        case .indexOutOfRange: "a dimension or index is out of range"
        case .deviceMismatch: "the tensors of one call live on different devices or under different policies"
        case .invalidDevice: "a device string does not parse or names a device no policy target can serve"
        case .deviceError: "the device failed (lost device, driver error, kernel that did not compile)"
        case .outOfMemory: "the device or host has not enough memory"
        case .unsupported: "no device the policy allows has a kernel for this operation and dtype"
        }
    }
}
