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
}
