#if canImport(Glibc)
import Glibc
#endif

/// Why a call of DeviceShim's C API failed: the status it returns and the sentence
/// `deviceshim_last_error` gives the calling thread.
struct TensorCallError: Error {
    var status: DeviceShimStatus
    var message: String

    static func invalidArgument(_ message: String) -> TensorCallError { TensorCallError(status: .invalidArgument, message: message) }
    static func invalidHandle(_ message: String) -> TensorCallError { TensorCallError(status: .invalidHandle, message: message) }
    static func deviceMismatch(_ message: String) -> TensorCallError { TensorCallError(status: .deviceMismatch, message: message) }
    static func outOfMemory(_ message: String) -> TensorCallError { TensorCallError(status: .outOfMemory, message: message) }

    /// The status of a tensor engine failure, with its description as the message.
    init(_ error: TensorError) {
        message = error.description
        switch error {
        case .shapeMismatch: status = .shapeMismatch
        case .indexOutOfRange: status = .indexOutOfRange
        case .invalidArgument: status = .invalidArgument
        case .deviceMismatch: status = .deviceMismatch
        case .invalidDevice: status = .invalidDevice
        case let .device(deviceError): status = TensorCallError.status(of: deviceError)
        }
    }

    init(status: DeviceShimStatus, message: String) {
        self.status = status
        self.message = message
    }

    static func status(of error: DeviceError) -> DeviceShimStatus {
        switch error {
        case .outOfMemory: .outOfMemory
        case .invalidArgument: .invalidArgument
        case .unsupported: .unsupported
        case .deviceLost, .compileFailed, .driver: .deviceError
        // The request names nothing the policy can serve, or an index past its devices.
        case .noDevice, .invalidDeviceIndex: .invalidDevice
        }
    }
}

/// The message of the calling thread's last failed call, as `deviceshim_last_error` returns
/// it: a C string owned here, valid until the thread's next failure or its exit.
final class LastErrorMessage {
    private static let perThread = PerThreadObject { LastErrorMessage() }
    private var text: UnsafeMutablePointer<CChar>?

    /// The calling thread's message.
    static var current: LastErrorMessage { perThread.current }

    /// Replaces the calling thread's message.
    static func store(_ message: String) {
        let thread = current
        free(thread.text)
        thread.text = strdup(message)
    }

    /// The message, or "" when no call on this thread has failed.
    var cString: UnsafePointer<CChar> { text.map { UnsafePointer($0) } ?? DeviceShim.cString("") }

    deinit { free(text) }
}

@_cdecl("deviceshim_last_error")
public func deviceshim_last_error() -> UnsafePointer<CChar> {
    let message = LastErrorMessage.current.cString
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(api: "deviceshim_last_error"))
    return message
}
