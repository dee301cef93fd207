/// A cuBLAS status (`cublasStatus_t`) with NVIDIA's names and messages.
struct CublasStatus: Error, Hashable, Sendable {
    let rawValue: Int32

    static let success = CublasStatus(rawValue: 0)
    static let notInitialized = CublasStatus(rawValue: 1)
    static let allocFailed = CublasStatus(rawValue: 3)
    static let invalidValue = CublasStatus(rawValue: 7)
    static let archMismatch = CublasStatus(rawValue: 8)
    static let mappingError = CublasStatus(rawValue: 11)
    static let executionFailed = CublasStatus(rawValue: 13)
    static let internalError = CublasStatus(rawValue: 14)
    static let notSupported = CublasStatus(rawValue: 15)
    static let licenseError = CublasStatus(rawValue: 16)

    /// Name and message per code, as `libcublas.so.12`'s `cublasGetStatusName` /
    /// `cublasGetStatusString` return them.
    private static let table: [Int32: (name: StaticString, message: StaticString)] = [
        0: ("CUBLAS_STATUS_SUCCESS", "success"),
        1: ("CUBLAS_STATUS_NOT_INITIALIZED", "the library was not initialized"),
        3: ("CUBLAS_STATUS_ALLOC_FAILED", "the resource allocation failed"),
        7: ("CUBLAS_STATUS_INVALID_VALUE", "an unsupported value or parameter was passed to the function"),
        8: ("CUBLAS_STATUS_ARCH_MISMATCH", "the function requires an architectural feature absent from the device"),
        11: ("CUBLAS_STATUS_MAPPING_ERROR", "an access to GPU memory space failed"),
        13: ("CUBLAS_STATUS_EXECUTION_FAILED", "the function failed to launch on the GPU"),
        14: ("CUBLAS_STATUS_INTERNAL_ERROR", "an internal operation failed"),
        15: ("CUBLAS_STATUS_NOT_SUPPORTED", "the requested functionality is not supported"),
        16: ("CUBLAS_STATUS_LICENSE_ERROR", "the license check failed"),
    ]

    /// "CUBLAS_STATUS_INVALID_VALUE"; "unrecognized status" for a code cuBLAS does not define.
    var name: StaticString { Self.table[rawValue]?.name ?? "unrecognized status" }
    var message: StaticString { Self.table[rawValue]?.message ?? "unrecognized status" }

    /// cuBLAS's status for a failed runtime or backend step: memory DeviceShim cannot place or
    /// reach is a mapping error, exhausted memory an allocation failure, work that failed on
    /// the device an execution failure.
    init(_ error: CudaError) {
        switch error {
        case .memoryAllocation: self = .allocFailed
        case .invalidValue, .invalidPitchValue, .invalidMemcpyDirection: self = .mappingError
        case .notSupported: self = .notSupported
        default: self = .executionFailed
        }
    }

    init(rawValue: Int32) {
        self.rawValue = rawValue
    }
}

@_cdecl("cublasGetStatusName")
public func cublasGetStatusName(_ status: Int32) -> UnsafePointer<CChar> {
    cString(CublasStatus(rawValue: status).name)
}

@_cdecl("cublasGetStatusString")
public func cublasGetStatusString(_ status: Int32) -> UnsafePointer<CChar> {
    cString(CublasStatus(rawValue: status).message)
}
