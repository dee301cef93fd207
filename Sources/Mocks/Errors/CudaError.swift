/// A CUDA runtime error code (`cudaError_t`), with CUDA's own name and message.
///
/// Every code CUDA defines is a static member named after it (`cudaErrorMemoryAllocation` is
/// `CudaError.memoryAllocation`, `cudaSuccess` is `.success`); the table is generated from
/// NVIDIA's header and library (`CudaErrorTable.swift`). Any other `Int32` is a valid value
/// too, an unrecognized code, and answers `name` and `message` as NVIDIA's
/// `cudaGetErrorName` / `cudaGetErrorString` do: "unrecognized error code".
public struct CudaError: Error, Hashable, Sendable, RawRepresentable {
    /// The `cudaError_t` value.
    public let rawValue: Int32

    /// The error with CUDA code `rawValue`, recognized or not.
    @inlinable public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    // Inlinable, with the codes, so that a caller's `status == .success` is one compare.
    @inlinable public static func == (lhs: CudaError, rhs: CudaError) -> Bool { lhs.rawValue == rhs.rawValue }

    /// CUDA's name for the code, as `cudaGetErrorName` returns it ("cudaErrorMemoryAllocation");
    /// "unrecognized error code" for a code CUDA does not define.
    public var name: String {
        entry?.name ?? Self.unrecognizedName
    }

    /// CUDA's message for the code, as `cudaGetErrorString` returns it ("out of memory");
    /// "unrecognized error code" for a code CUDA does not define.
    public var message: String {
        entry?.message ?? Self.unrecognizedMessage
    }

    /// Whether CUDA defines this code.
    public var isRecognized: Bool {
        entry != nil
    }

    /// Whether CUDA documents this error as sticky: it leaves the context corrupted, every later
    /// CUDA call fails with it, and only relaunching the process clears it (`illegalAddress`,
    /// `launchFailure`, `assert`, …; see `CudaErrorState`).
    public var isSticky: Bool {
        entry?.isSticky ?? false
    }

    /// Every code CUDA defines, in the order of CUDA's header.
    public static let allRecognized: [CudaError] = knownEntries.map { CudaError(rawValue: $0.code) }

    /// One row of the generated table.
    struct Entry: Sendable {
        let code: Int32
        let name: String
        let message: String
        let isSticky: Bool
    }

    private static let entriesByCode: [Int32: Entry] = Dictionary(
        knownEntries.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    private var entry: Entry? {
        Self.entriesByCode[rawValue]
    }
}

extension CudaError: CustomStringConvertible {
    /// "cudaErrorMemoryAllocation (2): out of memory"; "unrecognized error code (12345)".
    public var description: String {
        isRecognized ? "\(name) (\(rawValue)): \(message)" : "\(Self.unrecognizedName) (\(rawValue))"
    }
}
