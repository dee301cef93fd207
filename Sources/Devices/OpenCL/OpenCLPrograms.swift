import COpenCL
import Synchronization

/// A kernel argument, as `clSetKernelArg` takes it.
enum OpenCLKernelArgument {
    case buffer(OpenCLBuffer)
    case int64(Int64)
    case int32(Int32)
    case float32(Float)
    case float64(Double)
    /// Raw bytes of a struct argument (a packed `StridedWalk`).
    case bytes([Int64])
    /// Local memory of this many bytes.
    case local(Int)
}

/// The programs of one device, built at first use of each and kept for the device's life.
final class OpenCLPrograms: Sendable {
    let cache: OpenCLProgramCache
    private let built = Mutex<[String: OpenCLProgram]>([:])

    init(cache: OpenCLProgramCache) {
        self.cache = cache
    }

    /// The program `name` (its source from `source`, called only when it is not built yet).
    /// Builds hold the lock: two threads asking for one program compile it once.
    func program(_ name: String, device: OpenCLDevice, source: () -> String) throws(DeviceError) -> OpenCLProgram {
        try built.withLock { programs throws(DeviceError) -> OpenCLProgram in
            if let program = programs[name] { return program }
            let handle = try cache.program(name: name, source: source(), options: device.limits.buildOptions, device: device)
            let program = OpenCLProgram(handle: handle, device: device)
            programs[name] = program
            return program
        }
    }
}

/// A built program and its kernels. Setting a kernel's arguments and enqueueing it happen
/// under one lock, since a `cl_kernel`'s arguments are shared state.
final class OpenCLProgram: @unchecked Sendable {
    // Sendable: `kernels` is only touched under `lock`; the program handle never changes.
    private let handle: OpaquePointer
    private let api: OpenCLAPI
    private let deviceID: DeviceID
    private let lock = Mutex<[String: OpenCLHandle]>([:])

    init(handle: OpaquePointer, device: OpenCLDevice) {
        self.handle = handle
        api = device.api
        deviceID = device.id
    }

    /// Sets `kernel`'s arguments and enqueues it on `queue` over `global` work-items in groups
    /// of `local` (nil: the driver chooses), after `waitList`; its event goes to `event`.
    func enqueue(
        _ kernel: String, _ arguments: [OpenCLKernelArgument], global: [Int], local: [Int]?,
        queue: OpaquePointer, event: UnsafeMutablePointer<cl_event?>
    ) throws(DeviceError) {
        let cl = api.cl
        try lock.withLock { kernels throws(DeviceError) in
            let object: OpaquePointer
            if let existing = kernels[kernel] {
                object = existing.raw
            } else {
                var status: cl_int = CL_SUCCESS
                guard let made = cl.clCreateKernel!(handle, kernel, &status), status == CL_SUCCESS else {
                    throw .driver(device: deviceID, call: "clCreateKernel(\(kernel))", code: Int(status))
                }
                kernels[kernel] = OpenCLHandle(raw: made)
                object = made
            }
            for (index, argument) in arguments.enumerated() {
                let status: cl_int
                switch argument {
                case let .buffer(buffer):
                    var memory: OpaquePointer? = buffer.memory
                    status = cl.clSetKernelArg!(object, cl_uint(index), MemoryLayout<OpaquePointer>.size, &memory)
                case var .int64(value):
                    status = cl.clSetKernelArg!(object, cl_uint(index), 8, &value)
                case var .int32(value):
                    status = cl.clSetKernelArg!(object, cl_uint(index), 4, &value)
                case var .float32(value):
                    status = cl.clSetKernelArg!(object, cl_uint(index), 4, &value)
                case var .float64(value):
                    status = cl.clSetKernelArg!(object, cl_uint(index), 8, &value)
                case let .bytes(values):
                    status = values.withUnsafeBytes { cl.clSetKernelArg!(object, cl_uint(index), $0.count, $0.baseAddress) }
                case let .local(bytes):
                    status = cl.clSetKernelArg!(object, cl_uint(index), bytes, nil)
                }
                try OpenCLStatus.check(status, "clSetKernelArg(\(kernel), \(index))", device: deviceID)
            }
            var globalSizes = global
            var localSizes = local ?? []
            let status = globalSizes.withUnsafeMutableBufferPointer { globalPointer in
                localSizes.withUnsafeMutableBufferPointer { localPointer in
                    cl.clEnqueueNDRangeKernel!(queue, object, cl_uint(global.count), nil, globalPointer.baseAddress,
                                               local == nil ? nil : localPointer.baseAddress, 0, nil, event)
                }
            }
            try OpenCLStatus.check(status, "clEnqueueNDRangeKernel(\(kernel))", device: deviceID)
        }
    }

    deinit {
        for kernel in lock.withLock({ $0.values }) { _ = api.cl.clReleaseKernel!(kernel.raw) }
        _ = api.cl.clReleaseProgram!(handle)
    }
}
