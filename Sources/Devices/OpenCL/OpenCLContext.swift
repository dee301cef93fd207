import COpenCL
import Synchronization

/// One OpenCL context over all devices of one platform, created at first use, so buffers of
/// those devices can be copied between with `clEnqueueCopyBuffer`.
final class OpenCLContext: Sendable {
    let api: OpenCLAPI
    let platformIndex: Int
    private let devices: [OpenCLDeviceHandle]
    private let created = Mutex<Result<OpenCLHandle, DeviceError>?>(nil)

    init(api: OpenCLAPI, platformIndex: Int, devices: [OpenCLDeviceHandle]) {
        self.api = api
        self.platformIndex = platformIndex
        self.devices = devices
    }

    /// The context, created on the first call (a failure is kept and thrown again).
    func handle(for device: DeviceID) throws(DeviceError) -> OpaquePointer {
        let result = created.withLock { state -> Result<OpenCLHandle, DeviceError> in
            if let state { return state }
            var ids = devices.map(\.device)
            var status: cl_int = CL_SUCCESS
            let context = api.cl.clCreateContext!(nil, cl_uint(ids.count), &ids, nil, nil, &status)
            let made: Result<OpenCLHandle, DeviceError> = if let context, status == CL_SUCCESS {
                .success(OpenCLHandle(raw: context))
            } else {
                .failure(.driver(device: device, call: "clCreateContext", code: Int(status)))
            }
            state = made
            return made
        }
        return try result.get().raw
    }

    deinit {
        if case let .success(context)? = created.withLock({ $0 }) { _ = api.cl.clReleaseContext!(context.raw) }
    }
}

/// The OpenCL backend's devices, for the registry (BuiltInBackends).
public enum OpenCLBackend {
    /// Every OpenCL device, each able to compute; devices of one platform share a context.
    public static func inventory() -> BackendInventory {
        let (discovery, handles, api) = OpenCLDiscovery.discoverWithHandles()
        guard let api else { return BackendInventory(discovery: discovery, entries: []) }
        var contexts: [Int: OpenCLContext] = [:]
        for platform in Set(handles.map(\.platformIndex)) {
            contexts[platform] = OpenCLContext(api: api, platformIndex: platform,
                                               devices: handles.filter { $0.platformIndex == platform })
        }
        let entries = zip(discovery.devices, handles).enumerated().map { index, pair in
            let (properties, handle) = pair
            let id = DeviceID(.opencl, index)
            guard let context = contexts[handle.platformIndex] else {
                return DeviceEntry(id: id, properties: properties, compute: nil, whyNoCompute: "no context")
            }
            let device = OpenCLDevice(id: id, properties: properties, handle: handle, context: context)
            return DeviceEntry(id: id, properties: properties, compute: device)
        }
        return BackendInventory(discovery: discovery, entries: entries)
    }
}
