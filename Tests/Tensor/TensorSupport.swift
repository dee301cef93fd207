import DeviceShimTensor
import Foundation
import Testing

/// The devices every tensor test runs on: each backend of the registry that computes here.
enum TensorDevices {
    static let all: [String] = {
        var names = ["cpu"]
        for backend in [BackendKind.opencl, .vulkan] {
            if DeviceRegistry.shared.entries(of: backend).contains(where: { $0.compute != nil }) {
                names.append(backend.rawValue)
            } else {  // BackendPresenceTests fails the run when the backend was required
                FileHandle.standardError.write(Data("tensor tests: no computing \(backend) device here; its cases are not run\n".utf8))
            }
        }
        return names
    }()

    private static let engines: [String: TensorEngine] = Dictionary(uniqueKeysWithValues: all.map { backend in
        (backend, TensorEngine(redirector: Redirector(policy: policy(backend))))
    })

    /// `cuda` to `backend`, with the CPU as the fallback for ops it lacks.
    private static func policy(_ backend: String) -> RedirectPolicy {
        try! RedirectPolicy(parsing: backend == "cpu" ? "cuda=cpu" : "cuda=\(backend),cpu")
    }

    /// An engine whose policy sends `cuda` to `backend`, falling back to the CPU per op.
    static func engine(_ backend: String) -> TensorEngine { engines[backend]! }

    /// A new engine as `engine(_:)`'s, whose records (fallbacks, disabled kernels) go to `records`.
    static func engine(_ backend: String, recordingTo records: RecordBuffer) -> TensorEngine {
        let log = RedirectionLog(level: .info, sinks: [records])
        return TensorEngine(redirector: Redirector(policy: policy(backend), log: log), log: log)
    }

    /// The ops each backend lacks by design (README, "Tensors"), which fall back to the CPU:
    /// GLSL has no float64 transcendentals, and the OpenCL GEMM has no 16-bit floats.
    static let declaredFallbacks: [String: Set<String>] = [
        "vulkan": Set(["exp", "log", "sin", "cos", "tanh", "sigmoid", "gelu", "erf", "pow"].map { "\($0) for float64" }),
        "opencl": ["gemm for float16", "gemm for bfloat16"],
    ]
}
