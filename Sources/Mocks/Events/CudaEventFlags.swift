/// The flags an event is created with (`cudaEventCreateWithFlags`).
public struct CudaEventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `cudaEventDefault`: timed, and `synchronize` spins until the event completes.
    public static let `default`: CudaEventFlags = []
    /// `cudaEventBlockingSync`: `synchronize` blocks the thread instead of spinning.
    public static let blockingSync = CudaEventFlags(rawValue: 0x1)
    /// `cudaEventDisableTiming`: no timestamp; `elapsedMilliseconds` refuses the event.
    public static let disableTiming = CudaEventFlags(rawValue: 0x2)
    /// `cudaEventInterprocess`: for `cudaIpcGetEventHandle`; CUDA requires `.disableTiming`
    /// with it.
    public static let interprocess = CudaEventFlags(rawValue: 0x4)

    /// Every flag CUDA defines for `cudaEventCreateWithFlags`.
    static let all: CudaEventFlags = [.blockingSync, .disableTiming, .interprocess]
}
