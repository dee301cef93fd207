import DeviceShimTensor
import Testing

/// The devices every tensor test runs on: each backend of the registry that computes here.
enum TensorDevices {
    static let all: [String] = {
        var names = ["cpu"]
        for backend in [BackendKind.opencl, .vulkan] where DeviceRegistry.shared.entries(of: backend).contains(where: { $0.compute != nil }) {
            names.append(backend.rawValue)
        }
        return names
    }()

    private static let engines: [String: TensorEngine] = Dictionary(uniqueKeysWithValues: all.map { backend in
        let rule = backend == "cpu" ? "cuda=cpu" : "cuda=\(backend),cpu"
        return (backend, TensorEngine(redirector: Redirector(policy: try! RedirectPolicy(parsing: rule))))
    })

    /// An engine whose policy sends `cuda` to `backend`, falling back to the CPU per op.
    static func engine(_ backend: String) -> TensorEngine { engines[backend]! }
}
