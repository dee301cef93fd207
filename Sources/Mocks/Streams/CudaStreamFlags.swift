/// The flags a stream is created with (`cudaStreamCreateWithFlags`).
///
/// `cudaStreamDefault` (0) makes a blocking stream, which synchronises implicitly with the
/// legacy default stream of its device; `cudaStreamNonBlocking` (1) makes a stream that does
/// not. Any other bit is `CudaError.invalidValue`.
public struct CudaStreamFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `cudaStreamDefault`: a blocking stream.
    public static let blocking: CudaStreamFlags = []
    /// `cudaStreamNonBlocking`: no implicit synchronisation with the legacy default stream.
    public static let nonBlocking = CudaStreamFlags(rawValue: 0x1)

    /// Every flag CUDA defines for streams.
    static let all: CudaStreamFlags = [.nonBlocking]
}

/// Stream priorities as `cudaDeviceGetStreamPriorityRange` reports them: lower numbers are
/// higher priorities, 0 is the default, and a priority outside the range is clamped into it
/// (cudaStreamCreateWithPriority). The range is what NVIDIA GPUs of compute capability 7.5
/// and later (A100, Turing) report, 0 to -5. Priorities are accepted and reported back; the
/// backend queues have no priorities, so they do not change the order work runs in (CUDA
/// documents them as a scheduling hint with no functional guarantee).
public enum CudaStreamPriority {
    /// The lowest priority (`leastPriority`).
    public static let least: Int32 = 0
    /// The highest priority (`greatestPriority`).
    public static let greatest: Int32 = -5

    /// `priority` clamped into `greatest...least`.
    public static func clamped(_ priority: Int32) -> Int32 {
        min(max(priority, greatest), least)
    }
}
