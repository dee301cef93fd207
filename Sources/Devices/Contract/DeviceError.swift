/// Why a device operation failed. Each case carries what a user needs to act on it.
public enum DeviceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The device cannot hold `requestedBytes` more (`availableBytes` where known).
    case outOfMemory(device: DeviceID, requestedBytes: Int, availableBytes: UInt64?)
    /// An argument is wrong: a region past a buffer's end, mismatched shapes, a bad axis.
    case invalidArgument(String)
    /// The device has no kernel for this op and dtype (the redirector falls back).
    case unsupported(device: DeviceID, op: KernelOp, dtype: DType)
    /// The device stopped working (driver reset, lost device); its queues are unusable.
    case deviceLost(device: DeviceID, reason: String)
    /// A kernel did not compile for this device.
    case compileFailed(device: DeviceID, log: String)
    /// A driver call failed with `code`.
    case driver(device: DeviceID, call: String, code: Int)
    /// No target of the policy has a device that can serve `request`.
    case noDevice(request: String, reason: String)
    /// `request` names an index past the devices its kind has (`cuda:3` with 2 devices).
    case invalidDeviceIndex(request: String, available: Int)

    public var description: String {
        switch self {
        case let .outOfMemory(device, requested, available):
            "out of memory on \(device): \(requested) bytes requested" + (available.map { ", \($0) available" } ?? "")
        case let .invalidArgument(reason): "invalid argument: \(reason)"
        case let .unsupported(device, op, dtype): "\(device) has no \(op) kernel for \(dtype)"
        case let .deviceLost(device, reason): "\(device) was lost: \(reason)"
        case let .compileFailed(device, log): "a kernel failed to compile for \(device): \(log)"
        case let .driver(device, call, code): "\(call) failed on \(device) with code \(code)"
        case let .noDevice(request, reason): "no device can serve \(request): \(reason)"
        case let .invalidDeviceIndex(request, available): "\(request) does not exist: \(available) device(s) of its kind"
        }
    }
}
